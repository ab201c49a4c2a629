using System.Runtime.CompilerServices;
namespace LightMood.Analysis.Dsp;

/// <summary>
/// Short-term average energy over segments of M samples, the paper's eq. 3.1: E_t = (1/M) Σ_{n=tM}^{(t+1)M−1} x(n)².
/// </summary>
/// <remarks>
/// Segments do not overlap; segment t covers samples [t·M, (t+1)·M). A trailing partial segment is not reported.
/// <see cref="Process"/> is the batch form; <see cref="Push"/> is the streaming form (any block size, same values).
/// Energy is in squared full-scale units (a full-scale sine has E = 0.5). Neither method allocates.
/// </remarks>
public sealed class ShortTermEnergy
{
    private double _sum;
    private int _filled;

    public ShortTermEnergy(int segmentLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentLength, 1);
        SegmentLength = segmentLength;
    }

    /// <summary>M, samples per segment.</summary>
    public int SegmentLength { get; }

    /// <summary>Number of whole segments in <paramref name="sampleCount"/> samples.</summary>
    public int SegmentCount(int sampleCount) => sampleCount / SegmentLength;

    /// <summary>Batch eq. 3.1: writes E_t for every whole segment of <paramref name="signal"/>; returns the count.</summary>
    public int Process(ReadOnlySpan<float> signal, Span<float> energies)
    {
        var count = SegmentCount(signal.Length);
        if (energies.Length < count)
        {
            throw new ArgumentException($"The output needs {count} values, got {energies.Length}.", nameof(energies));
        }

        for (var t = 0; t < count; t++)
        {
            energies[t] = (float)Mean(signal.Slice(t * SegmentLength, SegmentLength));
        }

        return count;
    }

    /// <summary>
    /// Streaming eq. 3.1: accumulates <paramref name="samples"/>; writes E_t of each segment completed by this block
    /// into <paramref name="completed"/> and returns how many (at most samples/M + 1).
    /// </summary>
    public int Push(ReadOnlySpan<float> samples, Span<float> completed)
    {
        var written = 0;
        foreach (var x in samples)
        {
            _sum += (double)x * x;
            if (++_filled == SegmentLength)
            {
                if (written >= completed.Length)
                {
                    throw new ArgumentException("The output span is too short for the segments this block completes.", nameof(completed));
                }

                completed[written++] = (float)(_sum / SegmentLength);
                _sum = 0;
                _filled = 0;
            }
        }

        return written;
    }

    /// <summary>Forgets a partial segment.</summary>
    public void Reset()
    {
        _sum = 0;
        _filled = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    private static double Mean(ReadOnlySpan<float> segment)
    {
        var sum = 0.0;
        foreach (var x in segment)
        {
            sum += (double)x * x;
        }

        return sum / segment.Length;
    }
}
