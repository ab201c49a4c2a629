using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LightMood.Analysis.Dsp;

/// <summary>
/// Mallat's fast discrete wavelet transform, the paper's eq. 3.2 and 3.3:
/// b_m[n] = Σ_t l[t−2n] b_{m+1}[t] (approximation), s_m[n] = Σ_t f[t−2n] b_{m+1}[t] (detail), repeated on b_m.
/// </summary>
/// <remarks>
/// Boundary handling emulates PyWavelets' <c>mode="periodization"</c>: the signal is periodic, each level halves the
/// length exactly. With pywt's decomposition filters h = <c>dec_lo</c>, g = <c>dec_hi</c> of length L,
/// b_m[n] = Σ_k h[k]·b_{m+1}[(2n + L/2 − k) mod N], i.e. the paper's l[j] = h[L/2 − j] (time-reversed h), and the same
/// for s_m with g. The output layout is <c>pywt.wavedec</c>'s, concatenated: [cA_J, cD_J, cD_{J−1}, …, cD_1] with
/// lengths N/2^J, N/2^J, N/2^{J−1}, …, N/2. The input length must be a multiple of 2^J. Configure once; then
/// <see cref="Process"/> allocates nothing. Not thread-safe (owns scratch buffers). Checked against
/// fixtures/golden/dwt.json (pywt 1.1).
/// </remarks>
public sealed class MallatDwt
{
    private readonly double[] _lo;
    private readonly double[] _hi;
    private readonly double[] _loReversed;
    private readonly double[] _hiReversed;
    private readonly double[] _a;
    private readonly double[] _b;

    public MallatDwt(Wavelet wavelet, int length, int levels)
    {
        ArgumentNullException.ThrowIfNull(wavelet);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        if (length <= 0 || length % (1 << levels) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"The length must be a positive multiple of 2^{levels}.");
        }

        Wavelet = wavelet;
        Length = length;
        Levels = levels;
        _lo = wavelet.DecLo;
        _hi = wavelet.DecHi;
        _loReversed = [.. _lo.Reverse()];
        _hiReversed = [.. _hi.Reverse()];
        _a = new double[length];
        _b = new double[length];
    }

    public Wavelet Wavelet { get; }

    public int Length { get; }

    public int Levels { get; }

    /// <summary>Length of band <paramref name="band"/> in the output layout (0 = cA_J, 1 = cD_J, …, J = cD_1).</summary>
    public int BandLength(int band) => band <= 1 ? Length >> Levels : Length >> (Levels - band + 1);

    /// <summary>Offset of band <paramref name="band"/> in the output layout.</summary>
    public int BandOffset(int band) => band == 0 ? 0 : Length >> (Levels - band + 1);

    /// <summary>Number of bands, J + 1.</summary>
    public int Bands => Levels + 1;

    /// <summary>Decomposes <paramref name="signal"/> (exactly <see cref="Length"/> samples) into <paramref name="coefficients"/> (as many values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void Process(ReadOnlySpan<float> signal, Span<float> coefficients)
    {
        if (signal.Length != Length || coefficients.Length < Length)
        {
            throw new ArgumentException($"Need {Length} input samples and {Length} output values.");
        }

        for (var i = 0; i < Length; i++)
        {
            _a[i] = signal[i];
        }

        var n = Length;
        var current = _a;
        var next = _b;
        for (var level = 0; level < Levels; level++)
        {
            var half = n / 2;

            // detail s_m goes to its final place: cD_(level+1) at offset half (the layout puts cD_1 in the top half)
            Step(current.AsSpan(0, n), next.AsSpan(0, half), coefficients.Slice(half, half));
            (current, next) = (next, current);
            n = half;
        }

        for (var i = 0; i < n; i++)
        {
            coefficients[i] = (float)current[i];
        }
    }

    /// <summary>One level (eq. 3.2, 3.3) on a periodic signal b_{m+1} of even length: approximation and detail of half the length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void Step(ReadOnlySpan<double> input, Span<double> approximation, Span<float> detail)
    {
        var n = input.Length;
        var half = n / 2;
        var taps = _lo.Length;
        var shift = taps / 2;
        for (var k = 0; k < half; k++)
        {
            double a = 0, d = 0;
            var centre = (2 * k) + shift;
            if (centre - taps + 1 >= 0 && centre < n)
            {
                // interior: no wrap-around; Σ_j h[j]·x[c−j] = Σ_i h[L−1−i]·x[c−L+1+i], a contiguous dot product
                var window = input.Slice(centre - taps + 1, taps);
                if (Vector256.IsHardwareAccelerated && taps % 4 == 0)
                {
                    var va = Vector256<double>.Zero;
                    var vd = Vector256<double>.Zero;
                    for (var i = 0; i < taps; i += 4)
                    {
                        var x = Vector256.Create(window.Slice(i, 4));
                        va += x * Vector256.Create(_loReversed.AsSpan(i, 4));
                        vd += x * Vector256.Create(_hiReversed.AsSpan(i, 4));
                    }

                    a = Vector256.Sum(va);
                    d = Vector256.Sum(vd);
                }
                else
                {
                    for (var i = 0; i < taps; i++)
                    {
                        a += _loReversed[i] * window[i];
                        d += _hiReversed[i] * window[i];
                    }
                }
            }
            else
            {
                for (var j = 0; j < taps; j++)
                {
                    var idx = (centre - j) % n;
                    if (idx < 0)
                    {
                        idx += n;
                    }

                    var x = input[idx];
                    a += _lo[j] * x;
                    d += _hi[j] * x;
                }
            }

            approximation[k] = a;
            detail[k] = (float)d;
        }
    }
}
