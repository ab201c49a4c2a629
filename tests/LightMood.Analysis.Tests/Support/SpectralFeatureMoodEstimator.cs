using System.Runtime.CompilerServices;
using LightMood.Analysis.Dsp;

using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Tests.Support;

/// <summary>Constants of <see cref="SpectralFeatureMoodEstimator"/> (once calibrated on 4Q clips; they only need to separate the synthetic test signals).</summary>
/// <param name="LoudnessCentreDb">Loudness (dB of mean mel power) at zero arousal.</param>
/// <param name="LoudnessScaleDb">dB of loudness per unit of the arousal argument.</param>
/// <param name="FluxCentre">Spectral flux (mean positive dB rise per band and frame) at zero arousal.</param>
/// <param name="FluxScale">Flux per unit of the arousal argument.</param>
/// <param name="BrightnessCentre">Brightness (power-weighted mean mel band / bands) at zero valence.</param>
/// <param name="BrightnessScale">Brightness per unit of the valence argument.</param>
/// <param name="Sharpness">How fast probabilities saturate with distance from the axes.</param>
public sealed record SpectralFeatureEstimatorOptions(
    double LoudnessCentreDb = 2.6,
    double LoudnessScaleDb = 6,
    double FluxCentre = 1.82,
    double FluxScale = 0.3,
    double BrightnessCentre = 0.13,
    double BrightnessScale = 0.05,
    double Sharpness = 4)
{
    public static SpectralFeatureEstimatorOptions Default { get; } = new();
}

/// <summary>
/// TEST DOUBLE for the soft cut's own tests on synthetic signals (sines, noise, clicks), which the CRNN, trained on
/// real music, is not meant to label: arousal from loudness and onset density (spectral flux), valence from
/// brightness. Deterministic and model-free, so the segmentation logic can be tested in isolation. The product
/// always uses the CRNN (<c>CrnnMoodEstimator</c>).
/// </summary>
/// <remarks>
/// Reads one <see cref="MoodWindow"/> of log-mel frames (dB, <see cref="MelSpectrogram"/> defaults) like any
/// <see cref="IMoodEstimator"/>. Features: L = 10·log10(mean of 10^(dB/10)) over the window; F = mean over frames and
/// bands of max(0, dB(t) − dB(t−1)); C = Σ_b b·P̄_b / (Σ_b P̄_b · bands). Arousal a = tanh((L − L₀)/L_s + (F − F₀)/F_s),
/// valence v = tanh((C − C₀)/C_s), both in [−1, 1]. Quadrant posteriors are the product of the two independent sign
/// probabilities p(v &gt; 0) = σ(k·v), p(a &gt; 0) = σ(k·a), so they sum to 1. The mel resolution is too coarse for a
/// major/minor mode cue below 1 kHz, so valence is the weak axis: this estimator separates calm from energetic music
/// well and happy from tense poorly. Allocates only the returned <see cref="MoodEstimate"/>.
/// </remarks>
public sealed class SpectralFeatureMoodEstimator : IMoodEstimator
{
    private const float DbToNaturalLog = 0.23025851f; // ln(10)/10: 10^(dB/10) = e^(dB·ln10/10)

    private readonly SpectralFeatureEstimatorOptions _options;
    private readonly int _bands;
    private readonly double[] _bandPower;

    public SpectralFeatureMoodEstimator(SpectralFeatureEstimatorOptions? options = null, int melBands = 96)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(melBands, 2);
        _options = options ?? SpectralFeatureEstimatorOptions.Default;
        _bands = melBands;
        _bandPower = new double[melBands];
    }

    /// <summary>The three features of one window: loudness dB, flux, brightness.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public (double Loudness, double Flux, double Brightness) Features(ReadOnlySpan<float> melWindow)
    {
        if (melWindow.Length == 0 || melWindow.Length % _bands != 0)
        {
            throw new ArgumentException($"A window holds whole frames of {_bands} bands, got {melWindow.Length} values.", nameof(melWindow));
        }

        var frames = melWindow.Length / _bands;
        Array.Clear(_bandPower);
        var flux = 0.0;
        for (var t = 0; t < frames; t++)
        {
            var frame = melWindow.Slice(t * _bands, _bands);
            for (var b = 0; b < _bands; b++)
            {
                _bandPower[b] += MathF.Exp(frame[b] * DbToNaturalLog);
                if (t > 0)
                {
                    flux += Math.Max(0, frame[b] - melWindow[((t - 1) * _bands) + b]);
                }
            }
        }

        double total = 0, weighted = 0;
        for (var b = 0; b < _bands; b++)
        {
            total += _bandPower[b];
            weighted += b * _bandPower[b];
        }

        var loudness = 10 * Math.Log10(Math.Max(total / (frames * _bands), 1e-10));
        var brightness = total > 1e-12 ? weighted / total / _bands : 0;
        return (loudness, frames > 1 ? flux / ((frames - 1) * _bands) : 0, brightness);
    }

    public MoodEstimate Estimate(ReadOnlySpan<float> melWindow)
    {
        var (loudness, flux, brightness) = Features(melWindow);
        var o = _options;
        var arousal = Math.Tanh(((loudness - o.LoudnessCentreDb) / o.LoudnessScaleDb) + ((flux - o.FluxCentre) / o.FluxScale));
        var valence = Math.Tanh((brightness - o.BrightnessCentre) / o.BrightnessScale);
        var pv = Logistic(o.Sharpness * valence);
        var pa = Logistic(o.Sharpness * arousal);
        float[] p =
        [
            (float)(pv * pa),             // happy  +V +A
            (float)((1 - pv) * pa),       // tense  −V +A
            (float)((1 - pv) * (1 - pa)), // sad    −V −A
            (float)(pv * (1 - pa)),       // calm   +V −A
        ];
        return new MoodEstimate(p, (float)valence, (float)arousal, []);
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
}
