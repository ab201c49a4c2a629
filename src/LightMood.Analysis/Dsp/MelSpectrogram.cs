using System.Numerics;
using System.Runtime.CompilerServices;
namespace LightMood.Analysis.Dsp;

/// <summary>Parameters of the log-mel spectrogram. The defaults are the CRNN's input contract: change them only with a retrained model.</summary>
/// <param name="SampleRate">Input sample rate in Hz.</param>
/// <param name="FftSize">Frame (window) length in samples, a power of two.</param>
/// <param name="HopSize">Hop between frames in samples.</param>
/// <param name="MelBands">Number of mel bands.</param>
/// <param name="MinHz">Lowest filter edge in Hz.</param>
/// <param name="MaxHz">Highest filter edge in Hz (at most the Nyquist frequency).</param>
public sealed record MelSpectrogramOptions(
    int SampleRate = AnalysisFormat.SampleRate,
    int FftSize = 1024,
    int HopSize = 512,
    int MelBands = 96,
    double MinHz = 0,
    double MaxHz = AnalysisFormat.SampleRate / 2.0)
{
    public static MelSpectrogramOptions Default { get; } = new();

    /// <summary>Frames per second of audio.</summary>
    public double FramesPerSecond => (double)SampleRate / HopSize;
}

/// <summary>
/// Framed, windowed STFT with magnitudes on a mel filterbank in dB: the paper's spectrogram (section 3.1).
/// </summary>
/// <remarks>
/// Matches <c>librosa.feature.melspectrogram(center=False, window="hann", power=2, htk=False, norm="slaney")</c>
/// followed by <c>librosa.power_to_db(ref=1.0, amin=1e-10, top_db=None)</c>: a periodic Hann window, an unscaled
/// forward FFT (NumPy's convention, <see cref="RealFft"/>), power |X(k)|², Slaney's mel scale and area normalisation, 10·log10 with a floor
/// of −100 dB. Frames are not centred: frame t covers samples [t·hop, t·hop + fftSize), so a stream cut anywhere
/// yields the same frames as the whole file. Configure once, then <see cref="ProcessFrame"/> allocates nothing.
/// Instances are not thread-safe (they own a scratch buffer).
/// </remarks>
public sealed class MelSpectrogram
{
    private const float MinPower = 1e-10f;

    private readonly float[] _window;
    private readonly RealFft _fft;
    private readonly float[] _windowed;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly float[] _power;
    private readonly MelFilter[] _filters;
    private readonly Chromagram _chroma;

    public MelSpectrogram(MelSpectrogramOptions? options = null)
    {
        Options = options ?? MelSpectrogramOptions.Default;
        var o = Options;
        if (o.FftSize < 16 || (o.FftSize & (o.FftSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.FftSize, "FftSize must be a power of two of at least 16.");
        }

        if (o.HopSize <= 0 || o.HopSize > o.FftSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.HopSize, "HopSize must be in [1, FftSize].");
        }

        if (o.MelBands <= 0 || o.MinHz < 0 || o.MaxHz <= o.MinHz || o.MaxHz > o.SampleRate / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Mel bands must be positive and 0 <= MinHz < MaxHz <= SampleRate/2.");
        }

        _window = Windows.HannPeriodic(o.FftSize);
        _fft = new RealFft(o.FftSize);
        _windowed = new float[o.FftSize];
        _re = new double[_fft.Bins];
        _im = new double[_fft.Bins];
        _power = new float[o.FftSize / 2 + 1];
        _filters = MelFilterbank.Slaney(o.SampleRate, o.FftSize, o.MelBands, o.MinHz, o.MaxHz);
        _chroma = new Chromagram(o.SampleRate, o.FftSize);
    }

    public MelSpectrogramOptions Options { get; }

    public int FftSize => Options.FftSize;

    public int HopSize => Options.HopSize;

    public int MelBands => Options.MelBands;

    /// <summary>Number of whole frames in a signal of <paramref name="sampleCount"/> samples.</summary>
    public int FrameCount(int sampleCount) => sampleCount < FftSize ? 0 : 1 + (sampleCount - FftSize) / HopSize;

    /// <summary>One frame: <paramref name="frame"/> holds <see cref="FftSize"/> samples; writes <see cref="MelBands"/> dB values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void ProcessFrame(ReadOnlySpan<float> frame, Span<float> melDb)
    {
        if (frame.Length != FftSize)
        {
            throw new ArgumentException($"A frame holds {FftSize} samples, got {frame.Length}.", nameof(frame));
        }

        if (melDb.Length < MelBands)
        {
            throw new ArgumentException($"The output needs {MelBands} values, got {melDb.Length}.", nameof(melDb));
        }

        PowerSpectrum(frame, _power);
        MelFromPower(melDb);
    }

    /// <summary>One frame's mel bands and, from the same spectrum, its <see cref="Chromagram"/> (12 values).</summary>
    public void ProcessFrame(ReadOnlySpan<float> frame, Span<float> melDb, Span<float> chroma)
    {
        ProcessFrame(frame, melDb);
        _chroma.Process(_power, chroma);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MelFromPower(Span<float> melDb)
    {
        for (var m = 0; m < _filters.Length; m++)
        {
            var filter = _filters[m];
            var weights = filter.Weights;
            var sum = 0f;
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i] * _power[filter.FirstBin + i];
            }

            melDb[m] = 10f * MathF.Log10(MathF.Max(sum, MinPower));
        }
    }

    /// <summary>Power spectrum |X(k)|², k = 0..FftSize/2, of one Hann-windowed frame (unscaled forward FFT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void PowerSpectrum(ReadOnlySpan<float> frame, Span<float> power)
    {
        if (frame.Length != FftSize || power.Length < FftSize / 2 + 1)
        {
            throw new ArgumentException($"Need a frame of {FftSize} samples and {FftSize / 2 + 1} output bins.");
        }

        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<float>.Count;
            for (; i + lanes <= frame.Length; i += lanes)
            {
                (new Vector<float>(frame[i..]) * new Vector<float>(_window.AsSpan(i))).CopyTo(_windowed.AsSpan(i));
            }
        }

        for (; i < frame.Length; i++)
        {
            _windowed[i] = frame[i] * _window[i];
        }

        _fft.Power(_windowed, power, _re, _im);
    }

    /// <summary>
    /// The whole signal's mel bands and chroma in one pass: time-major matrices, frame t's bands at
    /// [t·MelBands, (t+1)·MelBands) of the first and its pitch classes at [t·12, (t+1)·12) of the second.
    /// </summary>
    public (float[] Mel, float[] Chroma) ComputeWithChroma(ReadOnlySpan<float> signal, out int frames)
    {
        frames = FrameCount(signal.Length);
        var mel = new float[frames * MelBands];
        var chroma = new float[frames * Chromagram.PitchClasses];
        for (var t = 0; t < frames; t++)
        {
            ProcessFrame(signal.Slice(t * HopSize, FftSize), mel.AsSpan(t * MelBands, MelBands), chroma.AsSpan(t * Chromagram.PitchClasses, Chromagram.PitchClasses));
        }

        return (mel, chroma);
    }

    /// <summary>The whole signal: a time-major matrix, frame t's bands at [t·MelBands, (t+1)·MelBands).</summary>
    public float[] Compute(ReadOnlySpan<float> signal, out int frames)
    {
        frames = FrameCount(signal.Length);
        var result = new float[frames * MelBands];
        for (var t = 0; t < frames; t++)
        {
            ProcessFrame(signal.Slice(t * HopSize, FftSize), result.AsSpan(t * MelBands, MelBands));
        }

        return result;
    }
}

/// <summary>One triangular mel filter, stored sparsely: weights for bins FirstBin .. FirstBin + Weights.Length − 1.</summary>
public sealed record MelFilter(int FirstBin, float[] Weights);

/// <summary>Mel filterbank construction (pure functions).</summary>
public static class MelFilterbank
{
    private const double LinearSlope = 200.0 / 3; // Hz per mel below 1 kHz (Slaney)
    private const double BreakHz = 1000.0;
    private const double BreakMel = BreakHz / LinearSlope; // 15
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    /// <summary>Slaney's mel scale (Auditory Toolbox), as <c>librosa.hz_to_mel(htk=False)</c>.</summary>
    public static double HzToMel(double hz) =>
        hz < BreakHz ? hz / LinearSlope : BreakMel + (Math.Log(hz / BreakHz) / LogStep);

    public static double MelToHz(double mel) =>
        mel < BreakMel ? mel * LinearSlope : BreakHz * Math.Exp(LogStep * (mel - BreakMel));

    /// <summary>Triangular filters with Slaney area normalisation, as <c>librosa.filters.mel(norm="slaney")</c>.</summary>
    public static MelFilter[] Slaney(int sampleRate, int fftSize, int bands, double minHz, double maxHz)
    {
        var bins = fftSize / 2 + 1;
        var minMel = HzToMel(minHz);
        var maxMel = HzToMel(maxHz);
        var edges = new double[bands + 2];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = MelToHz(minMel + ((maxMel - minMel) * i / (bands + 1)));
        }

        var filters = new MelFilter[bands];
        var dense = new double[bins];
        for (var m = 0; m < bands; m++)
        {
            var lower = edges[m];
            var centre = edges[m + 1];
            var upper = edges[m + 2];
            var norm = 2.0 / (upper - lower);
            int first = -1, last = -1;
            for (var k = 0; k < bins; k++)
            {
                var f = (double)k * sampleRate / fftSize;
                var rising = (f - lower) / (centre - lower);
                var falling = (upper - f) / (upper - centre);
                dense[k] = Math.Max(0, Math.Min(rising, falling)) * norm;
                if (dense[k] > 0)
                {
                    if (first < 0)
                    {
                        first = k;
                    }

                    last = k;
                }
            }

            if (first < 0)
            {
                filters[m] = new MelFilter(0, []);
                continue;
            }

            var weights = new float[last - first + 1];
            for (var k = first; k <= last; k++)
            {
                weights[k - first] = (float)dense[k];
            }

            filters[m] = new MelFilter(first, weights);
        }

        return filters;
    }
}
