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

    [Fact]
    public void Appends_past_the_record_cap_compact_to_the_newest_atomically()
    {
        var path = Path.Combine(_dir, "feedback.jsonl");
        var options = new FeedbackStoreOptions(MaxRecords: 20, KeepRecords: 10);
        var store = FeedbackStore.Open(path, options);
        for (var i = 0; i < 95; i++)
        {
            store.Append(Record((Mood)(i % 4), i));
            Assert.InRange(store.Records.Count, 1, 20);
            Assert.Equal(new FileInfo(path).Length, store.FileBytes);
        }

        // compacted to 10 whenever the 21st is in: after records 20, 31, …, 86 (0-based); 87..94 appended since
        Assert.Equal(Enumerable.Range(77, 18).Select(i => (double)i), store.Records.Select(r => r.StartSeconds));
        Assert.Equal(77, store.CompactedRecords);
        Assert.False(File.Exists(path + ".tmp"));
        var reopened = FeedbackStore.Open(path, options);
        Assert.Equal(store.Records.Select(r => r.StartSeconds), reopened.Records.Select(r => r.StartSeconds));
        Assert.Equal(store.Records[^1].Embedding, reopened.Records[^1].Embedding);
    }

    [Fact]
    public void Appends_past_the_byte_cap_compact_to_half_of_it()
    {
        var path = Path.Combine(_dir, "feedback.jsonl");
        var options = new FeedbackStoreOptions(MaxRecords: 1000, KeepRecords: 1000, MaxBytes: 64 * 1024);
        var store = FeedbackStore.Open(path, options);
        var big = Record(Mood.Sad, 0) with { Embedding = [.. Enumerable.Range(0, 400).Select(i => i / 7f)] };
        for (var i = 0; i < 200; i++)
        {
            store.Append(big with { StartSeconds = i });
            Assert.InRange(new FileInfo(path).Length, 1, 64 * 1024);
        }

        Assert.Equal(199, store.Records[^1].StartSeconds);
        Assert.InRange(FeedbackStore.Open(path, options).Records.Count, 2, 200);
    }

    [Fact]
    public void An_oversized_file_is_read_with_bounded_memory_and_compacted_at_open()
    {
        var path = Path.Combine(_dir, "feedback.jsonl");
        var writer = FeedbackStore.Open(path, new FeedbackStoreOptions(MaxRecords: 10_000, KeepRecords: 10_000));
        for (var i = 0; i < 300; i++)
        {
            writer.Append(Record(Mood.Calm, i));
        }

        File.WriteAllText(path + ".tmp", "{ a compaction cut short");
        var store = FeedbackStore.Open(path, new FeedbackStoreOptions(MaxRecords: 40, KeepRecords: 25));
        Assert.Equal(Enumerable.Range(275, 25).Select(i => (double)i), store.Records.Select(r => r.StartSeconds));
        Assert.Equal(275, store.CompactedRecords);
        Assert.Equal(25, File.ReadAllLines(path).Length);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void An_overlong_line_is_corrupt_in_the_middle_and_dropped_at_the_end()
    {
        var path = Path.Combine(_dir, "feedback.jsonl");
        var options = new FeedbackStoreOptions(MaxLineBytes: 4096);
        var store = FeedbackStore.Open(path, options);
        store.Append(Record(Mood.Sad, 10));
        File.AppendAllText(path, new string('x', 200_000));          // a torn, huge last line
        var reopened = FeedbackStore.Open(path, options);
        Assert.Single(reopened.Records);
        Assert.Contains("longer than 4096 bytes", reopened.DroppedLine, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(path));

        File.AppendAllText(path, new string('y', 200_000) + "\n");
        reopened.Append(Record(Mood.Calm, 20));
        var e = Assert.Throws<InvalidDataException>(() => FeedbackStore.Open(path, options));
        Assert.Contains(path + ":2:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compaction_that_cannot_be_written_keeps_every_record_and_is_retried()
    {
        var path = Path.Combine(_dir, "feedback.jsonl");
        var options = new FeedbackStoreOptions(MaxRecords: 4, KeepRecords: 2);
        var store = FeedbackStore.Open(path, options);
        Directory.CreateDirectory(path + ".tmp");   // the temporary's name taken: the rewrite fails, whoever runs the tests
        for (var i = 0; i < 6; i++)
        {
            store.Append(Record(Mood.Happy, i));
        }

        Assert.NotNull(store.CompactionError);
        Assert.Equal(6, FeedbackStore.Open(path, new FeedbackStoreOptions(MaxRecords: 100, KeepRecords: 100)).Records.Count);
        Directory.Delete(path + ".tmp");
        store.Append(Record(Mood.Happy, 6));
        Assert.Null(store.CompactionError);
        Assert.Equal([5.0, 6.0], FeedbackStore.Open(path, options).Records.Select(r => r.StartSeconds));
    }

    [Fact]
    public void The_default_caps_keep_every_record_the_personalization_fits()
    {
        var d = FeedbackStoreOptions.Default;
        Assert.True(d.KeepRecords >= PersonalizationOptions.Default.MaxRecords);
        Assert.True(d.MaxRecords >= d.KeepRecords);
        // a record of the shipped CRNN (288-float embedding) is ~3.5 KB (BoundedFeedbackTests measures it): the record
        // cap binds long before the byte cap, which is there for larger embeddings
        Assert.True(d.MaxRecords * 3_400L < d.MaxBytes);
    }
}
