namespace LightMood.Analysis.Segmentation;

/// <summary>
/// The recent history of a <see cref="SpectralNovelty"/> step per split, addressed by absolute split index, with its mean
/// and the peak search the soft cut places boundaries with. Allocation-free after construction.
/// </summary>
/// <remarks>
/// Split f lies between frames f − 1 and f, at <see cref="TimeOf"/>(f) = f·frameSeconds + frameOffsetSeconds. A peak is a
/// split no held split within ±radius steps more than (neighbours outside a searched span included), so the maximum
/// at the edge of a span, the flank of a step outside it, is not a peak. Its sub-split position is the vertex of the
/// parabola through the peak and its two neighbours.
/// </remarks>
public sealed class NoveltyCurve
{
    private readonly float[] _values;
    private readonly double _frameSeconds;
    private readonly double _frameOffsetSeconds;
    private long _first = -1;
    private long _next;
    private double _sum;

    /// <param name="capacity">Splits held (and averaged).</param>
    /// <param name="frameSeconds">Seconds between frames.</param>
    /// <param name="frameOffsetSeconds">Time of the split before frame 0.</param>
    public NoveltyCurve(int capacity, double frameSeconds, double frameOffsetSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 3);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSeconds);
        _values = new float[capacity];
        _frameSeconds = frameSeconds;
        _frameOffsetSeconds = frameOffsetSeconds;
    }

    public int Capacity => _values.Length;

    /// <summary>Whether any step has been added.</summary>
    public bool IsEmpty => _first < 0;

    /// <summary>The oldest split held.</summary>
    public long Oldest => Math.Max(_first, _next - _values.Length);

    /// <summary>The newest split held (Oldest − 1 when empty).</summary>
    public long Newest => _next - 1;

    /// <summary>Mean step over the splits held (0 when empty).</summary>
    public double Mean => IsEmpty ? 0 : _sum / (_next - Oldest);

    public float this[long split] => IsHeld(split)
        ? _values[split % _values.Length]
        : throw new ArgumentOutOfRangeException(nameof(split), split, $"Splits {Oldest}..{Newest} are held.");

    /// <summary>Time of split <paramref name="split"/> (fractional for a refined peak).</summary>
    public double TimeOf(double split) => (split * _frameSeconds) + _frameOffsetSeconds;

    /// <summary>The first split at or after <paramref name="seconds"/>.</summary>
    public long FirstSplitAtOrAfter(double seconds) => (long)Math.Ceiling((seconds - _frameOffsetSeconds) / _frameSeconds);

    /// <summary>The last split at or before <paramref name="seconds"/>.</summary>
    public long LastSplitAtOrBefore(double seconds) => (long)Math.Floor((seconds - _frameOffsetSeconds) / _frameSeconds);

    public bool IsHeld(long split) => !IsEmpty && split >= Oldest && split <= Newest;

    /// <summary>The step at the next split; the first call fixes where the curve starts.</summary>
    public void Add(long split, float value)
    {
        if (!float.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A step is finite and not negative.");
        }

        if (IsEmpty)
        {
            _first = _next = split;
        }
        else if (split != _next)
        {
            throw new ArgumentException($"Steps come split by split: expected {_next}, got {split}.", nameof(split));
        }

        var slot = (int)(split % _values.Length);
        if (_next - _first >= _values.Length)
        {
            _sum -= _values[slot];
        }

        _values[slot] = value;
        _sum += value;
        _next++;
    }

    /// <summary>Whether no held split within ±<paramref name="radius"/> of <paramref name="split"/> steps more.</summary>
    public bool IsPeak(long split, int radius)
    {
        var value = this[split];
        for (var f = Math.Max(Oldest, split - radius); f <= Math.Min(Newest, split + radius); f++)
        {
            if (_values[f % _values.Length] > value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The largest peak (within ±<paramref name="radius"/>) whose split lies in [<paramref name="fromSeconds"/>,
    /// <paramref name="toSeconds"/>], refined between splits; false when the span holds no peak.
    /// </summary>
    public bool TryBestPeak(double fromSeconds, double toSeconds, int radius, out double split, out float strength)
    {
        split = double.NaN;
        strength = 0;
        if (IsEmpty)
        {
            return false;
        }

        var first = Math.Max(Oldest, FirstSplitAtOrAfter(fromSeconds));
        var last = Math.Min(Newest, LastSplitAtOrBefore(toSeconds));
        var found = false;
        var best = 0L;
        for (var f = first; f <= last; f++)
        {
            var d = _values[f % _values.Length];
            if ((!found || d > strength) && IsPeak(f, radius))
            {
                strength = d;
                best = f;
                found = true;
            }
        }

        if (found)
        {
            split = Refine(best);
        }

        return found;
    }

    /// <summary>The vertex of the parabola through a split and its neighbours (the split itself when one is not held or the curve is not concave there).</summary>
    public double Refine(long split)
    {
        if (!IsHeld(split - 1) || !IsHeld(split + 1))
        {
            return split;
        }

        double left = this[split - 1], centre = this[split], right = this[split + 1];
        var curvature = left - (2 * centre) + right;
        return curvature < 0 ? split + Math.Clamp(0.5 * (left - right) / curvature, -0.5, 0.5) : split;
    }
}
