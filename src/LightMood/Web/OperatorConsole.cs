using System.Text.Json;
using LightMood.Hosting;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Web;

/// <summary>
/// What the operator can do, independent of HTTP: force a mood (until released or for a time), manual/auto, blackout,
/// master, previews, house lights, group overrides, and mood corrections stored as feedback records. Scene, mapping and
/// preset edits (saved atomically, with undo) are the <see cref="ShowEditor"/>'s.
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
    /// <summary>How long a preview stays up unless sent again.</summary>
    public static readonly TimeSpan PreviewHold = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private ITimer? _forceTimer;

    /// <summary>"auto" follows the music; "manual" holds the forced mood.</summary>
    public string Mode { get; private set; } = "auto";

    public DateTimeOffset? ForcedUntil { get; private set; }

    /// <summary>The scenes file (the show: library, presets, active preset) in the state directory.</summary>
    public string ScenesPath => Path.Combine(environment.ContentRootPath, lightingOptions.Value.ScenesFile);

    public void Force(Mood mood, double? seconds)
    {
        if (seconds is { } s && (double.IsNaN(s) || s < 1 || s > 86400))
        {
            throw new FieldValidationException("seconds", "seconds must be between 1 and 86400 (or omitted: held until released)");
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
                throw new FieldValidationException("mode", $"mode '{mode}' is not auto or manual");
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
            throw new FieldValidationException("level", "level must be between 0 and 1");
        }

        engine.SetMaster(level);
        logger.OperatorAction($"master {level:0.00}");
    }

    /// <summary>Shows an unsaved look on the rig for <see cref="PreviewHold"/> (the editor sends it again while editing).</summary>
    public void Preview(string lookJson)
    {
        engine.SetPreview(ParseLook(lookJson), PreviewHold);
    }

    public void EndPreview() => engine.EndPreview();

    /// <summary>House lights ("work light") on or off.</summary>
    public void SetHouse(bool on)
    {
        engine.SetHouse(on);
        logger.OperatorAction(on ? "house lights on" : "house lights off");
    }

    /// <summary>Overrides a group's intensity (0..1) and/or colour (<c>#rrggbb</c>); at least one of them.</summary>
    public void SetGroupOverride(string group, double? intensity, string? colour)
    {
        CheckGroup(group);
        if (intensity is null && colour is null)
        {
            throw new FieldValidationException(FieldValidationException.WholeRequest, "give 'intensity' (0..1) and/or 'colour' (#rrggbb)");
        }

        if (intensity is { } level && !(level >= 0 && level <= 1))
        {
            throw new FieldValidationException("intensity", "intensity must be between 0 and 1");
        }

        Rgb? rgb = null;
        if (colour is not null)
        {
            rgb = Rgb.TryParse(colour, out var c) ? c : throw new FieldValidationException("colour", $"'{colour}' is not a #rrggbb colour");
        }

        engine.SetGroupOverride(group, intensity, rgb);
        logger.OperatorAction($"group {group} override" + (intensity is null ? "" : $" intensity {intensity:0.00}") + (colour is null ? "" : $" colour {colour}"));
    }

    public void ClearGroupOverride(string group)
    {
        CheckGroup(group);
        engine.ClearGroupOverride(group);
        logger.OperatorAction($"group {group} override cleared");
    }

    /// <summary>"This passage is <paramref name="mood"/>": feedback for the CRNN's personalization (refitted at once).</summary>
    public int Correct(double startSeconds, double endSeconds, Mood mood)
    {
        if (!double.IsFinite(startSeconds) || !double.IsFinite(endSeconds) || startSeconds < 0 || endSeconds <= startSeconds)
        {
            throw new FieldValidationException("start_s", "need 0 <= start_s < end_s");
        }

        var windows = estimators.Correct(startSeconds, endSeconds, mood);
        logger.CorrectionStored(startSeconds, endSeconds, mood.ToName());
        return windows;
    }

    private void CheckGroup(string group)
    {
        if (!engine.Patch.Groups.Contains(group, StringComparer.Ordinal))
        {
            throw new FieldValidationException("group", $"no group named '{group}' in the patch (groups: {string.Join(", ", engine.Patch.Groups)})");
        }
    }

    /// <summary>A look in the scenes-file format, checked against the patch; errors by field path within the look.</summary>
    private MoodLook ParseLook(string lookJson)
    {
        MoodLook look;
        try
        {
            look = SceneLoader.ParseLook(lookJson, ShowEditor.LookSource, engine.Patch);
        }
        catch (Lighting.Fixtures.LightingConfigException e)
        {
            throw FieldValidationException.FromLook(e, ShowEditor.LookSource);
        }

        if (SceneLoader.SerializeLook(look).Length > OperatorApi.MaxBodyBytes)
        {
            // what is saved must be readable back and sent again: one limit for both directions
            throw new FieldValidationException($"the look is larger than {OperatorApi.MaxBodyBytes} bytes as JSON");
        }

        return look;
    }
}

/// <summary>A scene edit or undo could not be written to the scenes file; the live look did not change.</summary>
public sealed class ScenesNotSavedException(string message, Exception inner) : Exception(message, inner);
