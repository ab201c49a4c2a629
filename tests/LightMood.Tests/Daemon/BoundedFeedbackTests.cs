using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LightMood.Analysis.Emotion;
using Xunit.Abstractions;

namespace LightMood.Tests.Daemon;

/// <summary>Issue 16, item 10: the feedback file is bounded, through the daemon's own corrections.</summary>
public sealed class BoundedFeedbackTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _feedback = Path.Combine(Path.GetTempPath(), $"lightmood-feedback-{Guid.NewGuid():N}.jsonl");

    public void Dispose()
    {
        File.Delete(_feedback);
        File.Delete(_feedback + ".tmp");
    }

    [Fact]
    public async Task A_grown_feedback_file_is_compacted_to_the_newest_records_and_stays_bounded()
    {
        var settings = new Dictionary<string, string?> { ["Web:FeedbackFile"] = _feedback };

        // one real correction: real CRNN records, as the page makes them
        await using (var d = await RunningDaemon.StartAsync(settings))
        {
            await Correct(d);
        }

        var real = FeedbackStore.Open(_feedback).Records;
        Assert.InRange(real.Count, 1, 12);
        var lineBytes = new FileInfo(_feedback).Length / real.Count;
        output.WriteLine($"{real.Count} records per correction, {lineBytes} bytes per record ({real[0].Embedding.Length}-float embedding)");

        // the file as the adversarial run left it: 5 000 of them (400 corrections), written by an unbounded version
        var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        await using (var grown = new StreamWriter(_feedback, append: false))
        {
            for (var i = 0; i < 5000; i++)
            {
                await grown.WriteLineAsync(JsonSerializer.Serialize(real[i % real.Count] with { StartSeconds = i + 0.5 }, json));
            }
        }

        var before = new FileInfo(_feedback).Length;
        await using (var d = await RunningDaemon.StartAsync(settings))
        {
            // at start the file is compacted to the newest 400, and new corrections go on from there
            await Correct(d);
            await Correct(d);
        }

        var after = new FileInfo(_feedback).Length;
        output.WriteLine($"before {before / 1024} KiB, after {after / 1024} KiB");
        var store = FeedbackStore.Open(_feedback);
        Assert.InRange(store.Records.Count, FeedbackStoreOptions.Default.KeepRecords + 2, FeedbackStoreOptions.Default.KeepRecords + 24);
        Assert.True(after < FeedbackStoreOptions.Default.MaxBytes);
        Assert.True(after < before / 10, $"{after} bytes after, {before} before");
        Assert.Equal(4999.5, store.Records[FeedbackStoreOptions.Default.KeepRecords - 1].StartSeconds);   // the newest kept
        Assert.False(File.Exists(_feedback + ".tmp"));
    }

    private static async Task Correct(RunningDaemon d)
    {
        var state = await d.WaitForAsync(s => s.GetProperty("time_s").GetDouble() > 9, 30);
        // the model's windows can lag the stream's clock on a loaded machine: "no analysed audio" is retried a while
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var res = await d.Http.PostAsJsonAsync("/api/mood/correct", new { start_s = 0.0, end_s = state.GetProperty("time_s").GetDouble(), mood = "tense" });
            var body = await res.Content.ReadAsStringAsync();
            if (res.StatusCode == HttpStatusCode.BadRequest && body.Contains("no analysed audio", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
                continue;
            }

            Assert.True(res.StatusCode == HttpStatusCode.NoContent, $"{res.StatusCode}: {body}");
            return;
        }
    }
}
