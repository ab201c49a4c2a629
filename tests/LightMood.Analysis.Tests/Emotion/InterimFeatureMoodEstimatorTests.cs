using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Tests.Segmentation;

namespace LightMood.Analysis.Tests.Emotion;

public sealed class InterimFeatureMoodEstimatorTests
{
    private static float[] Window(double[] x)
    {
        var mel = new MelSpectrogram().Compute(Scenes.ToFloat(x), out var frames);
        Assert.True(frames >= MoodWindow.Frames);
        return mel[..(MoodWindow.Frames * 96)];
    }

    [Fact]
    public void Loud_bright_busy_sound_is_aroused_and_positive_and_a_soft_dark_tone_is_not()
    {
        var drive = new double[4 * AnalysisFormat.SampleRate];
        Scenes.Drive(drive, 0, 4, 128, 1);
        var pad = new double[4 * AnalysisFormat.SampleRate];
        Scenes.Pad(pad, 0, 4, 1);
        var estimator = new InterimFeatureMoodEstimator();
        var loud = estimator.Estimate(Window(drive));
        var soft = estimator.Estimate(Window(pad));
        Assert.Equal(Mood.Happy, loud.Mood);
        Assert.True(loud.Arousal > 0.5 && loud.Valence > 0);
        Assert.Equal(Mood.Sad, soft.Mood);
        Assert.True(soft.Arousal < -0.5 && soft.Valence < 0);
        foreach (var e in new[] { loud, soft })
        {
            Assert.Equal(1.0, e.Probabilities.Sum(p => (double)p), 5);
            Assert.Equal(MoodNames.FromValenceArousal(e.Valence, e.Arousal), e.Mood);
        }
    }

    [Fact]
    public void Silence_has_the_lowest_arousal_and_bad_windows_are_rejected()
    {
        var estimator = new InterimFeatureMoodEstimator();
        var silent = new float[MoodWindow.Frames * 96];
        silent.AsSpan().Fill(-100f);
        var e = estimator.Estimate(silent);
        Assert.True(e.Arousal < -0.99);
        Assert.Throws<ArgumentException>(() => estimator.Estimate(new float[95]));
    }
}
