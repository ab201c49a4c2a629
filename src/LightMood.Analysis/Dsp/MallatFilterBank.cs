using System.Numerics;
using System.Runtime.CompilerServices;

namespace LightMood.Analysis.Dsp;

/// <summary>
/// Mallat's recurrences (eq. 3.2, 3.3) run causally on a stream: at each level m,
/// b_m[n] = Σ_k h[k]·b_{m+1}[2n + L − 1 − k] and s_m[n] = Σ_k g[k]·b_{m+1}[2n + L − 1 − k], the approximation feeding
/// the next level. No wrap-around and no padding: a coefficient exists once all L inputs it reads have arrived.
/// </summary>
/// <remarks>
/// Equals NumPy's <c>np.convolve(b, h, "valid")[::2]</c> per level (tools/reference/make_goldens.py,
/// <c>streaming_mallat</c>; golden <c>onset.json</c> "filterbank"), with h, g = PyWavelets' <c>dec_lo</c>, <c>dec_hi</c>.
/// Bands are numbered 0..J−1 for the details of levels 1..J and J for the approximation of level J. Coefficient n of
/// level m depends on input samples up to <see cref="Position"/> = 2^m·n + (2^m − 1)(L − 1); it is produced when that
/// sample arrives. At least the last <c>history</c> coefficients of each band are kept (rounded up to a power of two).
/// About 2·L multiply-adds per input sample over all levels. A block is filtered level by level (each level's line
/// holds the inputs not yet consumed, at most L − 1, followed by the block's), so the per-sample bookkeeping of a
/// sample-at-a-time bank is paid once per block; the coefficients are the same numbers, summed in the same order, for
/// any split of the stream into blocks. <see cref="Push(ReadOnlySpan{float})"/> allocates nothing.
/// </remarks>
public sealed class MallatFilterBank
{
    /// <summary>Input samples filtered per pass; a longer block is taken in pieces of this size.</summary>
    private const int Chunk = 256;

    private readonly double[] _lo;
    private readonly double[] _hi;
    private readonly double[][] _even;
    private readonly double[][] _odd;
    private readonly int[] _held;
    private readonly double[][] _approximations;
    private readonly double[] _details;
    private readonly double[][] _coefficients;
    private readonly long[] _coefficientCount;
    private readonly int _taps;
    private readonly int _history;
    private readonly int _mask;

    public MallatFilterBank(Wavelet wavelet, int levels, int history)
    {
        ArgumentNullException.ThrowIfNull(wavelet);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(history, 1);
        Wavelet = wavelet;
        Levels = levels;
        _lo = wavelet.DecLo;
        _hi = wavelet.DecHi;
        _taps = wavelet.Length;
        _history = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(history, Chunk));
        _mask = _history - 1;

        // a level receives at most Chunk inputs per pass (level m + 1 gets ≤ (L − 1 + Chunk) / 2 + 1 ≤ Chunk of them)
        _even = new double[levels][];
        _odd = new double[levels][];
        _held = new int[levels];
        _approximations = new double[levels][];
        _details = new double[Chunk];
        for (var m = 0; m < levels; m++)
        {
            _even[m] = new double[((_taps + Chunk) / 2) + 1];
            _odd[m] = new double[((_taps + Chunk) / 2) + 1];
            _approximations[m] = new double[Chunk];
        }

        _coefficients = new double[levels + 1][];
        _coefficientCount = new long[levels + 1];
        for (var b = 0; b <= levels; b++)
        {
            _coefficients[b] = new double[_history];
        }
    }

    public Wavelet Wavelet { get; }

    public int Levels { get; }

    /// <summary>Bands: J details and the approximation.</summary>
    public int Bands => Levels + 1;

    /// <summary>Level (1..J) of a band.</summary>
    public int LevelOf(int band) => band < Levels ? band + 1 : Levels;

    /// <summary>Coefficients produced so far in <paramref name="band"/>.</summary>
    public long Count(int band) => _coefficientCount[band];

    /// <summary>Index of the last input sample coefficient <paramref name="n"/> of <paramref name="band"/> depends on.</summary>
    public long Position(int band, long n)
    {
        var step = 1L << LevelOf(band);
        return (step * n) + ((step - 1) * (Wavelet.Length - 1));
    }

    /// <summary>Coefficient <paramref name="n"/> of <paramref name="band"/> (one of the last <c>history</c>).</summary>
    public double Coefficient(int band, long n)
    {
        var count = _coefficientCount[band];
        if (n < 0 || n >= count || n < count - _history)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"Coefficients {Math.Max(0, count - _history)}..{count - 1} of band {band} are held.");
        }

        return _coefficients[band][(int)(n & _mask)];
    }

    /// <summary>The ring of band <paramref name="band"/>: coefficient n lives at index n &amp; <see cref="RingMask"/> while held.</summary>
    public ReadOnlySpan<double> Ring(int band) => _coefficients[band];

    /// <summary>Mask of the rings' indices (their length is a power of two).</summary>
    public int RingMask => _mask;

    /// <summary>Takes the next input sample.</summary>
    public void Push(float sample) => Push(new ReadOnlySpan<float>(in sample));

    /// <summary>Takes the next input samples (any count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void Push(ReadOnlySpan<float> samples)
    {
        while (!samples.IsEmpty)
        {
            var n = Math.Min(samples.Length, Chunk);
            var produced = Filter(0, Deal(0, samples[..n]));
            for (var m = 1; m < Levels && produced > 0; m++)
            {
                produced = Filter(m, Deal(m, _approximations[m - 1].AsSpan(0, produced)));
            }

            samples = samples[n..];
        }
    }

    /// <summary>
    /// Appends <paramref name="values"/> to level <paramref name="m"/>'s line, each to the even or odd half by its offset
    /// (exactly, as double); returns the inputs the line then holds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Deal<T>(int m, ReadOnlySpan<T> values)
        where T : INumberBase<T>
    {
        var held = _held[m];
        var even = _even[m];
        var odd = _odd[m];
        for (var i = 0; i < values.Length; i++)
        {
            var p = held + i;
            var x = double.CreateTruncating(values[i]);
            if ((p & 1) == 0)
            {
                even[p >> 1] = x;
            }
            else
            {
                odd[p >> 1] = x;
            }
        }

        return held + values.Length;
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        Array.Clear(_held);
        Array.Clear(_coefficientCount);
    }

    /// <summary>
    /// Filters level <paramref name="m"/>'s line (its first <paramref name="filled"/> inputs, held split into even and
    /// odd offsets): every coefficient whose L inputs are all there, at even offsets from the level's first; keeps the
    /// unread tail for the next pass. Writes the level's approximations to its scratch (or to the approximation band at
    /// the last level) and returns how many.
    /// </summary>
    /// <remarks>
    /// Output j reads line[2j .. 2j + L): the even offsets are even[j .. j + L/2), the odd ones odd[j .. j + L/2), so
    /// <see cref="Vector{T}.Count"/> consecutive outputs are computed lane by lane from contiguous loads, each lane
    /// summing k = 0..L−1 in the same order as the scalar tail (no fused multiply-add): the same numbers either way.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Filter(int m, int filled)
    {
        var taps = _taps;
        var even = _even[m];
        var odd = _odd[m];
        var lo = _lo;
        var hi = _hi;
        var last = m == Levels - 1;
        var approximations = _approximations[m];
        var details = _details;
        var outputs = filled >= taps ? ((filled - taps) / 2) + 1 : 0;
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<double>.Count;
            for (; j + lanes <= outputs; j += lanes)
            {
                var a = Vector<double>.Zero;
                var d = Vector<double>.Zero;
                for (var k = 0; k < taps; k++)
                {
                    // line[2j + L − 1 − k]
                    var offset = taps - 1 - k;
                    var x = (offset & 1) == 0
                        ? new Vector<double>(even.AsSpan(j + (offset >> 1), lanes))
                        : new Vector<double>(odd.AsSpan(j + (offset >> 1), lanes));
                    a += lo[k] * x;
                    d += hi[k] * x;
                }

                a.CopyTo(approximations.AsSpan(j, lanes));
                d.CopyTo(details.AsSpan(j, lanes));
            }
        }

        for (; j < outputs; j++)
        {
            double a = 0, d = 0;
            for (var k = 0; k < taps; k++)
            {
                var offset = taps - 1 - k;
                var x = (offset & 1) == 0 ? even[j + (offset >> 1)] : odd[j + (offset >> 1)];
                a += lo[k] * x;
                d += hi[k] * x;
            }

            approximations[j] = a;
            details[j] = d;
        }

        Store(m, details.AsSpan(0, outputs));
        if (last)
        {
            Store(Levels, approximations.AsSpan(0, outputs));
        }

        // the inputs from offset 2·outputs on (fewer than L) start the next pass: an even offset keeps the parity
        var consumed = outputs;
        var keep = filled - (2 * consumed);
        even.AsSpan(consumed, (keep + 1) / 2).CopyTo(even);
        odd.AsSpan(consumed, keep / 2).CopyTo(odd);
        _held[m] = keep;
        return last ? 0 : outputs;
    }

    private void Store(int band, ReadOnlySpan<double> values)
    {
        var ring = _coefficients[band];
        var count = _coefficientCount[band];
        for (var i = 0; i < values.Length; i++)
        {
            ring[(int)((count + i) & _mask)] = values[i];
        }

        _coefficientCount[band] = count + values.Length;
    }
}
