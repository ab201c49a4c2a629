namespace LightMood.Analysis.Dsp;

/// <summary>
/// Causal peak picking on an onset-strength function: frame u is an onset when it is the maximum of
/// [u − w, u + w], exceeds δ + λ·(mean of the previous <c>AverageFrames</c> values), and lies at least
/// <c>MinGapFrames</c> after the previous onset. Decided w frames late (w = 3: 35 ms at hop 256).
/// </summary>
/// <remarks>Allocation-free; one value in, at most one onset out per call.</remarks>
public sealed class OnsetPicker
{
    private readonly float[] _ring;
    private readonly int _half;
    private readonly int _average;
    private readonly double _delta;
    private readonly double _lambda;
    private readonly int _minGap;
    private long _count;
    private long _lastOnset = long.MinValue / 2;

    public OnsetPicker(int halfWidth = 3, int averageFrames = 43, double delta = 0.5, double lambda = 1.5, int minGapFrames = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(halfWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(averageFrames, 1);
        _half = halfWidth;
        _average = averageFrames;
        _delta = delta;
        _lambda = lambda;
        _minGap = minGapFrames;
        _ring = new float[Math.Max((2 * halfWidth) + 1, averageFrames + halfWidth + 1) + 1];
    }

    /// <summary>Frames of delay between a peak and its report.</summary>
    public int Delay => _half;

    /// <summary>Takes odf(u) for the next frame u; returns true with the onset's frame index when frame u − w is an onset.</summary>
    public bool Push(float value, out long onsetFrame)
    {
        onsetFrame = -1;
        var u = _count++;
        _ring[u % _ring.Length] = value;
        var c = u - _half;
        if (c < 0)
        {
            return false;
        }

        var candidate = _ring[c % _ring.Length];
        for (var i = Math.Max(0, c - _half); i <= u; i++)
        {
            if (i != c && (_ring[i % _ring.Length] > candidate || (i < c && _ring[i % _ring.Length] == candidate)))
            {
                return false;
            }
        }

        var sum = 0.0;
        var n = 0;
        for (var i = c - 1; i >= 0 && i >= c - _average; i--)
        {
            sum += _ring[i % _ring.Length];
            n++;
        }

        var threshold = _delta + (n > 0 ? _lambda * sum / n : 0);
        if (candidate < threshold || c - _lastOnset < _minGap)
        {
            return false;
        }

        _lastOnset = c;
        onsetFrame = c;
        return true;
    }
}
