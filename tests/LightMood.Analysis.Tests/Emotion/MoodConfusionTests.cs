using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Tests.Emotion;

public sealed class MoodConfusionTests
{
    [Fact]
    public void Metrics_match_a_hand_computed_matrix()
    {
        // rows true, columns predicted (happy, tense, sad, calm):
        //   happy  3 1 0 0      tense 0 2 0 0      sad 0 1 1 2      calm 1 0 0 2
        int[,] m = { { 3, 1, 0, 0 }, { 0, 2, 0, 0 }, { 0, 1, 1, 2 }, { 1, 0, 0, 2 } };
        var c = new MoodConfusion();
        for (var t = 0; t < 4; t++)
        {
            for (var p = 0; p < 4; p++)
            {
                for (var n = 0; n < m[t, p]; n++)
                {
                    c.Add((Mood)t, (Mood)p);
                }
            }
        }

        // happy: P 3/4, R 3/4, F1 0.75; tense: P 2/4, R 1, F1 2/3; sad: P 1, R 1/4, F1 0.4; calm: P 2/4, R 2/3, F1 4/7
        Assert.Equal(13, c.Total);
        Assert.Equal(8.0 / 13, c.Accuracy, 12);
        Assert.Equal(0.75, c.Precision(Mood.Happy), 12);
        Assert.Equal(0.75, c.Recall(Mood.Happy), 12);
        Assert.Equal(0.5, c.Precision(Mood.Tense), 12);
        Assert.Equal(1.0, c.Recall(Mood.Tense), 12);
        Assert.Equal(2.0 / 3, c.F1(Mood.Tense), 12);
        Assert.Equal(1.0, c.Precision(Mood.Sad), 12);
        Assert.Equal(0.25, c.Recall(Mood.Sad), 12);
        Assert.Equal(0.4, c.F1(Mood.Sad), 12);
        Assert.Equal(4.0 / 7, c.F1(Mood.Calm), 12);
        Assert.Equal((0.75 + (2.0 / 3) + 0.4 + (4.0 / 7)) / 4, c.MacroF1, 12);
        Assert.Equal(2, c[Mood.Sad, Mood.Calm]);
        Assert.Contains("macro-F1 0.597", c.Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void Never_predicted_mood_has_zero_precision_and_f1()
    {
        var c = new MoodConfusion();
        c.Add(Mood.Sad, Mood.Calm);
        c.Add(Mood.Calm, Mood.Calm);
        Assert.Equal(0, c.Precision(Mood.Sad));
        Assert.Equal(0, c.F1(Mood.Sad));
        Assert.Equal(0, c.Recall(Mood.Happy));
        Assert.Equal(0.5, c.Precision(Mood.Calm), 12);
    }
}
