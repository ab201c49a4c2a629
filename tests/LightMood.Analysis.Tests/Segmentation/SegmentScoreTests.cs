using LightMood.Analysis.Segmentation;

namespace LightMood.Analysis.Tests.Segmentation;

public sealed class SegmentScoreTests
{
    private static readonly SegmentTruth Truth = new(
        [new MoodRegion(0, 30, Mood.Calm, 1, 1, -1), new MoodRegion(30, 60, Mood.Tense, 1, -1, 1), new MoodRegion(60, 90, Mood.Happy, 1, 1, 1)],
        [30, 60]);

    [Fact]
    public void Matches_boundaries_one_to_one_closest_first_and_counts_misses_and_false()
    {
        // 30.08 matches 30; 29.5 is a second candidate for the same true boundary: false; 60 has none within 0.5 s: missed
        MoodRegion[] found =
        [
            new(0, 29.5, Mood.Calm, 1, 0, 0), new(29.5, 30.08, Mood.Sad, 1, 0, 0), new(30.08, 70, Mood.Tense, 1, 0, 0), new(70, 90, Mood.Happy, 1, 0, 0),
        ];
        var score = SegmentScore.Compute(Truth, found, [29.5, 30.08, 70], 0.5);
        Assert.Equal(0.08, Assert.Single(score.MatchedErrorsSeconds), 9);
        Assert.Equal(1, score.Misses);
        Assert.Equal(2, score.FalseBoundaries);
    }

    [Fact]
    public void Precision_and_recall_are_time_weighted()
    {
        MoodRegion[] found = [new(0, 40, Mood.Calm, 1, 0, 0), new(40, 90, Mood.Happy, 1, 0, 0)];
        var score = SegmentScore.Compute(Truth, found, [40], 1);
        Assert.Equal(30.0 / 40, score.Precision(Mood.Calm), 9);
        Assert.Equal(1, score.Recall(Mood.Calm), 9);
        Assert.Equal(30.0 / 50, score.Precision(Mood.Happy), 9);
        Assert.Equal(0, score.Recall(Mood.Tense), 9);
        Assert.True(double.IsNaN(score.Precision(Mood.Tense)));
        Assert.True(double.IsNaN(score.Recall(Mood.Sad)));
        Assert.Equal(60.0 / 90, score.Accuracy, 9);
    }

    [Fact]
    public void Truth_files_are_validated_with_the_file_and_field_named()
    {
        var dir = Directory.CreateTempSubdirectory("lightmood-truth-").FullName;
        try
        {
            var path = Path.Combine(dir, "t.regions.json");
            File.WriteAllText(path, """{"regions":[{"start_s":0,"end_s":10,"mood":"Q4"},{"start_s":10,"end_s":20,"mood":"sad"}]}""");
            var truth = SegmentTruth.Load(path);
            Assert.Equal([10.0], truth.BoundariesSeconds);
            Assert.Equal(Mood.Calm, truth.Regions[0].Mood);

            File.WriteAllText(path, """{"regions":[{"start_s":0,"mood":"sad"}]}""");
            Assert.Contains("t.regions.json: regions[0].end_s", Assert.Throws<FormatException>(() => SegmentTruth.Load(path)).Message);
            File.WriteAllText(path, "{not json");
            Assert.Contains("not valid JSON", Assert.Throws<FormatException>(() => SegmentTruth.Load(path)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
