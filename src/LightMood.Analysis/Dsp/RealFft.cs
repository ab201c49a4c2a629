using System.Numerics;
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
    private readonly double[] _stageCos;
    private readonly double[] _stageSin;
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

        // the twiddles of the stage with butterflies halfSize apart, contiguous at [halfSize − 1, 2·halfSize − 1)
        _stageCos = new double[Math.Max(1, _half - 1)];
        _stageSin = new double[Math.Max(1, _half - 1)];
        for (var halfSize = 1; halfSize < _half; halfSize <<= 1)
        {
            var step = _half / (2 * halfSize);
            for (var j = 0; j < halfSize; j++)
            {
                _stageCos[halfSize - 1 + j] = _cos[j * step];
                _stageSin[halfSize - 1 + j] = _sin[j * step];
            }
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

        var reverse = _bitReverse.AsSpan(0, _half);
        var re = _re.AsSpan(0, _half);
        var im = _im.AsSpan(0, _half);
        if (input.Length == Size)
        {
            for (var m = 0; m < reverse.Length; m++)
            {
                var j = reverse[m];
                re[j] = input[2 * m];
                im[j] = input[(2 * m) + 1];
            }
        }
        else
        {
            for (var m = 0; m < reverse.Length; m++)
            {
                var j = reverse[m];
                var i0 = 2 * m;
                re[j] = i0 < input.Length ? input[i0] : 0;
                im[j] = i0 + 1 < input.Length ? input[i0 + 1] : 0;
            }
        }

        Butterflies();

        // split: X(k) = (Z(k) + Z*(h−k))/2 − i·W^k·(Z(k) − Z*(h−k))/2, W = e^{−2πi/N}
        var splitCos = _splitCos.AsSpan(0, _half + 1);
        var splitSin = _splitSin.AsSpan(0, _half + 1);
        real = real[..splitCos.Length];
        imaginary = imaginary[..splitCos.Length];
        for (var k = 0; k < splitCos.Length; k++)
        {
            var a = k == _half ? 0 : k;
            var b = k == 0 ? 0 : _half - k;
            var zr = re[a];
            var zi = im[a];
            var cr = re[b];
            var ci = -im[b];
            var er = 0.5 * (zr + cr);
            var ei = 0.5 * (zi + ci);
            var or = 0.5 * (zr - cr);
            var oi = 0.5 * (zi - ci);

            // −i·(or + i·oi) = oi − i·or
            var tr = oi;
            var ti = -or;
            var wr = splitCos[k];
            var wi = splitSin[k];
            real[k] = er + (wr * tr) - (wi * ti);
            imaginary[k] = ei + (wr * ti) + (wi * tr);
        }
    }

    /// <summary>Power |X(k)|², k = 0..N/2, of <paramref name="input"/>.</summary>
    public void Power(ReadOnlySpan<float> input, Span<float> power, Span<double> realScratch, Span<double> imaginaryScratch)
    {
        Forward(input, realScratch, imaginaryScratch);
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // two vectors of doubles narrowed to one of floats: the same rounding as the cast below
            var lanes = Vector<double>.Count;
            for (; k + (2 * lanes) <= Bins; k += 2 * lanes)
            {
                var re0 = new Vector<double>(realScratch[k..]);
                var im0 = new Vector<double>(imaginaryScratch[k..]);
                var re1 = new Vector<double>(realScratch[(k + lanes)..]);
                var im1 = new Vector<double>(imaginaryScratch[(k + lanes)..]);
                Vector.Narrow((re0 * re0) + (im0 * im0), (re1 * re1) + (im1 * im1)).CopyTo(power[k..]);
            }
        }

        for (; k < Bins; k++)
        {
            power[k] = (float)((realScratch[k] * realScratch[k]) + (imaginaryScratch[k] * imaginaryScratch[k]));
        }
    }

    /// <remarks>
    /// Radix-2 decimation in time over the bit-reversed <c>_re</c>, <c>_im</c>. Stages whose butterflies lie at least
    /// <see cref="Vector{T}.Count"/> apart run that many butterflies at once, lane by lane the same arithmetic (and the
    /// same twiddles, copied per stage) as the scalar stages: the same numbers either way.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    private void Butterflies()
    {
        var n = _half;
        var re = _re.AsSpan(0, n);
        var im = _im.AsSpan(0, n);
        var lanes = Vector.IsHardwareAccelerated ? Vector<double>.Count : int.MaxValue;
        for (var size = 2; size <= n; size <<= 1)
        {
            var halfSize = size >> 1;
            var cos = _stageCos.AsSpan(halfSize - 1, halfSize);
            var sin = _stageSin.AsSpan(halfSize - 1, halfSize);
            if (halfSize >= lanes)
            {
                for (var start = 0; start < n; start += size)
                {
                    var lower = re.Slice(start, halfSize);
                    var upper = re.Slice(start + halfSize, halfSize);
                    var lowerIm = im.Slice(start, halfSize);
                    var upperIm = im.Slice(start + halfSize, halfSize);
                    for (var j = 0; j < halfSize; j += lanes)
                    {
                        var wr = new Vector<double>(cos[j..]);
                        var wi = new Vector<double>(sin[j..]);
                        var qr = new Vector<double>(upper[j..]);
                        var qi = new Vector<double>(upperIm[j..]);
                        var pr = new Vector<double>(lower[j..]);
                        var pi = new Vector<double>(lowerIm[j..]);
                        var xr = (qr * wr) - (qi * wi);
                        var xi = (qr * wi) + (qi * wr);
                        (pr - xr).CopyTo(upper[j..]);
                        (pi - xi).CopyTo(upperIm[j..]);
                        (pr + xr).CopyTo(lower[j..]);
                        (pi + xi).CopyTo(lowerIm[j..]);
                    }
                }

                continue;
            }

            for (var start = 0; start < n; start += size)
            {
                for (var j = 0; j < halfSize; j++)
                {
                    var wr = cos[j];
                    var wi = sin[j];
                    var p = start + j;
                    var q = p + halfSize;
                    var xr = (re[q] * wr) - (im[q] * wi);
                    var xi = (re[q] * wi) + (im[q] * wr);
                    re[q] = re[p] - xr;
                    im[q] = im[p] - xi;
                    re[p] += xr;
                    im[p] += xi;
                }
            }
        }
    }
}
