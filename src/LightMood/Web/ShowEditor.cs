using LightMood.Hosting;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Web;

/// <summary>
/// The show as the operator edits it (<see cref="LightingShow"/>: the scene library, the presets, the active preset,
/// the crossfade). Every change is validated as a whole show against the patch, saved atomically to the scenes file,
/// and only then applied to the engine (the active preset's looks; a preset switch or a changed scene crossfades, no
/// restart); a bad change throws and changes nothing. Changes are undone one at a time, newest first (up to
/// <see cref="UndoDepth"/>), whatever they were: a scene, a mapping, a preset created, deleted or switched.
/// </summary>
/// <remarks>
/// The active preset is kept in the scenes file itself (<c>activePreset</c>), not in a state file of its own: the file
/// already lives in the state directory and is written whole by <see cref="AtomicFile"/>, so the presets and the one
/// that is active can never disagree after a crash between two writes (a preset deleted while a separate file still
/// named it active).
/// </remarks>
public sealed class ShowEditor(
    LightingEngine engine,
    Rig rig,
    IOptions<LightingOptions> lightingOptions,
    IHostEnvironment environment,
    ILogger<ShowEditor> logger)
{
    public const int UndoDepth = 20;

    /// <summary>The source a request body's errors are named by (a look's field paths follow it).</summary>
    public const string LookSource = "look";

    public const string PresetSource = "preset";

    private const string ShowSource = "show";
    private readonly Lock _lock = new();
    private readonly LinkedList<(string What, Func<LightingShow, LightingShow> Revert)> _undo = new();
    private LightingShow _show = rig.Show;

    public string ScenesPath => Path.Combine(environment.ContentRootPath, lightingOptions.Value.ScenesFile);

    /// <summary>The show now (immutable).</summary>
    public LightingShow Show
    {
        get
        {
            lock (_lock)
            {
                return _show;
            }
        }
    }

    /// <summary>The scene the active preset shows first for <paramref name="mood"/>, in the scenes-file format.</summary>
    public string GetLook(Mood mood)
    {
        var show = Show;
        return SceneLoader.SerializeLook(show.Library[show.SceneOf(mood)]);
    }

    /// <summary>The page's editor: replaces the scene the active preset shows first for <paramref name="mood"/>.</summary>
    public void SetLook(Mood mood, string json) => PutScene(Show.SceneOf(mood), json);

    /// <summary>A library scene in the scenes-file format, or null.</summary>
    public string? GetScene(string name) => Show.Library.TryGetValue(name, out var scene) ? SceneLoader.SerializeLook(scene) : null;

    /// <summary>Adds or replaces a library scene (a look, a static channel scene or a chase).</summary>
    public void PutScene(string name, string json)
    {
        CheckName(name, "scene");
        MoodLook scene;
        try
        {
            scene = SceneLoader.ParseScene(json, LookSource, engine.Patch);
        }
        catch (LightingConfigException e)
        {
            throw FieldValidationException.FromLook(e, LookSource);
        }

        if (SceneLoader.SerializeLook(scene).Length > OperatorApi.MaxBodyBytes)
        {
            // what is saved must be readable back and sent again: one limit for both directions
            throw new FieldValidationException($"the scene is larger than {OperatorApi.MaxBodyBytes} bytes as JSON");
        }

        Change($"scene '{name}' saved", $"library.{name}", show =>
        {
            var revert = show.Library.TryGetValue(name, out var previous)
                ? (Func<LightingShow, LightingShow>)(s => s.WithScene(name, previous))
                : s => s.WithoutScene(name);
            return (show.WithScene(name, scene), revert);
        });
    }

    /// <summary>Removes a library scene; one a preset or a chase uses is refused (<see cref="ShowConflictException"/>).</summary>
    public void DeleteScene(string name) => Change($"scene '{name}' deleted", $"library.{name}", show =>
    {
        if (!show.Library.TryGetValue(name, out var previous))
        {
            throw new KeyNotFoundException($"there is no scene '{name}' in the library");
        }

        var presets = show.PresetsUsing(name);
        var chases = show.ChasesUsing(name);
        if (presets.Count > 0 || chases.Count > 0)
        {
            throw new ShowConflictException($"scene '{name}' is in use" +
                (presets.Count > 0 ? $" by the presets {string.Join(", ", presets.Select(p => $"'{p}'"))}" : "") +
                (chases.Count > 0 ? $" by the chases {string.Join(", ", chases.Select(c => $"'{c}'"))}" : "") + "; map them to another scene first");
        }

        return (show.WithoutScene(name), s => s.WithScene(name, previous));
    });

    /// <summary>A preset's mapping in the scenes-file format, or null.</summary>
    public string? GetPreset(string name) => Show.Presets.TryGetValue(name, out var preset) ? SceneLoader.SerializePreset(preset) : null;

    /// <summary>Creates or replaces a preset's mapping; when it is the active one, the rig crossfades to its new looks.</summary>
    public void PutPreset(string name, string json)
    {
        CheckName(name, "preset");
        ShowPreset preset;
        try
        {
            preset = SceneLoader.ParsePreset(json, PresetSource);
        }
        catch (LightingConfigException e)
        {
            throw FieldValidationException.FromLook(e, PresetSource);
        }

        Change($"preset '{name}' saved", $"presets.{name}", show =>
        {
            var revert = show.Presets.TryGetValue(name, out var previous)
                ? (Func<LightingShow, LightingShow>)(s => s.WithPreset(name, previous))
                : s => s.WithoutPreset(name);
            return (show.WithPreset(name, preset), revert);
        });
    }

    /// <summary>Removes a preset; the active one is refused (<see cref="ShowConflictException"/>).</summary>
    public void DeletePreset(string name) => Change($"preset '{name}' deleted", $"presets.{name}", show =>
    {
        if (!show.Presets.TryGetValue(name, out var previous))
        {
            throw new KeyNotFoundException($"there is no preset '{name}'");
        }

        if (show.ActivePreset == name)
        {
            throw new ShowConflictException($"preset '{name}' is active; activate another one first");
        }

        return (show.WithoutPreset(name), s => s.WithPreset(name, previous));
    });

    /// <summary>Shows <paramref name="name"/>'s mapping from now on (crossfading, no restart); kept across restarts.</summary>
    public void ActivatePreset(string name)
    {
        Change($"preset '{name}' activated", "activePreset", show =>
        {
            if (!show.Presets.ContainsKey(name))
            {
                throw new FieldValidationException("preset", $"there is no preset '{name}' (presets: {string.Join(", ", show.Presets.Keys)})");
            }

            var previous = show.ActivePreset;
            return (show with { ActivePreset = name }, s => s.Presets.ContainsKey(previous) ? s with { ActivePreset = previous } : s);
        }, () => logger.PresetActivated(name));
    }

    /// <summary>The crossfade between looks, 0..600 s: live at once and saved with the scenes (not undone: it is a desk fader).</summary>
    public void SetFade(double seconds)
    {
        if (!(seconds >= 0 && seconds <= 600))
        {
            throw new FieldValidationException("seconds", "the fade must be between 0 and 600 s");
        }

        Change(null, "crossfadeSeconds", show => (show with { CrossfadeSeconds = seconds }, null));
    }

    /// <summary>Reverts the newest change; false when there is nothing to undo.</summary>
    public bool Undo()
    {
        lock (_lock)
        {
            if (_undo.First is not { } newest)
            {
                return false;
            }

            var (what, revert) = newest.Value;
            LightingShow reverted;
            try
            {
                reverted = SceneLoader.Validate(revert(_show), ShowSource, engine.Patch);
            }
            catch (LightingConfigException e)
            {
                // a later change depends on it (a preset now uses the scene an undo would remove)
                throw new ShowConflictException($"'{what}' cannot be undone: {string.Join("; ", e.Errors)}");
            }

            Save(reverted);   // throws ScenesNotSavedException: nothing changed, the change can still be undone
            _undo.RemoveFirst();
            Go(reverted);
            logger.OperatorAction($"undone: {what}");
        }

        return true;
    }

    /// <summary>
    /// Under the lock: makes the new show from the current one, validates it whole, saves it, applies it, and keeps its
    /// revert for undo (<paramref name="what"/> null: not undoable), and logs it (<paramref name="log"/>, or as an operator
    /// action). Problems at <paramref name="field"/> of the show
    /// are reported as the request's own fields.
    /// </summary>
    private void Change(string? what, string field, Func<LightingShow, (LightingShow Next, Func<LightingShow, LightingShow>? Revert)> make, Action? log = null)
    {
        lock (_lock)
        {
            var (next, revert) = make(_show);
            LightingShow ready;
            try
            {
                ready = SceneLoader.Validate(next, ShowSource, engine.Patch);
            }
            catch (LightingConfigException e)
            {
                throw ShowProblems(e, field);
            }

            Save(ready);
            Go(ready);
            if (what is not null && revert is not null)
            {
                _undo.AddFirst((what, revert));
                while (_undo.Count > UndoDepth)
                {
                    _undo.RemoveLast();
                }
            }
        }

        if (log is not null)
        {
            log();
        }
        else if (what is not null)
        {
            logger.OperatorAction(what);
        }
    }

    /// <summary>Under the lock: the saved show goes live.</summary>
    private void Go(LightingShow show)
    {
        _show = show;
        engine.ReplaceScenes(show.Book);
    }

    /// <summary>Writes the show to the scenes file atomically; throws <see cref="ScenesNotSavedException"/> naming why.</summary>
    private void Save(LightingShow show)
    {
        var path = ScenesPath;
        try
        {
            AtomicFile.WriteAllText(path, SceneLoader.Serialize(show));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.ScenesNotSaved(path, e.Message);
            throw new ScenesNotSavedException($"the scenes file {path} cannot be written ({e.Message}); nothing was changed", e);
        }
    }

    private static void CheckName(string name, string what)
    {
        if (SceneLoader.NameProblem(name, what) is { } problem)
        {
            throw new FieldValidationException("name", problem);
        }
    }

    /// <summary>The show's errors: those under <paramref name="field"/> by their path below it (the request's fields), others as the whole request's.</summary>
    private static FieldValidationException ShowProblems(LightingConfigException e, string field)
    {
        var prefix = $"{ShowSource}: {field}";
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in e.Errors)
        {
            var (key, message) = line.StartsWith(prefix + ".", StringComparison.Ordinal) && line.IndexOf(": ", prefix.Length, StringComparison.Ordinal) is > 0 and var colon
                ? (line[(prefix.Length + 1)..colon], line[(colon + 2)..])
                : line.StartsWith(prefix + ": ", StringComparison.Ordinal) ? (FieldValidationException.WholeRequest, line[(prefix.Length + 2)..])
                : (FieldValidationException.WholeRequest, line.StartsWith(ShowSource + ": ", StringComparison.Ordinal) ? line[(ShowSource.Length + 2)..] : line);
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }

            list.Add(message);
        }

        return new FieldValidationException(errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
    }
}

/// <summary>A show edit that conflicts with the show as it is (a scene a preset uses, the active preset, an undo a later change depends on): 409.</summary>
public sealed class ShowConflictException(string message) : InvalidOperationException(message);
