using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Tests.Emotion;

/// <summary>
/// Personalization on the real CRNN and the committed fixture windows: windows 0..7 are variations of one synthetic
/// passage, 8..15 are unrelated. The operator corrects passage windows 0..3; held-out passage windows 4..7 must flip,
/// unrelated windows must barely move; corrections persist across a restart.
/// </summary>
public sealed class PersonalizedMoodEstimatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lightmood-personal-" + Guid.NewGuid());

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Corrections_flip_the_passage_and_leave_unrelated_windows()
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        var windows = CrnnFixture.Windows();
        var before = windows.Select(w => crnn.Estimate(w)).ToArray();
        var passageMood = MostCommon(before.Take(8).Select(e => e.Mood));
        var corrected = passageMood == Mood.Sad ? Mood.Calm : Mood.Sad; // "this passage is sad, not calm"

        var path = Path.Combine(_dir, "feedback.jsonl");
        var personal = new PersonalizedMoodEstimator(crnn, FeedbackStore.Open(path));
        for (var i = 0; i < 4; i++)
        {
            personal.Correct(windows[i], i * 0.5, (i * 0.5) + 2.97, corrected);
        }

        for (var i = 4; i < 8; i++)
        {
            var after = personal.Estimate(windows[i]);
            Assert.True(after.Mood == corrected, $"held-out passage window {i}: {after.Mood} ({string.Join(", ", after.Probabilities)}), before {before[i].Mood}");
        }

        for (var i = 8; i < windows.Length; i++)
        {
            var after = personal.Estimate(windows[i]);
            var shift = after.Probabilities.Zip(before[i].Probabilities, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(shift < 0.1, $"unrelated window {i} moved by {shift}");
            Assert.Equal(before[i].Mood, after.Mood);
        }

        // persisted: a fresh estimator over the same file (a daemon restart) gives the same adapted result
        var restarted = new PersonalizedMoodEstimator(crnn, FeedbackStore.Open(path));
        Assert.Equal(4, restarted.CorrectionCount);
        Assert.Equal(personal.Estimate(windows[6]).Probabilities, restarted.Estimate(windows[6]).Probabilities);
    }

    [Fact]
    public void Without_feedback_the_estimate_is_the_crnn_estimate()
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        var personal = new PersonalizedMoodEstimator(crnn, FeedbackStore.Open(Path.Combine(_dir, "empty.jsonl")));
        var w = CrnnFixture.Windows()[3];
        Assert.Equal(crnn.Estimate(w).Probabilities, personal.Estimate(w).Probabilities);
    }

    private static Mood MostCommon(IEnumerable<Mood> moods) => moods.GroupBy(m => m).OrderByDescending(g => g.Count()).First().Key;
}
