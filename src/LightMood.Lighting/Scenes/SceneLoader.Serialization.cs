using System.Globalization;
using System.Text.Json;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>Scenes, presets and shows written back in the scenes-file format (edits saved, the editor's JSON view). A save always writes the library format.</summary>
public static partial class SceneLoader
{
    /// <summary>One look or library scene in the scenes-file format (for the web page's editor and the API).</summary>
    public static string SerializeLook(MoodLook look) => JsonSerializer.Serialize(SceneDto(look), FixtureProfileJson.Options);

    /// <summary>One preset's mapping in the scenes-file format.</summary>
    public static string SerializePreset(ShowPreset preset) => JsonSerializer.Serialize(ToDto(preset), FixtureProfileJson.Options);

    /// <summary>A book (one look per mood, silence, house) as a show of one preset, "default", in the scenes-file format.</summary>
    public static string Serialize(SceneBook book) => Serialize(LightingShow.FromBook(book));

    /// <summary>The whole show in the scenes-file format (to save edits back to the scenes file).</summary>
    public static string Serialize(LightingShow show)
    {
        ArgumentNullException.ThrowIfNull(show);
        var m = show.ModulationOrDefault;
        return JsonSerializer.Serialize(
            new ShowFileDto
            {
                CrossfadeSeconds = show.CrossfadeSeconds,
                BeatTimeoutSeconds = show.BeatTimeoutSeconds,
                Modulation = new ModulationDto { ArousalIntensity = m.ArousalIntensity, ArousalSpeed = m.ArousalSpeed, ValenceWarmth = m.ValenceWarmth },
                Library = show.Library.ToDictionary(kv => kv.Key, kv => SceneDto(kv.Value), StringComparer.Ordinal),
                Presets = show.Presets.ToDictionary(kv => kv.Key, kv => ToDto(kv.Value), StringComparer.Ordinal),
                ActivePreset = show.ActivePreset,
            },
            FixtureProfileJson.Options) + "\n";
    }

    /// <summary>The DTO a scene is written as: a look, a static channel scene or a chase (only its own fields).</summary>
    private static object SceneDto(MoodLook look) => look switch
    {
        { Channels: { } c } => new ChannelSceneDto
        {
            FadeSeconds = look.FadeSeconds,
            Channels = c.Values.ToDictionary(
                f => f.Key,
                f => f.Value.OrderBy(v => v.Key).ToDictionary(v => v.Key.ToString(CultureInfo.InvariantCulture), v => (double)v.Value),
                StringComparer.Ordinal),
        },
        { Chase: { } c } => new ChaseSceneDto
        {
            FadeSeconds = look.FadeSeconds,
            Chase = new ChaseDto { Steps = [.. c.Steps], HoldSeconds = c.HoldSeconds, FadeSeconds = c.FadeSeconds, StepsPerBeat = c.StepsPerBeat },
        },
        _ => ToDto(look),
    };

    private static PresetDto ToDto(ShowPreset preset) => new()
    {
        Moods = MoodNames.All.Where(preset.Moods.ContainsKey).ToDictionary(
            m => m.ToName(),
            m => new MoodMappingDto
            {
                Scenes = [.. preset.Moods[m].Scenes],
                Modulation = preset.Moods[m].Modulation is { } c
                    ? new ModulationChangeDto { ArousalIntensity = c.ArousalIntensity, ArousalSpeed = c.ArousalSpeed, ValenceWarmth = c.ValenceWarmth }
                    : null,
            }),
        Silence = new PresetSilenceDto
        {
            Scene = preset.Silence.Scene,
            EnergyThreshold = preset.Silence.EnergyThreshold,
            GraceSeconds = preset.Silence.GraceSeconds,
            FadeSeconds = preset.Silence.FadeSeconds,
        },
        House = preset.House,
    };

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
