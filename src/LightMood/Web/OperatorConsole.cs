using System.Text.Json;
using LightMood.Analysis;
using LightMood.Hosting;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Web;

/// <summary>
/// What the operator can do, independent of HTTP: force a mood (until released or for a time), manual/auto, blackout,
/// master, scene edits saved atomically with one level of undo, and mood corrections stored as feedback records.
/// Every method validates first and changes nothing when it throws <see cref="ArgumentException"/>.
/// </summary>
public sealed class OperatorConsole(
    LightingEngine engine,
    LiveState state,
    IOptions<LightingOptions> lightingOptions,
    IHostEnvironment environment,
    MoodEstimatorFactory estimators,
    TimeProvider time,
    ILogger<OperatorConsole> logger)
{
    private readonly Lock _lock = new();
    private readonly Stack<(Mood Mood, MoodLook Look)> _undo = new();
    private ITimer? _forceTimer;

    /// <summary>"auto" follows the music; "manual" holds the forced mood.</summary>
    public string Mode { get; private set; } = "auto";

    public DateTimeOffset? ForcedUntil { get; private set; }

    public string ScenesPath => Path.Combine(environment.ContentRootPath, lightingOptions.Value.ScenesFile);

    public void Force(Mood mood, double? seconds)
    {
        if (seconds is { } s && (double.IsNaN(s) || s < 1 || s > 86400))
        {
            throw new ArgumentException("seconds must be between 1 and 86400 (or omitted: held until released)");
        }

        lock (_lock)
        {
            _forceTimer?.Dispose();
            _forceTimer = null;
            engine.ForceMood(mood);
            Mode = "manual";
            ForcedUntil = null;
            if (seconds is { } hold)
            {
                ForcedUntil = time.GetUtcNow().AddSeconds(hold);
                _forceTimer = time.CreateTimer(_ => Release(), null, TimeSpan.FromSeconds(hold), Timeout.InfiniteTimeSpan);
            }
        }

        logger.OperatorAction($"force {mood.ToName()}" + (seconds is null ? "" : $" for {seconds} s"));
    }

    public void Release()
    {
        lock (_lock)
        {
            _forceTimer?.Dispose();
            _forceTimer = null;
            ForcedUntil = null;
            Mode = "auto";
            engine.ReleaseMood();
        }

        logger.OperatorAction("release (auto)");
    }

    /// <summary>Manual holds the mood the analysis hears now; auto releases it.</summary>
    public void SetMode(string mode)
    {
        switch (mode)
        {
            case "auto":
                Release();
                break;
            case "manual":
                Force(state.Current?.Mood ?? Mood.Calm, null);
                break;
            default:
                throw new ArgumentException($"mode '{mode}' is not auto or manual");
        }
    }

    public void SetBlackout(bool on)
    {
        engine.SetBlackout(on);
        logger.OperatorAction(on ? "blackout on" : "blackout off");
    }

    public void SetMaster(double level)
    {
        if (double.IsNaN(level) || level < 0 || level > 1)
        {
            throw new ArgumentException("level must be between 0 and 1");
        }

        engine.SetMaster(level);
        logger.OperatorAction($"master {level:0.00}");
    }

    public string GetLook(Mood mood) => SceneLoader.SerializeLook(engine.Scenes.LookFor(mood));

    /// <summary>Validates the look against the patch, applies it live, and saves the scenes file atomically.</summary>
    public void SetLook(Mood mood, string lookJson)
    {
        MoodLook look;
        try
        {
            look = SceneLoader.ParseLook(lookJson, $"scene '{mood.ToName()}'", engine.Patch);
        }
        catch (Exception e) when (e is Lighting.Fixtures.LightingConfigException or JsonException)
        {
            throw new ArgumentException(e.Message, e);
        }

        if (SceneLoader.SerializeLook(look).Length > OperatorApi.MaxBodyBytes)
        {
            // what is saved must be readable back and sent again: one limit for both directions
            throw new ArgumentException($"the look is larger than {OperatorApi.MaxBodyBytes} bytes as JSON");
        }

        lock (_lock)
        {
            var previous = engine.Scenes.LookFor(mood);
            SaveScenes(engine.Scenes.WithLook(mood, look)); // only what is on disk goes live
            engine.SetLook(mood, look);
            _undo.Push((mood, previous));
            while (_undo.Count > 20)
            {
                // keep the stack bounded: drop the oldest
                var items = _undo.ToArray();
                _undo.Clear();
                foreach (var item in items.Take(20).Reverse())
                {
                    _undo.Push(item);
                }
            }
        }

        logger.OperatorAction($"scene {mood.ToName()} edited");
    }

    /// <summary>Restores the look before the last edit; false when there is nothing to undo.</summary>
    public bool Undo()
    {
        lock (_lock)
        {
            if (!_undo.TryPop(out var entry))
            {
                return false;
            }

            try
            {
                SaveScenes(engine.Scenes.WithLook(entry.Mood, entry.Look));
            }
            catch
            {
                _undo.Push(entry); // nothing changed: the edit can still be undone once the file is writable
                throw;
            }

            engine.SetLook(entry.Mood, entry.Look);
        }

        logger.OperatorAction("scene edit undone");
        return true;
    }

    /// <summary>"This passage is <paramref name="mood"/>": feedback for the CRNN's personalization (refitted at once).</summary>
    public int Correct(double startSeconds, double endSeconds, Mood mood)
    {
        if (!double.IsFinite(startSeconds) || !double.IsFinite(endSeconds) || startSeconds < 0 || endSeconds <= startSeconds)
        {
            throw new ArgumentException("need 0 <= start_s < end_s");
        }

        var windows = estimators.Correct(startSeconds, endSeconds, mood);
        logger.CorrectionStored(startSeconds, endSeconds, mood.ToName());
        return windows;
    }

    /// <summary>Writes <paramref name="book"/> to the scenes file atomically; throws <see cref="ScenesNotSavedException"/> naming why.</summary>
    private void SaveScenes(SceneBook book)
    {
        var path = ScenesPath;
        try
        {
            AtomicFile.WriteAllText(path, SceneLoader.Serialize(book));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.ScenesNotSaved(path, e.Message);
            throw new ScenesNotSavedException($"the scenes file {path} cannot be written ({e.Message}); nothing was changed", e);
        }
    }
}

/// <summary>A scene edit or undo could not be written to the scenes file; the live look did not change.</summary>
public sealed class ScenesNotSavedException(string message, Exception inner) : Exception(message, inner);
