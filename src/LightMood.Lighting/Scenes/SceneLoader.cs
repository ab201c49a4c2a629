using System.Text.Json;
using System.Text.Json.Serialization;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>
/// Reads and validates <c>config/scenes.json</c> (schema <c>config/schemas/scenes.schema.json</c>) against a patch:
/// every mood has a look, values are in range, palettes name only groups of the patch (or <c>*</c>).
/// All problems are reported at once, each naming the file and the field.
/// </summary>
public static class SceneLoader
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
            Range(errors, $"{source}: silence.energyThreshold", s.EnergyThreshold, 0, 1);
            Range(errors, $"{source}: silence.graceSeconds", s.GraceSeconds, 0, 3600);
            Range(errors, $"{source}: silence.fadeSeconds", s.FadeSeconds, 0, 600);
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
        Range(errors, $"{source}: crossfadeSeconds", dto.CrossfadeSeconds, 0, 600);
        Range(errors, $"{source}: beatTimeoutSeconds", dto.BeatTimeoutSeconds, 0.5, 60);
        var mod = dto.Modulation ?? new ModulationDto();
        Range(errors, $"{source}: modulation.arousalIntensity", mod.ArousalIntensity, 0, 1);
        Range(errors, $"{source}: modulation.arousalSpeed", mod.ArousalSpeed, 0, 1);
        Range(errors, $"{source}: modulation.valenceWarmth", mod.ValenceWarmth, 0, 1);

        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        return new SceneBook(moods, silence!, house!, dto.CrossfadeSeconds, new Modulation(mod.ArousalIntensity, mod.ArousalSpeed, mod.ValenceWarmth), dto.BeatTimeoutSeconds);
    }

    /// <summary>Checks a look built in code (scene edits from the web page) against the patch; throws with every problem.</summary>
    public static void Validate(MoodLook look, string where, Patch patch)
    {
        var errors = new List<string>();
        ValidateLook(look, where, patch, errors);
        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }
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
            Sections = look.Sections is { } v ? new SectionsDto { PaletteStep = v.PaletteStep, Chases = v.Chases is { } c ? [.. c] : null, FadeSeconds = v.FadeSeconds } : null,
        };
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
            dto.Sections is { } v ? new SectionVariation(v.PaletteStep, v.Chases, v.FadeSeconds) : null);
        ValidateLook(look, where, patch, errors);
        return errors.Count == before ? look : null;
    }

    private static void ValidateLook(MoodLook look, string where, Patch patch, List<string> errors)
    {
        Range(errors, $"{where}.intensity", look.Intensity, 0, 1);
        Range(errors, $"{where}.pulseDepth", look.PulseDepth, 0, 1);
        Range(errors, $"{where}.chaseStepsPerBeat", look.ChaseStepsPerBeat, 0, 16);
        Range(errors, $"{where}.uv", look.Uv, 0, 1);
        if (look.FadeSeconds is { } fade)
        {
            Range(errors, $"{where}.fadeSeconds", fade, 0, 600);
        }

        if (look.Sections is { } sections)
        {
            Range(errors, $"{where}.sections.paletteStep", sections.PaletteStep, 0, 16);
            for (var i = 0; i < (sections.Chases?.Count ?? 0); i++)
            {
                Range(errors, $"{where}.sections.chases[{i}]", sections.Chases![i], 0, 16);
            }

            if (sections.FadeSeconds is { } sectionFade)
            {
                Range(errors, $"{where}.sections.fadeSeconds", sectionFade, 0, 600);
            }
        }

        var m = look.Movement;
        Range(errors, $"{where}.movement.speedHz", m.SpeedHz, 0, 5);
        Range(errors, $"{where}.movement.beatsPerCycle", m.BeatsPerCycle, 0, 256);
        Range(errors, $"{where}.movement.pan", m.Pan, 0, 1);
        Range(errors, $"{where}.movement.tilt", m.Tilt, 0, 1);
        Range(errors, $"{where}.movement.panRange", m.PanRange, 0, 0.5);
        Range(errors, $"{where}.movement.tiltRange", m.TiltRange, 0, 0.5);
        Range(errors, $"{where}.movement.spread", m.Spread, 0, 1);
        var s = look.StrobeOrOff;
        Range(errors, $"{where}.strobe.maxRateHz", s.MaxRateHz, 0, 25);
        Range(errors, $"{where}.strobe.arousalAbove", s.ArousalAbove, -1, 1);
        if (s.Allowed && s.MaxRateHz <= 0)
        {
            errors.Add($"{where}.strobe.maxRateHz: must be > 0 when the strobe is allowed");
        }

        foreach (var (group, colours) in look.Palettes)
        {
            if (group != MoodLook.AnyGroup && !patch.Groups.Contains(group, StringComparer.Ordinal))
            {
                errors.Add($"{where}.palette.{group}: group '{group}' is not in the patch (groups: {string.Join(", ", patch.Groups)})");
            }

            if (colours.Count == 0)
            {
                errors.Add($"{where}.palette.{group}: needs at least one colour");
            }
        }
    }

    private static void Range(List<string> errors, string field, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            errors.Add($"{field}: {value} is outside {min}..{max}");
        }
    }

    private sealed class ScenesDto
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; set; }

        public double CrossfadeSeconds { get; set; } = 2;

        public double BeatTimeoutSeconds { get; set; } = 3;

        public ModulationDto? Modulation { get; set; }

        public SilenceDto? Silence { get; set; }

        public LookDto? House { get; set; }

        public Dictionary<string, LookDto>? Moods { get; set; }
    }

    private sealed class ModulationDto
    {
        public double ArousalIntensity { get; set; } = 0.25;

        public double ArousalSpeed { get; set; } = 0.5;

        public double ValenceWarmth { get; set; } = 0.3;
    }

    private sealed class SilenceDto
    {
        public double EnergyThreshold { get; set; } = 0.02;

        public double GraceSeconds { get; set; } = 4;

        public double FadeSeconds { get; set; } = 3;

        public LookDto? Look { get; set; }
    }

    private sealed class LookDto
    {
        public double Intensity { get; set; } = 1;

        public Dictionary<string, List<string>>? Palette { get; set; }

        public MovementDto? Movement { get; set; }

        public double PulseDepth { get; set; }

        public double ChaseStepsPerBeat { get; set; }

        public StrobeDto? Strobe { get; set; }

        public double Uv { get; set; }

        public double? FadeSeconds { get; set; }

        public SectionsDto? Sections { get; set; }
    }

    private sealed class SectionsDto
    {
        public int PaletteStep { get; set; } = 1;

        public List<double>? Chases { get; set; }

        public double? FadeSeconds { get; set; }
    }

    private sealed class MovementDto
    {
        public string? Pattern { get; set; } = "none";

        public double SpeedHz { get; set; } = 0.1;

        public double BeatsPerCycle { get; set; }

        public double Pan { get; set; } = 0.5;

        public double Tilt { get; set; } = 0.5;

        public double PanRange { get; set; } = 0.2;

        public double TiltRange { get; set; } = 0.1;

        public double Spread { get; set; } = 0.25;
    }

    private sealed class StrobeDto
    {
        public bool Allowed { get; set; }

        public double MaxRateHz { get; set; }

        public double ArousalAbove { get; set; } = 0.7;
    }
}
