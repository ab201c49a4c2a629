using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Tests.Emotion;

public sealed class FeedbackStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lightmood-feedback-" + Guid.NewGuid());

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static FeedbackRecord Record(Mood mood, double start) =>
        new(start, start + 3, [0.5f, -0.25f, 1f], [0.1f, 0.2f, 0.3f, 0.4f], mood, new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Records_round_trip_through_the_file()
    {
        var path = Path.Combine(_dir, "feedback.jsonl");
        var store = FeedbackStore.Open(path);
        store.Append(Record(Mood.Sad, 10));
        store.Append(Record(Mood.Tense, 20));
        var reopened = FeedbackStore.Open(path);
        Assert.Null(reopened.DroppedLine);
        Assert.Equal(2, reopened.Records.Count);
        Assert.Equal(Mood.Tense, reopened.Records[1].Corrected);
        Assert.Equal(20, reopened.Records[1].StartSeconds);
        Assert.Equal([0.5f, -0.25f, 1f], reopened.Records[0].Embedding);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], reopened.Records[0].Prior);
        Assert.Contains("\"corrected\":\"Sad\"", File.ReadAllLines(path)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_last_line_is_dropped_reported_and_cut_off()
    {
        var path = Path.Combine(_dir, "feedback.jsonl");
        var store = FeedbackStore.Open(path);
        store.Append(Record(Mood.Sad, 10));
        store.Append(Record(Mood.Calm, 20));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 15).ToArray()); // a torn write

        var reopened = FeedbackStore.Open(path);
        Assert.Single(reopened.Records);
        Assert.NotNull(reopened.DroppedLine);
        Assert.Contains(":2:", reopened.DroppedLine, StringComparison.Ordinal);

        reopened.Append(Record(Mood.Happy, 30)); // the file stays well-formed after the repair
        var again = FeedbackStore.Open(path);
        Assert.Null(again.DroppedLine);
        Assert.Equal([Mood.Sad, Mood.Happy], again.Records.Select(r => r.Corrected));
    }

    [Fact]
    public void Corrupt_middle_line_names_file_and_line()
    {
        var path = Path.Combine(_dir, "feedback.jsonl");
        var store = FeedbackStore.Open(path);
        store.Append(Record(Mood.Sad, 10));
        File.AppendAllText(path, "{not json\n");
        store.Append(Record(Mood.Calm, 20));
        var e = Assert.Throws<InvalidDataException>(() => FeedbackStore.Open(path));
        Assert.Contains(path + ":2:", e.Message, StringComparison.Ordinal);
    }
}
