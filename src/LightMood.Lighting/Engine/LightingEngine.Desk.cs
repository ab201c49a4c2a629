using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The desk's inputs to the render loop: house lights (the scenes file's house look, above the music), a preview of an
/// unsaved look (held for a limited time so a page that went away cannot leave it up), per-group intensity and colour
/// overrides applied to the rendered attributes before the DMX writer (so colour reaches RGB, RGBW or wheel fixtures
/// alike and master and blackout still apply), and the crossfade time.
/// </summary>
public sealed partial class LightingEngine
{
    /// <summary>Seconds a look takes to fade into a preview (quick, so dragging a slider is seen at once).</summary>
    public const double PreviewFadeSeconds = 0.3;

    private const string PreviewKey = "preview";

    // inputs (guarded by _gate); one slot per patch group, NaN = no override
    private bool _house;
    private MoodLook? _preview;
    private long _previewUntil;
    private double[] _groupLevel = [];
    private double[] _groupR = [];
    private double[] _groupG = [];
    private double[] _groupB = [];

    // render copies (render thread only)
    private double[] _renderLevel = [];
    private double[] _renderR = [];
    private double[] _renderG = [];
    private double[] _renderB = [];
    private int[] _groupOfFixture = [];
    private bool _anyGroupOverride;

    /// <summary>Frames per second the engine renders (the most often a control change can be seen).</summary>
    public double RateHz => _options.RateHz;

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
    public void SetGroupOverride(string group, double? intensity, Rgb? colour)
    {
        var g = GroupIndex(group);
        if (intensity is { } level && !(level >= 0 && level <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(intensity), intensity, "intensity must be between 0 and 1");
        }

        lock (_gate)
        {
            _groupLevel[g] = intensity ?? double.NaN;
            _groupR[g] = colour?.R ?? double.NaN;
            _groupG[g] = colour?.G ?? double.NaN;
            _groupB[g] = colour?.B ?? double.NaN;
        }
    }

    public void ClearGroupOverride(string group) => SetGroupOverride(group, null, null);

    /// <summary>The group overrides in force (patch order); a group without one is left out.</summary>
    public IReadOnlyList<GroupOverride> GetGroupOverrides()
    {
        var list = new List<GroupOverride>();
        lock (_gate)
        {
            for (var g = 0; g < _groupLevel.Length; g++)
            {
                var level = double.IsNaN(_groupLevel[g]) ? (double?)null : _groupLevel[g];
                var colour = double.IsNaN(_groupR[g]) ? (Rgb?)null : new Rgb(_groupR[g], _groupG[g], _groupB[g]);
                if (level is not null || colour is not null)
                {
                    list.Add(new GroupOverride(Patch.Groups[g], level, colour));
                }
            }
        }

        return list;
    }

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

    private void InitDesk()
    {
        var groups = Patch.Groups.Count;
        _groupLevel = new double[groups];
        _groupR = new double[groups];
        _groupG = new double[groups];
        _groupB = new double[groups];
        foreach (var a in new[] { _groupLevel, _groupR, _groupG, _groupB })
        {
            Array.Fill(a, double.NaN);
        }

        _renderLevel = new double[groups];
        _renderR = new double[groups];
        _renderG = new double[groups];
        _renderB = new double[groups];
        _groupOfFixture = [.. Patch.Fixtures.Select(f => IndexOfGroup(f.Group))];
    }

    private int IndexOfGroup(string group)
    {
        for (var g = 0; g < Patch.Groups.Count; g++)
        {
            if (string.Equals(Patch.Groups[g], group, StringComparison.Ordinal))
            {
                return g;
            }
        }

        return -1;
    }

    private int GroupIndex(string group)
    {
        var g = IndexOfGroup(group);
        return g >= 0 ? g : throw new ArgumentException($"no group named '{group}' in the patch (groups: {string.Join(", ", Patch.Groups)})", nameof(group));
    }

    /// <summary>Under <c>_gate</c>: the preview if it is still up (an expired one is dropped), copies the overrides for the frame.</summary>
    private (bool House, MoodLook? Preview) ReadDeskInputs(long now)
    {
        if (_preview is not null && now >= _previewUntil)
        {
            _preview = null;
        }

        Array.Copy(_groupLevel, _renderLevel, _groupLevel.Length);
        Array.Copy(_groupR, _renderR, _groupR.Length);
        Array.Copy(_groupG, _renderG, _groupG.Length);
        Array.Copy(_groupB, _renderB, _groupB.Length);
        _anyGroupOverride = false;
        for (var g = 0; g < _groupLevel.Length; g++)
        {
            _anyGroupOverride |= !double.IsNaN(_groupLevel[g]) || !double.IsNaN(_groupR[g]);
        }

        return (_house, _preview);
    }

    /// <summary>Render thread: the group overrides replace intensity and colour of the rendered attributes.</summary>
    private void ApplyGroupOverrides(FixtureAttributes[] attributes)
    {
        if (!_anyGroupOverride)
        {
            return;
        }

        for (var i = 0; i < attributes.Length; i++)
        {
            var g = _groupOfFixture[i];
            if (g < 0)
            {
                continue;
            }

            if (!double.IsNaN(_renderLevel[g]))
            {
                attributes[i].Intensity = _renderLevel[g];
            }

            if (!double.IsNaN(_renderR[g]))
            {
                attributes[i].R = _renderR[g];
                attributes[i].G = _renderG[g];
                attributes[i].B = _renderB[g];
            }
        }
    }
}

/// <summary>An operator override of one patch group: intensity and/or colour (null = the look's).</summary>
public sealed record GroupOverride(string Group, double? Intensity, Rgb? Colour);
