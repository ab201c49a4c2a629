namespace LightMood.Analysis.Dsp;

/// <summary>
/// Amplitude spectrum of a wavelet sub-band, the paper's eq. 3.4: B(λ) = |Σ_n b(n)·e^{−jλn}|.
/// </summary>
/// <remarks>
/// <see cref="Process"/> evaluates B at λ_k = 2πk/N, k = 0..N/2, by an N-point FFT of the band zero-padded to N
/// (NumPy: <c>np.abs(np.fft.rfft(b, N))</c>); <see cref="At"/> evaluates the sum directly at any λ (radians per
/// sample of the band). No scaling. Configure once; <see cref="Process"/> allocates nothing. Checked against
/// fixtures/golden/spectrum.json.
/// </remarks>
public sealed class AmplitudeSpectrum
{
    private readonly RealFft _fft;
    private readonly double[] _re;
    private readonly double[] _im;

    public AmplitudeSpectrum(int fftSize)
    {
        _fft = new RealFft(fftSize);
        _re = new double[_fft.Bins];
        _im = new double[_fft.Bins];
    }

    /// <summary>N, the number of points λ_k sample the circle with.</summary>
    public int FftSize => _fft.Size;

    /// <summary>Number of output values, N/2 + 1.</summary>
    public int Bins => _fft.Bins;

    /// <summary>B(2πk/N) for k = 0..N/2; the band holds at most N values.</summary>
    public void Process(ReadOnlySpan<float> band, Span<float> amplitude)
    {
        if (amplitude.Length < Bins)
        {
            throw new ArgumentException($"The output needs {Bins} values.", nameof(amplitude));
        }

        _fft.Forward(band, _re, _im);
        for (var k = 0; k < Bins; k++)
        {
            amplitude[k] = (float)Math.Sqrt((_re[k] * _re[k]) + (_im[k] * _im[k]));
        }
    }

    /// <summary>B(λ) by the defining sum (eq. 3.4).</summary>
    public static double At(ReadOnlySpan<float> band, double lambda)
    {
        double re = 0, im = 0;
        for (var n = 0; n < band.Length; n++)
        {
            re += band[n] * Math.Cos(lambda * n);
            im -= band[n] * Math.Sin(lambda * n);
        }

        return Math.Sqrt((re * re) + (im * im));
    }
}
