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
/// sample arrives. At least the last <c>history</c> coefficients of each band are kept (rounded up to a power of two). About 2·L multiply-adds per input
/// sample over all levels; <see cref="Push"/> allocates nothing.
/// </remarks>
public sealed class MallatFilterBank
{
    private readonly double[] _lo;
    private readonly double[] _hi;
    private readonly double[][] _inputs;
    private readonly long[] _inputCount;
    private readonly int[] _writeAt;
    private readonly double[][] _coefficients;
    private readonly long[] _coefficientCount;
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
        _history = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)history);
        _mask = _history - 1;
        _inputs = new double[levels][];
        _inputCount = new long[levels];
        _writeAt = new int[levels];
        for (var m = 0; m < levels; m++)
        {
            _inputs[m] = new double[2 * wavelet.Length];
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void Push(float sample)
    {
        double value = sample;
        var taps = _lo.Length;
        for (var m = 0; m < Levels; m++)
        {
            // each level keeps its last L inputs twice over (at i and i + L), so the newest L are contiguous
            var line = _inputs[m];
            var at = _writeAt[m];
            line[at] = value;
            line[at + taps] = value;
            at = at + 1 == taps ? 0 : at + 1;
            _writeAt[m] = at;
            var count = ++_inputCount[m];
            if (count < taps || ((count - taps) & 1) != 0)
            {
                return;
            }

            // oldest..newest = line[at .. at + L); s[2n + L − 1 − k] = line[at + L − 1 − k]
            double a = 0, d = 0;
            var window = line.AsSpan(at, taps);
            var lo = _lo.AsSpan(0, taps);
            var hi = _hi.AsSpan(0, taps);
            for (var k = 0; k < taps; k++)
            {
                var x = window[taps - 1 - k];
                a += lo[k] * x;
                d += hi[k] * x;
            }

            Store(m, d);
            if (m == Levels - 1)
            {
                Store(Levels, a);
                return;
            }

            value = a;
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        Array.Clear(_inputCount);
        Array.Clear(_writeAt);
        Array.Clear(_coefficientCount);
    }

    private void Store(int band, double value)
    {
        _coefficients[band][(int)(_coefficientCount[band] & _mask)] = value;
        _coefficientCount[band]++;
    }
}
