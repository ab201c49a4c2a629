using System.Runtime.CompilerServices;
namespace LightMood.Analysis.Dsp;

/// <summary>
/// Forward FFT of a real signal of power-of-two length N: X(k) = Σ_n x(n)·e^{−2πikn/N}, k = 0..N/2.
/// </summary>
/// <remarks>
/// Unscaled forward transform, NumPy's <c>np.fft.rfft</c> convention. Computed as one complex radix-2 FFT of N/2 points
/// (even samples as real part, odd samples as imaginary part) followed by the split step; arithmetic in double.
/// Configure once (twiddles and bit-reversal table precomputed), then <see cref="Forward"/> allocates nothing.
/// Written here because MathNet's <c>Fourier.ForwardReal</c> allocates on every call. Not thread-safe (scratch buffers).
/// </remarks>
public sealed class RealFft
{
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly double[] _splitCos;
    private readonly double[] _splitSin;
    private readonly double[] _re;
    private readonly double[] _im;

    public RealFft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The FFT size must be a power of two of at least 4.");
        }

        Size = size;
        _half = size / 2;
        _re = new double[_half];
        _im = new double[_half];
        _bitReverse = new int[_half];
        var bits = 0;
        while ((1 << bits) < _half)
        {
            bits++;
        }

        for (var i = 0; i < _half; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = r;
        }

        _cos = new double[_half / 2 + 1];
        _sin = new double[_half / 2 + 1];
        for (var k = 0; k < _cos.Length; k++)
        {
            _cos[k] = Math.Cos(2 * Math.PI * k / _half);
            _sin[k] = -Math.Sin(2 * Math.PI * k / _half);
        }

        _splitCos = new double[_half + 1];
        _splitSin = new double[_half + 1];
        for (var k = 0; k <= _half; k++)
        {
            _splitCos[k] = Math.Cos(2 * Math.PI * k / size);
            _splitSin[k] = -Math.Sin(2 * Math.PI * k / size);
        }
    }

    /// <summary>Transform length N.</summary>
    public int Size { get; }

    /// <summary>Number of output bins, N/2 + 1.</summary>
    public int Bins => _half + 1;

    /// <summary>Transforms <paramref name="input"/> (at most N samples, zero-padded to N) into N/2+1 complex bins.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void Forward(ReadOnlySpan<float> input, Span<double> real, Span<double> imaginary)
    {
        if (input.Length > Size)
        {
            throw new ArgumentException($"The input holds at most {Size} samples, got {input.Length}.", nameof(input));
        }

        if (real.Length < Bins || imaginary.Length < Bins)
        {
            throw new ArgumentException($"The outputs need {Bins} bins each.");
        }

        for (var m = 0; m < _half; m++)
        {
            var j = _bitReverse[m];
            var i0 = 2 * m;
            _re[j] = i0 < input.Length ? input[i0] : 0;
            _im[j] = i0 + 1 < input.Length ? input[i0 + 1] : 0;
        }

        Butterflies();

        // split: X(k) = (Z(k) + Z*(h−k))/2 − i·W^k·(Z(k) − Z*(h−k))/2, W = e^{−2πi/N}
        for (var k = 0; k <= _half; k++)
        {
            var a = k % _half;
            var b = (_half - k) % _half;
            var zr = _re[a];
            var zi = _im[a];
            var cr = _re[b];
            var ci = -_im[b];
            var er = 0.5 * (zr + cr);
            var ei = 0.5 * (zi + ci);
            var or = 0.5 * (zr - cr);
            var oi = 0.5 * (zi - ci);

            // −i·(or + i·oi) = oi − i·or
            var tr = oi;
            var ti = -or;
            var wr = _splitCos[k];
            var wi = _splitSin[k];
            real[k] = er + (wr * tr) - (wi * ti);
            imaginary[k] = ei + (wr * ti) + (wi * tr);
        }
    }

    /// <summary>Power |X(k)|², k = 0..N/2, of <paramref name="input"/>.</summary>
    public void Power(ReadOnlySpan<float> input, Span<float> power, Span<double> realScratch, Span<double> imaginaryScratch)
    {
        Forward(input, realScratch, imaginaryScratch);
        for (var k = 0; k < Bins; k++)
        {
            power[k] = (float)((realScratch[k] * realScratch[k]) + (imaginaryScratch[k] * imaginaryScratch[k]));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    private void Butterflies()
    {
        var n = _half;
        for (var size = 2; size <= n; size <<= 1)
        {
            var halfSize = size >> 1;
            var step = n / size;
            for (var start = 0; start < n; start += size)
            {
                for (var j = 0; j < halfSize; j++)
                {
                    var wr = _cos[j * step];
                    var wi = _sin[j * step];
                    var p = start + j;
                    var q = p + halfSize;
                    var xr = (_re[q] * wr) - (_im[q] * wi);
                    var xi = (_re[q] * wi) + (_im[q] * wr);
                    _re[q] = _re[p] - xr;
                    _im[q] = _im[p] - xi;
                    _re[p] += xr;
                    _im[p] += xi;
                }
            }
        }
    }
}
