using System.Numerics;
using System.Runtime.CompilerServices;

namespace LightMood.Analysis.Segmentation;

/// <summary>
/// The spectral (or tonal) step at a split between two frames: D(f) = sqrt((1/B) Σ_b (μ_after,b − μ_before,b)²), μ_before
/// the mean of the K frames f−K .. f−1 and μ_after the mean of the K frames f .. f+K−1, over B bands. On log-mel frames
/// (dB) D is a loudness-weighted spectral change in dB; on chroma frames (each summing to 1) it is a change of harmony.
/// </summary>
/// <remarks>
/// Reference: <c>novelty()</c> in tools/reference/make_goldens.py (fixtures/golden/novelty.json, computed in float64
/// by NumPy from the same mel and chroma frames). Configure once; <see cref="Process(MelFrameRing, long)"/> and
/// <see cref="Process(ReadOnlySpan{float}, Span{float})"/> allocate nothing. A frame costs 2·K·B additions.
/// </remarks>
public sealed class SpectralNovelty
{
    private readonly double[] _before;
    private readonly double[] _after;

    /// <param name="bands">Values per frame (96 mel bands, 12 pitch classes).</param>
    /// <param name="halfFrames">K: frames on each side of the split.</param>
    public SpectralNovelty(int bands, int halfFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(halfFrames, 1);
        Bands = bands;
        HalfFrames = halfFrames;
        _before = new double[bands];
        _after = new double[bands];
    }

    public int Bands { get; }

    /// <summary>K: frames on each side of the split.</summary>
    public int HalfFrames { get; }

    /// <summary>
    /// The step at the split before frame <paramref name="split"/> of the ring: frames split − K .. split + K − 1 must be held.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Process(MelFrameRing frames, long split)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Bands != Bands)
        {
            throw new ArgumentException($"The ring holds {frames.Bands} bands; this novelty was made for {Bands}.", nameof(frames));
        }

        var k = HalfFrames;
        if (split - k < frames.Oldest || split + k > frames.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, $"Frames {split - k}..{split + k - 1} are needed; {frames.Oldest}..{frames.Count - 1} are held.");
        }

        Array.Clear(_before);
        Array.Clear(_after);
        for (var i = 0; i < k; i++)
        {
            Add(frames.Frame(split - k + i), _before);
            Add(frames.Frame(split + i), _after);
        }

        return Step();
    }

    /// <summary>
    /// Batch form: <paramref name="frames"/> time-major (N frames × B bands); <paramref name="novelty"/>[i] is the step at
    /// the split before frame K + i, for every split with K frames on both sides (N − 2K + 1 values).
    /// </summary>
    public void Process(ReadOnlySpan<float> frames, Span<float> novelty)
    {
        if (frames.Length % Bands != 0)
        {
            throw new ArgumentException($"{frames.Length} values are not whole frames of {Bands} bands.", nameof(frames));
        }

        var n = frames.Length / Bands;
        var splits = n - (2 * HalfFrames) + 1;
        if (splits < 1 || novelty.Length != splits)
        {
            throw new ArgumentException($"{n} frames give {Math.Max(0, splits)} steps; the output holds {novelty.Length}.", nameof(novelty));
        }

        var k = HalfFrames;
        for (var s = 0; s < splits; s++)
        {
            Array.Clear(_before);
            Array.Clear(_after);
            for (var i = 0; i < k; i++)
            {
                Add(frames.Slice((s + i) * Bands, Bands), _before);
                Add(frames.Slice((s + k + i) * Bands, Bands), _after);
            }

            novelty[s] = Step();
        }
    }

    /// <summary>sum[j] += frame[j], several bands at a time (each widened to double and added alone: the same sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(ReadOnlySpan<float> frame, double[] sum)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count;
            var half = Vector<double>.Count;
            var total = sum.AsSpan();
            for (; j + lanes <= total.Length; j += lanes)
            {
                Vector.Widen(new Vector<float>(frame[j..]), out var low, out var high);
                (new Vector<double>(total[j..]) + low).CopyTo(total[j..]);
                (new Vector<double>(total[(j + half)..]) + high).CopyTo(total[(j + half)..]);
            }
        }

        for (; j < sum.Length; j++)
        {
            sum[j] += frame[j];
        }
    }

    private float Step()
    {
        var sum = 0.0;
        for (var j = 0; j < _before.Length; j++)
        {
            var d = (_after[j] - _before[j]) / HalfFrames;
            sum += d * d;
        }

        return (float)Math.Sqrt(sum / _before.Length);
    }
}
