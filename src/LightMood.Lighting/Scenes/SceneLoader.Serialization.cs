using System.Text.Json;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>Looks and scene books written back in the scenes-file format (scene edits saved, the editor's JSON view).</summary>
public static partial class SceneLoader
{
    /// <summary>One look in the scenes-file format (for the web page's editor).</summary>
    public static string SerializeLook(MoodLook look) => JsonSerializer.Serialize(ToDto(look), FixtureProfileJson.Options);

    /// <summary>The whole book in the scenes-file format (to save edits back to config/scenes.json).</summary>
    public static string Serialize(SceneBook book) => JsonSerializer.Serialize(
        new ScenesDto
        {
            Schema = "schemas/scenes.schema.json",
            CrossfadeSeconds = book.CrossfadeSeconds,
            BeatTimeoutSeconds = book.BeatTimeoutSeconds,
            Modulation = new ModulationDto { ArousalIntensity = book.Modulation.ArousalIntensity, ArousalSpeed = book.Modulation.ArousalSpeed, ValenceWarmth = book.Modulation.ValenceWarmth },
            Silence = new SilenceDto { EnergyThreshold = book.Silence.EnergyThreshold, GraceSeconds = book.Silence.GraceSeconds, FadeSeconds = book.Silence.FadeSeconds, Look = ToDto(book.Silence.Look) },
            House = ToDto(book.House),
            Moods = MoodNames.All.Where(book.Moods.ContainsKey).ToDictionary(m => m.ToName(), m => ToDto(book.Moods[m])),
        },
        FixtureProfileJson.Options) + "\n";

    private static LookDto ToDto(MoodLook look)
    {
        var strobe = look.StrobeOrOff;
        var m = look.Movement;
        return new LookDto
        {
            Intensity = look.Intensity,
            Palette = look.Palettes.ToDictionary(kv => kv.Key, kv => kv.Value.Select(c => c.ToString()).ToList()),
            Movement = new MovementDto
            {
                Pattern = m.Pattern.ToString().ToLowerInvariant(),
                SpeedHz = m.SpeedHz,
                BeatsPerCycle = m.BeatsPerCycle,
                Pan = m.Pan,
                Tilt = m.Tilt,
                PanRange = m.PanRange,
                TiltRange = m.TiltRange,
                Spread = m.Spread,
            },
            PulseDepth = look.PulseDepth,
            ChaseStepsPerBeat = look.ChaseStepsPerBeat,
            Strobe = new StrobeDto { Allowed = strobe.Allowed, MaxRateHz = strobe.MaxRateHz, ArousalAbove = strobe.ArousalAbove },
            Uv = look.Uv,
            FadeSeconds = look.FadeSeconds,
            Sections = look.Sections is { } v ? new SectionsDto
            {
                PaletteStep = v.PaletteStep,
                Chases = v.Chases is { } c ? [.. c] : null,
                FadeSeconds = v.FadeSeconds,
                Accent = v.Accent is { } a ? new AccentDto { Intensity = a.Intensity, Seconds = a.Seconds } : null,
            } : null,
        };
    }
}
