using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Output;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The operator's channel overrides and the blackout rule, per universe slot: an override merges HTP on intensity
/// channels (the higher of look and override) and LTP on every other channel (the override wins); blackout zeroes
/// HTP channels only, so pan/tilt and other LTP channels keep their values. Thread-safe: the desk writes from any
/// thread, the render loop merges every frame without allocating.
/// </summary>
internal sealed class OverrideTable
{
    private readonly Lock _gate = new();
    private readonly bool[][] _htp;
    private readonly short[][] _overrides; // −1 = no override
    private int _count;

    /// <param name="patch">Which slots are intensity (HTP) channels.</param>
    /// <param name="frames">The universes, in the frame set's order (the table is indexed like it).</param>
    public OverrideTable(Patch patch, DmxFrameSet frames)
    {
        var u = frames.Universes.Length;
        _htp = new bool[u][];
        _overrides = new short[u][];
        for (var i = 0; i < u; i++)
        {
            _htp[i] = new bool[512];
            _overrides[i] = new short[512];
            Array.Fill(_overrides[i], (short)-1);
        }

        foreach (var fx in patch.Fixtures)
        {
            var ui = frames.IndexOf(fx.Universe);
            for (var c = 0; c < fx.Footprint; c++)
            {
                _htp[ui][fx.Address - 1 + c] = fx.Mode.Channels[c].Kind.IsHtp();
            }
        }
    }

    /// <summary>Overrides one slot (<paramref name="universeIndex"/> in frame-set order, 1-based address 1..512).</summary>
    public void Set(int universeIndex, int address, byte value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(address, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(address, 512);
        lock (_gate)
        {
            if (_overrides[universeIndex][address - 1] < 0)
            {
                _count++;
            }

            _overrides[universeIndex][address - 1] = value;
        }
    }

    /// <summary>Releases one slot; an address outside 1..512 or a slot without an override is left alone.</summary>
    public void Clear(int universeIndex, int address)
    {
        lock (_gate)
        {
            if (address is >= 1 and <= 512 && _overrides[universeIndex][address - 1] >= 0)
            {
                _overrides[universeIndex][address - 1] = -1;
                _count--;
            }
        }
    }

    public void ClearAll()
    {
        lock (_gate)
        {
            foreach (var o in _overrides)
            {
                Array.Fill(o, (short)-1);
            }

            _count = 0;
        }
    }

    /// <summary>Render thread: merges the overrides into the frames (HTP: highest wins; LTP: the override is the latest value).</summary>
    public void MergeInto(byte[][] frames)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return;
            }

            for (var u = 0; u < frames.Length; u++)
            {
                var o = _overrides[u];
                var frame = frames[u];
                var htp = _htp[u];
                for (var s = 0; s < 512; s++)
                {
                    var v = o[s];
                    if (v >= 0)
                    {
                        frame[s] = htp[s] ? Math.Max(frame[s], (byte)v) : (byte)v;
                    }
                }
            }
        }
    }

    /// <summary>Render thread: zeroes every intensity (HTP) slot; LTP slots keep their values.</summary>
    public void Blackout(byte[][] frames)
    {
        for (var u = 0; u < frames.Length; u++)
        {
            var frame = frames[u];
            var htp = _htp[u];
            for (var s = 0; s < 512; s++)
            {
                if (htp[s])
                {
                    frame[s] = 0;
                }
            }
        }
    }
}
