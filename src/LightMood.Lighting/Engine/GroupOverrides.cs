using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The operator's per-group overrides: an intensity and/or a colour that replace the look's for the group's fixtures,
/// applied to the rendered attributes before the DMX writer (so colour reaches RGB, RGBW or wheel fixtures alike and
/// master and blackout still apply). Thread-safe: the desk writes from any thread; the render loop takes a copy per
/// frame (<see cref="TakeFrame"/>) and applies it (<see cref="Apply"/>) without allocating.
/// </summary>
internal sealed class GroupOverrides
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<string> _groups;
    private readonly int[] _groupOfFixture;

    // inputs (guarded by _gate); one slot per patch group, NaN = no override
    private readonly double[] _level;
    private readonly double[] _r;
    private readonly double[] _g;
    private readonly double[] _b;

    // the frame's copies (render thread only)
    private readonly double[] _frameLevel;
    private readonly double[] _frameR;
    private readonly double[] _frameG;
    private readonly double[] _frameB;
    private bool _any;

    public GroupOverrides(Patch patch)
    {
        _groups = patch.Groups;
        var n = _groups.Count;
        _level = new double[n];
        _r = new double[n];
        _g = new double[n];
        _b = new double[n];
        foreach (var a in new[] { _level, _r, _g, _b })
        {
            Array.Fill(a, double.NaN);
        }

        _frameLevel = new double[n];
        _frameR = new double[n];
        _frameG = new double[n];
        _frameB = new double[n];
        _groupOfFixture = [.. patch.Fixtures.Select(f => IndexOf(f.Group))];
    }

    /// <summary>
    /// Overrides <paramref name="group"/>: <paramref name="intensity"/> (0..1) replaces the look's intensity,
    /// <paramref name="colour"/> the look's colour; null leaves that part to the look.
    /// </summary>
    public void Set(string group, double? intensity, Rgb? colour)
    {
        var g = IndexOf(group);
        if (g < 0)
        {
            throw new ArgumentException($"no group named '{group}' in the patch (groups: {string.Join(", ", _groups)})", nameof(group));
        }

        if (intensity is { } level && !(level >= 0 && level <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(intensity), intensity, "intensity must be between 0 and 1");
        }

        lock (_gate)
        {
            _level[g] = intensity ?? double.NaN;
            _r[g] = colour?.R ?? double.NaN;
            _g[g] = colour?.G ?? double.NaN;
            _b[g] = colour?.B ?? double.NaN;
        }
    }

    /// <summary>The overrides in force (patch order); a group without one is left out.</summary>
    public IReadOnlyList<GroupOverride> Get()
    {
        var list = new List<GroupOverride>();
        lock (_gate)
        {
            for (var g = 0; g < _level.Length; g++)
            {
                var level = double.IsNaN(_level[g]) ? (double?)null : _level[g];
                var colour = double.IsNaN(_r[g]) ? (Rgb?)null : new Rgb(_r[g], _g[g], _b[g]);
                if (level is not null || colour is not null)
                {
                    list.Add(new GroupOverride(_groups[g], level, colour));
                }
            }
        }

        return list;
    }

    /// <summary>Render thread: copies the overrides for this frame.</summary>
    public void TakeFrame()
    {
        lock (_gate)
        {
            Array.Copy(_level, _frameLevel, _level.Length);
            Array.Copy(_r, _frameR, _r.Length);
            Array.Copy(_g, _frameG, _g.Length);
            Array.Copy(_b, _frameB, _b.Length);
            _any = false;
            for (var g = 0; g < _level.Length; g++)
            {
                _any |= !double.IsNaN(_level[g]) || !double.IsNaN(_r[g]);
            }
        }
    }

    /// <summary>Render thread: the frame's overrides replace intensity and colour of the rendered attributes.</summary>
    public void Apply(FixtureAttributes[] attributes)
    {
        if (!_any)
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

            if (!double.IsNaN(_frameLevel[g]))
            {
                attributes[i].Intensity = _frameLevel[g];
            }

            if (!double.IsNaN(_frameR[g]))
            {
                attributes[i].R = _frameR[g];
                attributes[i].G = _frameG[g];
                attributes[i].B = _frameB[g];
            }
        }
    }

    private int IndexOf(string group)
    {
        for (var g = 0; g < _groups.Count; g++)
        {
            if (string.Equals(_groups[g], group, StringComparison.Ordinal))
            {
                return g;
            }
        }

        return -1;
    }
}

/// <summary>An operator override of one patch group: intensity and/or colour (null = the look's).</summary>
public sealed record GroupOverride(string Group, double? Intensity, Rgb? Colour);
