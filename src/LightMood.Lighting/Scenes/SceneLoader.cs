using System.Text.Json;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>
/// Reads and validates <c>config/scenes.json</c> (schema <c>config/schemas/scenes.schema.json</c>) against a patch:
/// every mood has a look, values are in range, palettes name only groups of the patch (or <c>*</c>).
/// All problems are reported at once, each naming the file and the field.
/// </summary>
public static partial class SceneLoader
{
    public static SceneBook Load(string path, Patch patch)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LightingConfigException($"{path}: cannot read scenes: {e.Message}", e);
        }

        return Parse(text, path, patch);
    }

    public static SceneBook Parse(string json, string source, Patch patch)
    {
        ScenesDto? dto;
        try
        {
            FixtureProfileJson.RejectNulls(json, source);
            dto = JsonSerializer.Deserialize<ScenesDto>(json, FixtureProfileJson.Options);
        }
        catch (JsonException e)
        {
            throw new LightingConfigException($"{source}: not a valid scenes file: {e.Message}", e);
        }

        if (dto is null)
        {
            throw new LightingConfigException($"{source}: empty scenes file");
        }

        var errors = new List<string>();
        var moods = new Dictionary<Mood, MoodLook>();
        foreach (var (name, look) in dto.Moods ?? [])
        {
            if (!MoodNames.TryParse(name, out var mood))
            {
                errors.Add($"{source}: moods.{name}: not a mood (happy, tense, sad, calm)");
                continue;
            }

            if (ParseLook(look, $"{source}: moods.{name}", patch, errors) is { } l)
            {
                moods[mood] = l;
            }
        }

        foreach (var mood in MoodNames.All)
        {
            if (!moods.ContainsKey(mood) && !(dto.Moods?.Keys.Any(k => MoodNames.TryParse(k, out var m) && m == mood) ?? false))
            {
                errors.Add($"{source}: moods.{mood.ToName()}: missing (every mood needs a look)");
            }
        }

        SilenceSetting? silence = null;
        if (dto.Silence is null)
        {
            errors.Add($"{source}: 'silence' is missing");
        }
        else
        {
            var s = dto.Silence;
            SceneRanges.Check(errors, $"{source}: silence.energyThreshold", s.EnergyThreshold, "silence.energyThreshold");
            SceneRanges.Check(errors, $"{source}: silence.graceSeconds", s.GraceSeconds, "silence.graceSeconds");
            SceneRanges.Check(errors, $"{source}: silence.fadeSeconds", s.FadeSeconds, "silence.fadeSeconds");
            var look = s.Look is null ? null : ParseLook(s.Look, $"{source}: silence.look", patch, errors);
            if (s.Look is null)
            {
                errors.Add($"{source}: silence.look is missing");
            }

            if (look is not null)
            {
                silence = new SilenceSetting(s.EnergyThreshold, s.GraceSeconds, s.FadeSeconds, look);
            }
        }

        var house = dto.House is null ? MoodLook.Static(0.6, new Rgb(1, 0.85, 0.6)) : ParseLook(dto.House, $"{source}: house", patch, errors);
        SceneRanges.Check(errors, $"{source}: crossfadeSeconds", dto.CrossfadeSeconds, "crossfadeSeconds");
        SceneRanges.Check(errors, $"{source}: beatTimeoutSeconds", dto.BeatTimeoutSeconds, "beatTimeoutSeconds");
        var mod = dto.Modulation ?? new ModulationDto();
        SceneRanges.Check(errors, $"{source}: modulation.arousalIntensity", mod.ArousalIntensity, "modulation.arousalIntensity");
        SceneRanges.Check(errors, $"{source}: modulation.arousalSpeed", mod.ArousalSpeed, "modulation.arousalSpeed");
        SceneRanges.Check(errors, $"{source}: modulation.valenceWarmth", mod.ValenceWarmth, "modulation.valenceWarmth");

        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        return new SceneBook(moods, silence!, house!, dto.CrossfadeSeconds, new Modulation(mod.ArousalIntensity, mod.ArousalSpeed, mod.ValenceWarmth), dto.BeatTimeoutSeconds);
    }

    /// <summary>Parses one look in the scenes-file format (a scene edit from the web page); throws with every problem.</summary>
    public static MoodLook ParseLook(string json, string source, Patch patch)
    {
        LookDto? dto;
        try
        {
            FixtureProfileJson.RejectNulls(json, source);
            dto = JsonSerializer.Deserialize<LookDto>(json, FixtureProfileJson.Options);
        }
        catch (JsonException e)
        {
            throw new LightingConfigException($"{source}: not a valid look: {e.Message}", e);
        }

        if (dto is null)
        {
            throw new LightingConfigException($"{source}: empty look");
        }

        var errors = new List<string>();
        var look = ParseLook(dto, source, patch, errors);
        return errors.Count == 0 ? look! : throw new LightingConfigException(errors);
    }

    private static MoodLook? ParseLook(LookDto dto, string where, Patch patch, List<string> errors)
    {
        var before = errors.Count;
        var palettes = new Dictionary<string, IReadOnlyList<Rgb>>(StringComparer.Ordinal);
        foreach (var (group, colours) in dto.Palette ?? [])
        {
            var list = new List<Rgb>();
            for (var i = 0; i < colours.Count; i++)
            {
                if (Rgb.TryParse(colours[i], out var c))
                {
                    list.Add(c);
                }
                else
                {
                    errors.Add($"{where}.palette.{group}[{i}]: '{colours[i]}' is not a #rrggbb colour");
                }
            }

            palettes[group] = list;
        }

        var m = dto.Movement ?? new MovementDto();
        MovementPattern pattern = MovementPattern.None;
        if (!Enum.TryParse(m.Pattern?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out pattern) || !Enum.IsDefined(pattern))
        {
            errors.Add($"{where}.movement.pattern: '{m.Pattern}' is not one of none, circle, figure8, sweep, wave");
        }

        var strobe = dto.Strobe ?? new StrobeDto();
        var look = new MoodLook(
            dto.Intensity,
            palettes,
            new Movement(pattern, m.SpeedHz, m.BeatsPerCycle, m.Pan, m.Tilt, m.PanRange, m.TiltRange, m.Spread),
            dto.PulseDepth,
            dto.ChaseStepsPerBeat,
            new StrobeSetting(strobe.Allowed, strobe.MaxRateHz, strobe.ArousalAbove),
            dto.Uv,
            dto.FadeSeconds,
            dto.Sections is { } v ? new SectionVariation(v.PaletteStep, v.Chases, v.FadeSeconds, v.Accent is { } a ? new SectionAccent(a.Intensity, a.Seconds) : null) : null);
        ValidateLook(look, where, patch, errors);
        return errors.Count == before ? look : null;
    }
}
