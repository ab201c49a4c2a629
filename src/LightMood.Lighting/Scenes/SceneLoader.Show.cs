using System.Globalization;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>
/// The library and the presets: a scene is a look, a static channel scene or a chase; a preset maps every mood (a list of
/// scenes, optionally its own modulation), silence and the house lights onto library scenes. A show is checked as a
/// whole (<see cref="Validate(LightingShow, string, Patch)"/>): every name it uses is in the library, chases do not run
/// in a cycle, every preset maps every mood, the active preset exists.
/// </summary>
public static partial class SceneLoader
{
    private static readonly string[] SceneKindProperties = ["channels", "chase", "fadeSeconds"];

    /// <summary>
    /// Checks a whole show (an edit through the API, or a file) against <paramref name="patch"/> and returns it ready to
    /// render: static channel scenes bound to the patch, chases resolved to their steps' looks. Throws with every problem.
    /// </summary>
    public static LightingShow Validate(LightingShow show, string source, Patch patch)
    {
        ArgumentNullException.ThrowIfNull(show);
        var errors = new List<string>();
        var library = new Dictionary<string, MoodLook>(StringComparer.Ordinal);
        foreach (var (name, scene) in show.Library)
        {
            CheckName(name, $"{source}: library.{name}", "scene", errors);
            var where = $"{source}: library.{name}";
            if (scene.Channels is { } channels)
            {
                channels.Validate(where, patch, errors);
                library[name] = channels.Levels.Length == 0 ? scene with { Channels = channels.Bind(patch) } : scene;
            }
            else
            {
                if (scene.Chase is null)
                {
                    ValidateLook(scene, where, patch, errors);
                }

                library[name] = scene;
            }
        }

        foreach (var name in show.Presets.Keys)
        {
            CheckName(name, $"{source}: presets.{name}", "preset", errors);
        }

        var ready = CheckShow(show with { Library = library }, source, errors, null);
        return errors.Count > 0 ? throw new LightingConfigException(errors) : ready!;
    }

    /// <summary>References, cycles and completeness; chases resolved. <paramref name="declared"/>: names whose scene failed to parse (not reported again as unknown).</summary>
    private static LightingShow? CheckShow(LightingShow show, string source, List<string> errors, IReadOnlySet<string>? declared)
    {
        var before = errors.Count;
        void Reference(string name, string where)
        {
            if (!show.Library.ContainsKey(name) && declared?.Contains(name) != true)
            {
                errors.Add($"{where}: '{name}' is not a scene of the library");
            }
        }

        if (show.Presets.Count == 0)
        {
            errors.Add($"{source}: presets: at least one preset is needed");
        }
        else if (!show.Presets.ContainsKey(show.ActivePreset))
        {
            errors.Add($"{source}: activePreset: '{show.ActivePreset}' is not a preset (presets: {string.Join(", ", show.Presets.Keys)})");
        }

        foreach (var (name, preset) in show.Presets)
        {
            var where = $"{source}: presets.{name}";
            foreach (var mood in MoodNames.All)
            {
                if (!preset.Moods.TryGetValue(mood, out var mapping))
                {
                    errors.Add($"{where}.moods.{mood.ToName()}: missing (every mood needs a scene)");
                    continue;
                }

                if (mapping.Scenes.Count == 0)
                {
                    errors.Add($"{where}.moods.{mood.ToName()}.scenes: needs at least one scene");
                }

                for (var i = 0; i < mapping.Scenes.Count; i++)
                {
                    Reference(mapping.Scenes[i], $"{where}.moods.{mood.ToName()}.scenes[{i}]");
                }
            }

            Reference(preset.Silence.Scene, $"{where}.silence.scene");
            Reference(preset.House, $"{where}.house");
        }

        var library = new Dictionary<string, MoodLook>(show.Library, StringComparer.Ordinal);
        foreach (var (name, scene) in show.Library)
        {
            if (scene.Chase is not { } chase)
            {
                continue;
            }

            for (var i = 0; i < chase.Steps.Count; i++)
            {
                Reference(chase.Steps[i], $"{source}: library.{name}.chase.steps[{i}]");
            }

            var looks = new List<MoodLook>();
            if (Flatten(show, name, [name], looks, source, errors) && looks.Count > 0)
            {
                // an unchanged chase keeps its look (a showing chase does not start again because another scene was edited)
                library[name] = looks.SequenceEqual(chase.Looks, ReferenceEqualityComparer.Instance) ? scene : scene with { Chase = chase with { Looks = looks } };
            }
        }

        return errors.Count > before ? null : show with { Library = library };
    }

    /// <summary>The steps of chase <paramref name="path"/>[^1], nested chases in their place; false on a cycle (reported).</summary>
    private static bool Flatten(LightingShow show, string top, List<string> path, List<MoodLook> into, string source, List<string> errors)
    {
        var current = path[^1];
        var steps = show.Library[current].Chase!.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            if (!show.Library.TryGetValue(steps[i], out var step))
            {
                continue;   // reported as an unknown scene
            }

            if (step.Chase is null)
            {
                into.Add(step);
                continue;
            }

            if (path.Contains(steps[i], StringComparer.Ordinal))
            {
                var error = $"{source}: library.{current}.chase.steps[{i}]: '{steps[i]}' makes the chase run in a cycle ({string.Join(" → ", path.Append(steps[i]))})";
                if (path.Count == 1 || !errors.Any(e => e.StartsWith($"{source}: library.{current}.chase.steps[{i}]:", StringComparison.Ordinal)))
                {
                    errors.Add(error);
                }

                return false;
            }

            path.Add(steps[i]);
            var ok = Flatten(show, top, path, into, source, errors);
            path.RemoveAt(path.Count - 1);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One library scene: a static channel scene, a chase, or a look (<paramref name="properties"/>: the names given in the JSON).</summary>
    private static MoodLook? ParseScene(LookDto dto, IReadOnlyCollection<string> properties, string where, Patch patch, List<string> errors)
    {
        if (dto.Channels is null && dto.Chase is null)
        {
            return ParseLook(dto, where, patch, errors);
        }

        var before = errors.Count;
        if (dto.Channels is not null && dto.Chase is not null)
        {
            errors.Add($"{where}: a scene is a look, a static channel scene ('channels') or a 'chase', not both");
        }

        var kind = dto.Channels is not null ? "a static channel scene" : "a chase";
        var extra = properties.Where(p => !SceneKindProperties.Contains(p, StringComparer.Ordinal)).ToList();
        if (extra.Count > 0)
        {
            errors.Add($"{where}: {kind} takes no look properties ({string.Join(", ", extra)})");
        }

        if (dto.FadeSeconds is { } fade)
        {
            SceneRanges.Check(errors, $"{where}.fadeSeconds", fade, "look.fadeSeconds");
        }

        if (dto.Channels is { } channelsDto)
        {
            var values = new Dictionary<string, IReadOnlyDictionary<int, byte>>(StringComparer.Ordinal);
            foreach (var (fixture, channels) in channelsDto)
            {
                var map = new SortedDictionary<int, byte>();
                foreach (var (key, value) in channels)
                {
                    if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var channel))
                    {
                        errors.Add($"{where}.channels.{fixture}.{key}: '{key}' is not a channel number (1-based, within the fixture)");
                    }
                    else if (!(value >= 0 && value <= 255 && value == Math.Floor(value)))
                    {
                        errors.Add($"{where}.channels.{fixture}.{key}: {value.ToString(CultureInfo.InvariantCulture)} is not a DMX value (a whole number 0..255)");
                    }
                    else
                    {
                        map[channel] = (byte)value;
                    }
                }

                values[fixture] = map;
            }

            var levels = new ChannelLevels(values);
            levels.Validate(where, patch, errors);
            return errors.Count > before ? null : MoodLook.FromChannels(levels.Bind(patch), dto.FadeSeconds);
        }

        var c = dto.Chase!;
        if (c.Steps is not { Count: > 0 })
        {
            errors.Add($"{where}.chase.steps: needs at least one step");
        }

        SceneRanges.Check(errors, $"{where}.chase.holdSeconds", c.HoldSeconds, "look.chase.holdSeconds");
        SceneRanges.Check(errors, $"{where}.chase.fadeSeconds", c.FadeSeconds, "look.chase.fadeSeconds");
        SceneRanges.Check(errors, $"{where}.chase.stepsPerBeat", c.StepsPerBeat, "look.chase.stepsPerBeat");
        return errors.Count > before ? null : MoodLook.FromChase(new ChaseSetting([.. c.Steps!], c.HoldSeconds, c.FadeSeconds, c.StepsPerBeat), dto.FadeSeconds);
    }

    private static ShowPreset? ParsePreset(PresetDto dto, string where, List<string> errors)
    {
        var moods = new Dictionary<Mood, MoodMapping>();
        foreach (var (name, mapping) in dto.Moods ?? [])
        {
            if (!MoodNames.TryParse(name, out var mood))
            {
                errors.Add($"{where}.moods.{name}: not a mood (happy, tense, sad, calm)");
                continue;
            }

            ModulationChange? change = null;
            if (mapping.Modulation is { } m)
            {
                CheckOptional(errors, $"{where}.moods.{name}.modulation.arousalIntensity", m.ArousalIntensity, "modulation.arousalIntensity");
                CheckOptional(errors, $"{where}.moods.{name}.modulation.arousalSpeed", m.ArousalSpeed, "modulation.arousalSpeed");
                CheckOptional(errors, $"{where}.moods.{name}.modulation.valenceWarmth", m.ValenceWarmth, "modulation.valenceWarmth");
                change = new ModulationChange(m.ArousalIntensity, m.ArousalSpeed, m.ValenceWarmth);
            }

            if (mapping.Scenes is null)
            {
                errors.Add($"{where}.moods.{name}.scenes: missing (the mood's scene, then those its sections step through)");
                continue;
            }

            moods[mood] = new MoodMapping([.. mapping.Scenes], change);
        }

        var silence = dto.Silence;
        if (silence?.Scene is null)
        {
            errors.Add($"{where}.silence.scene: missing (the scene shown in silence)");
        }
        else
        {
            SceneRanges.Check(errors, $"{where}.silence.energyThreshold", silence.EnergyThreshold, "presetSilence.energyThreshold");
            SceneRanges.Check(errors, $"{where}.silence.graceSeconds", silence.GraceSeconds, "presetSilence.graceSeconds");
            SceneRanges.Check(errors, $"{where}.silence.fadeSeconds", silence.FadeSeconds, "presetSilence.fadeSeconds");
        }

        if (dto.House is null)
        {
            errors.Add($"{where}.house: missing (the scene of the house lights)");
        }

        // a preset with values out of range is still returned (its errors stand): its scene names are checked too
        return silence?.Scene is null || dto.House is null
            ? null
            : new ShowPreset(moods, new SilenceMapping(silence.Scene, silence.EnergyThreshold, silence.GraceSeconds, silence.FadeSeconds), dto.House);
    }

    private static void CheckOptional(List<string> errors, string field, double? value, string path)
    {
        if (value is { } v)
        {
            SceneRanges.Check(errors, field, v, path);
        }
    }
}
