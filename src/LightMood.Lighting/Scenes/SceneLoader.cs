using System.Text.Json;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>
/// Reads and validates <c>config/scenes.json</c> (schema <c>config/schemas/scenes.schema.json</c>) against a patch: a
/// library of named scenes, presets mapping every mood, silence and the house lights onto them, the active preset
/// (<see cref="LightingShow"/>). A file of the old format (one look per mood under <c>moods</c>, <c>silence.look</c>,
/// <c>house</c>) migrates in memory: library scenes named happy, tense, sad, calm, silence and house, and one preset,
/// "default", mapping each mood to its scene; a save writes the new format. All problems are reported at once, each
/// naming the file and the field.
/// </summary>
public static partial class SceneLoader
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The active preset's looks (<see cref="LoadShow"/>'s <see cref="LightingShow.Book"/>).</summary>
    public static SceneBook Load(string path, Patch patch) => LoadShow(path, patch).Book;

    public static LightingShow LoadShow(string path, Patch patch)
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

        return ParseShow(text, path, patch);
    }

    /// <summary>The active preset's looks (<see cref="ParseShow"/>'s <see cref="LightingShow.Book"/>).</summary>
    public static SceneBook Parse(string json, string source, Patch patch) => ParseShow(json, source, patch).Book;

    public static LightingShow ParseShow(string json, string source, Patch patch)
    {
        var dto = Deserialize<ScenesDto>(json, source, "not a valid scenes file");
        using var doc = JsonDocument.Parse(json, Lenient);
        var errors = new List<string>();
        SceneRanges.Check(errors, $"{source}: crossfadeSeconds", dto.CrossfadeSeconds, "crossfadeSeconds");
        SceneRanges.Check(errors, $"{source}: beatTimeoutSeconds", dto.BeatTimeoutSeconds, "beatTimeoutSeconds");
        var mod = dto.Modulation ?? new ModulationDto();
        SceneRanges.Check(errors, $"{source}: modulation.arousalIntensity", mod.ArousalIntensity, "modulation.arousalIntensity");
        SceneRanges.Check(errors, $"{source}: modulation.arousalSpeed", mod.ArousalSpeed, "modulation.arousalSpeed");
        SceneRanges.Check(errors, $"{source}: modulation.valenceWarmth", mod.ValenceWarmth, "modulation.valenceWarmth");
        var modulation = new Modulation(mod.ArousalIntensity, mod.ArousalSpeed, mod.ValenceWarmth);

        LightingShow? show;
        HashSet<string> declared = new(StringComparer.Ordinal);
        if (dto.Library is null && dto.Presets is null)
        {
            // the old format: one look per mood, silence and house; it becomes a library and the preset "default"
            var book = ParseOldFormat(dto, source, patch, errors);
            show = book is null ? null : LightingShow.FromBook(book with { CrossfadeSeconds = dto.CrossfadeSeconds, Modulation = modulation, BeatTimeoutSeconds = dto.BeatTimeoutSeconds }) with { FromOldFormat = true };
        }
        else
        {
            if (dto.Moods is not null || dto.Silence is not null || dto.House is not null)
            {
                errors.Add($"{source}: 'moods', 'silence' and 'house' are the old format: with a 'library', give them as library scenes and a preset's mapping");
            }

            var library = new Dictionary<string, MoodLook>(StringComparer.Ordinal);
            var libraryJson = doc.RootElement.TryGetProperty("library", out var lj) ? lj : default;
            foreach (var (name, sceneDto) in dto.Library ?? [])
            {
                declared.Add(name);
                var where = $"{source}: library.{name}";
                CheckName(name, where, "scene", errors);
                if (ParseScene(sceneDto, PropertyNames(libraryJson, name), where, patch, errors) is { } scene)
                {
                    library[name] = scene;
                }
            }

            var presets = new Dictionary<string, ShowPreset>(StringComparer.Ordinal);
            foreach (var (name, presetDto) in dto.Presets ?? [])
            {
                var where = $"{source}: presets.{name}";
                CheckName(name, where, "preset", errors);
                if (ParsePreset(presetDto, where, errors) is { } preset)
                {
                    presets[name] = preset;
                }
            }

            var active = dto.ActivePreset ?? dto.Presets?.Keys.FirstOrDefault() ?? "";
            show = new LightingShow(library, presets, active, dto.CrossfadeSeconds, modulation, dto.BeatTimeoutSeconds);
        }

        var ready = show is null ? null : CheckShow(show, source, errors, declared);
        return errors.Count > 0 ? throw new LightingConfigException(errors) : ready!;
    }

    /// <summary>Parses one look in the scenes-file format (a preview or a look edit from the web page); throws with every problem. A chase is a library scene only.</summary>
    public static MoodLook ParseLook(string json, string source, Patch patch)
    {
        var look = ParseScene(json, source, patch);
        return look.Chase is null ? look : throw new LightingConfigException($"{source}.chase: a chase is shown from the library (PUT /api/library/NAME), not previewed on its own");
    }

    /// <summary>
    /// Parses one library scene in the scenes-file format (a look, a static channel scene or a chase); throws with every
    /// problem. A chase's steps are resolved when it joins a show (<see cref="Validate(LightingShow, string, Patch)"/>).
    /// </summary>
    public static MoodLook ParseScene(string json, string source, Patch patch)
    {
        var dto = Deserialize<LookDto>(json, source, "not a valid look");
        using var doc = JsonDocument.Parse(json, Lenient);
        var errors = new List<string>();
        var scene = ParseScene(dto, [.. doc.RootElement.EnumerateObject().Select(p => p.Name)], source, patch, errors);
        return errors.Count == 0 ? scene! : throw new LightingConfigException(errors);
    }

    /// <summary>Parses one preset's mapping in the scenes-file format; throws with every problem (library names are checked by <see cref="Validate(LightingShow, string, Patch)"/>).</summary>
    public static ShowPreset ParsePreset(string json, string source)
    {
        var dto = Deserialize<PresetDto>(json, source, "not a valid preset");
        var errors = new List<string>();
        var preset = ParsePreset(dto, source, errors);
        return errors.Count == 0 ? preset! : throw new LightingConfigException(errors);
    }

    private static T Deserialize<T>(string json, string source, string what)
        where T : class
    {
        T? dto;
        try
        {
            FixtureProfileJson.RejectNulls(json, source);
            dto = JsonSerializer.Deserialize<T>(json, FixtureProfileJson.Options);
        }
        catch (JsonException e)
        {
            throw new LightingConfigException($"{source}: {what}: {e.Message}", e);
        }

        return dto ?? throw new LightingConfigException($"{source}: empty");
    }

    private static List<string> PropertyNames(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Object
            ? [.. e.EnumerateObject().Select(p => p.Name)]
            : [];

    /// <summary>What is wrong with a scene or preset name (1..64 characters, no '/': they are URL path segments, no control characters), or null.</summary>
    public static string? NameProblem(string name, string what) =>
        name is null || name.Length is 0 or > LightingShow.MaxNameLength || name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsControl)
            ? $"a {what} name is 1..{LightingShow.MaxNameLength} characters, without '/' or control characters"
            : null;

    private static void CheckName(string name, string where, string what, List<string> errors)
    {
        if (NameProblem(name, what) is { } problem)
        {
            errors.Add($"{where}: {problem}");
        }
    }

    /// <summary>The old format (moods, silence.look, house), as it always loaded.</summary>
    private static SceneBook? ParseOldFormat(ScenesDto dto, string source, Patch patch, List<string> errors)
    {
        var before = errors.Count;
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
        return errors.Count > before ? null : new SceneBook(moods, silence!, house!, dto.CrossfadeSeconds, new Modulation(), dto.BeatTimeoutSeconds);
    }

    private static MoodLook? ParseLook(LookDto dto, string where, Patch patch, List<string> errors)
    {
        var before = errors.Count;
        if (dto.Channels is not null || dto.Chase is not null)
        {
            errors.Add($"{where}: 'channels' and 'chase' make library scenes (the file's 'library'), not a look of the old format");
        }

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
