using LightMood.Analysis.Dsp;

namespace LightMood.Analysis.Emotion;

/// <summary>The analysis window the mood estimators read: log-mel frames of <see cref="MelSpectrogram"/> (default options).</summary>
public static class MoodWindow
{
    /// <summary>Frames per window: 128 hops of 512 samples at 22 050 Hz ≈ 2.97 s.</summary>
    public const int Frames = 128;

    /// <summary>Frames between window starts in live and offline analysis (≈ 0.56 s; a multiple of the strip stride, 8, so that offline batches share the front end).</summary>
    public const int HopFrames = 24;
}

/// <summary>A mood estimate for one window.</summary>
/// <param name="Probabilities">Posterior per mood, indexed by <see cref="Mood"/>; sums to 1.</param>
/// <param name="Valence">Valence in [−1, 1].</param>
/// <param name="Arousal">Arousal in [−1, 1].</param>
/// <param name="Embedding">The estimator's embedding of the window (for personalization); may be empty.</param>
public sealed record MoodEstimate(float[] Probabilities, float Valence, float Arousal, float[] Embedding)
{
    public Mood Mood => MoodNames.MostLikely(Probabilities);

    public float Confidence => Probabilities[(int)Mood];
}

/// <summary>Estimates the mood of one window of log-mel frames. Production implementation: the CRNN (CrnnMoodEstimator), optionally personalised.</summary>
public interface IMoodEstimator
{
    /// <summary>
    /// Pitch classes per frame the estimator also reads (12 when it wants the window's <c>Chromagram</c>, 0 when it
    /// reads the mel frames only).
    /// </summary>
    int ChromaBands => 0;

    /// <summary>
    /// Estimates one window: <paramref name="melWindow"/> is time-major, <see cref="MoodWindow.Frames"/> × mel bands,
    /// followed, when <see cref="ChromaBands"/> is not 0, by the same frames' pitch classes (Frames × ChromaBands).
    /// </summary>
    MoodEstimate Estimate(ReadOnlySpan<float> melWindow);
}
