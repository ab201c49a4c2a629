using System.Runtime.CompilerServices;

namespace LightMood.Analysis.Dsp;

/// <summary>
/// Pitch-class profile (chroma) of one STFT frame: the tonal evidence (mode, key clarity, harmonic change) that the
/// mel spectrogram blurs. Every spectral peak (a bin above both neighbours) between <see cref="MinHz"/> and
/// <see cref="MaxHz"/>, its frequency refined by a parabola through the log magnitudes of the three bins, adds its
/// magnitude to the two pitch classes around its fractional MIDI pitch p = 69 + 12·log2(f/440) (linear split; class
/// 0 = C). The profile is normalised to sum 1, so it does not depend on the level; a frame without peak energy gives
/// 1/12 each. Peaks, not every bin, so that a window's leakage does not smear a note over its neighbours.
/// </summary>
/// <remarks>
/// Reference: <c>chroma()</c> in tools/reference/make_goldens.py (fixtures/golden/chroma.json). Allocation-free.
/// </remarks>
public sealed class Chromagram
{
    public const int PitchClasses = 12;

    /// <summary>Lowest frequency used (Hz): below it a 1024-point frame at 22 050 Hz cannot tell semitones apart.</summary>
    public const double MinHz = 80;

    /// <summary>Highest frequency used (Hz): above it partials add little pitch information and codecs cut.</summary>
    public const double MaxHz = 5000;

    /// <summary>Total peak magnitude below which a frame counts as empty (uniform profile).</summary>
    public const double EmptyMagnitude = 1e-4;

    private readonly double _binHz;
    private readonly int _firstBin;
    private readonly int _lastBin;

    public Chromagram(int sampleRate, int fftSize)
    {
        _binHz = (double)sampleRate / fftSize;
        _firstBin = Math.Max(1, (int)Math.Ceiling(MinHz / _binHz));
        _lastBin = Math.Min((fftSize / 2) - 1, (int)Math.Floor(MaxHz / _binHz));
    }

    /// <summary>Bins per frame the power spectrum must hold.</summary>
    public int MinimumBins => _lastBin + 2;

    /// <summary>Writes the 12-class profile of one frame from its power spectrum |X(k)|², k = 0..FftSize/2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(ReadOnlySpan<float> power, Span<float> chroma)
    {
        if (chroma.Length < PitchClasses || power.Length < MinimumBins)
        {
            throw new ArgumentException($"Need {MinimumBins} power bins and {PitchClasses} chroma values.");
        }

        Span<double> sums = stackalloc double[PitchClasses];
        sums.Clear();
        var total = 0.0;
        var loggedBin = -1;
        var logged = 0.0;
        for (var k = _firstBin; k <= _lastBin; k++)
        {
            double b = power[k];
            if (!(b > power[k - 1] && b >= power[k + 1]))
            {
                continue;
            }

            // a peak two bins after the last one shares its neighbour: its logarithm is taken once
            var la = loggedBin == k - 1 ? logged : 0.5 * Math.Log(Math.Max(power[k - 1], 1e-20));
            var lb = 0.5 * Math.Log(Math.Max(b, 1e-20));
            var lc = 0.5 * Math.Log(Math.Max(power[k + 1], 1e-20));
            loggedBin = k + 1;
            logged = lc;
            var den = la - (2 * lb) + lc;
            var delta = den < 0 ? 0.5 * (la - lc) / den : 0;
            var pitch = 69 + (12 * Math.Log2((k + delta) * _binHz / 440.0));
            var lower = Math.Floor(pitch);
            var up = pitch - lower;
            var c = (int)lower % 12; // the pitch is above MIDI 39 (MinHz): lower is a positive whole number
            c = c < 0 ? c + 12 : c;
            var magnitude = Math.Sqrt(b);
            sums[c] += (1 - up) * magnitude;
            sums[c == 11 ? 0 : c + 1] += up * magnitude;
            total += magnitude;
        }

        if (!(total > EmptyMagnitude) || !double.IsFinite(total))
        {
            chroma[..PitchClasses].Fill(1f / PitchClasses);
            return;
        }

        for (var c = 0; c < PitchClasses; c++)
        {
            chroma[c] = (float)(sums[c] / total);
        }
    }
}
