using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The operator's desk, as the render loop sees it: a forced mood, blackout, the grand master, the safe look, channel
/// overrides (<see cref="OverrideTable"/>), group overrides (<see cref="GroupOverrides"/>), house lights (the scenes
/// file's house look, above the music), a preview of an unsaved look (held for a limited time so a page that went away
/// cannot leave it up), the crossfade time, and scene edits. Every input is thread-safe.
/// </summary>
public sealed partial class LightingEngine
{
    /// <summary>Seconds a look takes to fade into a preview (quick, so dragging a slider is seen at once).</summary>
    public const double PreviewFadeSeconds = 0.3;

    // desk inputs (guarded by _gate)
    private bool _blackout;
    private double _master;
    private SafeLook _safeLook;
    private bool _house;
    private MoodLook? _preview;
    private long _previewUntil;

    /// <summary>Frames per second the engine renders (the most often a control change can be seen).</summary>
    public double RateHz => _options.RateHz;

    private SafeLook SafeLookNow
    {
        get
        {
            lock (_gate)
            {
                return _safeLook;
            }
        }
    }

    /// <summary>Operator: show <paramref name="mood"/> whatever the analysis says (and through silence).</summary>
    public void ForceMood(Mood mood)
    {
        lock (_gate)
        {
            _forced = mood;
        }
    }

    /// <summary>Operator: follow the analysis again.</summary>
    public void ReleaseMood()
    {
        lock (_gate)
        {
            _forced = null;
        }
    }

    /// <summary>Operator blackout: zeroes intensity (HTP) channels only; pan/tilt and other LTP channels keep values.</summary>
    public void SetBlackout(bool on)
    {
        lock (_gate)
        {
            _blackout = on;
        }
    }

    /// <summary>Grand master 0..1 (scales intensity).</summary>
    public void SetMaster(double level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 1);
        lock (_gate)
        {
            _master = level;
        }
    }

    /// <summary>Which look shutdown and faults leave on the outputs.</summary>
    public void SetSafeLook(SafeLook look)
    {
        lock (_gate)
        {
            _safeLook = look;
        }
    }

    /// <summary>Operator channel override (1-based address). Intensity channels merge HTP, others LTP.</summary>
    public void SetOverride(int universe, int address, byte value) => _overrides.Set(UniverseIndex(universe), address, value);

    /// <summary>Overrides one channel of a patched fixture (the first channel of <paramref name="kind"/>).</summary>
    public void SetFixtureOverride(string fixture, ChannelKind kind, byte value)
    {
        var f = Patch.Fixtures.FirstOrDefault(x => string.Equals(x.Name, fixture, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"no fixture named '{fixture}' in the patch", nameof(fixture));
        var offset = f.Mode.OffsetOf(kind);
        if (offset < 0)
        {
            throw new ArgumentException($"fixture '{fixture}' ({f.Profile.Key}, mode {f.Mode.Name}) has no {kind.ToName()} channel", nameof(kind));
        }

        SetOverride(f.Universe, f.Address + offset, value);
    }

    public void ClearOverride(int universe, int address) => _overrides.Clear(UniverseIndex(universe), address);

    public void ClearOverrides() => _overrides.ClearAll();

    /// <summary>House lights ("work light"): the house look replaces the music's until switched off. Blackout still applies.</summary>
    public void SetHouse(bool on)
    {
        lock (_gate)
        {
            _house = on;
        }
    }

    /// <summary>
    /// Shows <paramref name="look"/> (validated against the patch; a bad look throws and changes nothing) for at most
    /// <paramref name="hold"/>, above the music and the house lights; send it again to keep it up.
    /// </summary>
    public void SetPreview(MoodLook look, TimeSpan hold)
    {
        ArgumentNullException.ThrowIfNull(look);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(hold, TimeSpan.Zero);
        SceneLoader.Validate(look, "preview", Patch);
        var until = _time.GetTimestamp() + (long)(hold.TotalSeconds * _time.TimestampFrequency);
        lock (_gate)
        {
            _preview = look;
            _previewUntil = until;
        }
    }

    /// <summary>Ends a preview (the music's look fades back in); nothing happens when none is up.</summary>
    public void EndPreview()
    {
        lock (_gate)
        {
            _preview = null;
        }
    }

    /// <summary>
    /// Overrides a group: <paramref name="intensity"/> (0..1) replaces the look's intensity for its fixtures,
    /// <paramref name="colour"/> the look's colour; null leaves that part to the look.
    /// </summary>
    public void SetGroupOverride(string group, double? intensity, Rgb? colour) => _groups.Set(group, intensity, colour);

    public void ClearGroupOverride(string group) => SetGroupOverride(group, null, null);

    /// <summary>The group overrides in force (patch order); a group without one is left out.</summary>
    public IReadOnlyList<GroupOverride> GetGroupOverrides() => _groups.Get();

    /// <summary>The crossfade between looks (the scenes file's <c>crossfadeSeconds</c>), 0..600 s, live.</summary>
    public void SetCrossfadeSeconds(double seconds)
    {
        if (!(seconds >= 0 && seconds <= 600))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "the crossfade must be between 0 and 600 s");
        }

        lock (_gate)
        {
            _scenes = _scenes with { CrossfadeSeconds = seconds };
        }
    }

    /// <summary>
    /// Scene edit: replaces one mood's look (validated against the patch; a bad look throws and changes nothing). New
    /// looks clear a render failure: the next frame tries them.
    /// </summary>
    public void SetLook(Mood mood, MoodLook look)
    {
        SceneLoader.Validate(look, $"moods.{mood.ToName()}", Patch);
        lock (_gate)
        {
            _scenes = _scenes.WithLook(mood, look);
        }

        _health.Clear(RenderStage);
    }

    /// <summary>
    /// Scene edit: replaces every look (e.g. a reloaded scenes file, already validated against this patch). New looks
    /// clear a render failure: the next frame tries them.
    /// </summary>
    public void ReplaceScenes(SceneBook scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        lock (_gate)
        {
            _scenes = scenes;
        }

        _health.Clear(RenderStage);
    }

    private int UniverseIndex(int universe)
    {
        var u = _frames.IndexOf(universe);
        return u >= 0 ? u : throw new ArgumentOutOfRangeException(nameof(universe), universe, "universe is not in the patch");
    }

    /// <summary>Under <c>_gate</c>: house lights, and the preview if it is still up (an expired one is dropped).</summary>
    private (bool House, MoodLook? Preview) ReadDeskInputs(long now)
    {
        if (_preview is not null && now >= _previewUntil)
        {
            _preview = null;
        }

        return (_house, _preview);
    }
}
