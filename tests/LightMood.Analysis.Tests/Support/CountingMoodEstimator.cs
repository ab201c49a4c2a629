using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Tests.Support;

/// <summary>The <see cref="SpectralFeatureMoodEstimator"/> test double, counting the windows it is asked to estimate.</summary>
internal sealed class CountingMoodEstimator : IMoodEstimator
{
    private readonly SpectralFeatureMoodEstimator _inner = new();

    public int Calls { get; private set; }

    public MoodEstimate Estimate(ReadOnlySpan<float> window)
    {
        Calls++;
        return _inner.Estimate(window);
    }
}
