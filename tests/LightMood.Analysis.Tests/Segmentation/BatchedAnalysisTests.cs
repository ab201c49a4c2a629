using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Analysis.Tests.Emotion;
using LightMood.Analysis.Tests.Support;
using Xunit.Abstractions;

namespace LightMood.Analysis.Tests.Segmentation;

/// <summary>
/// Offline batching (<see cref="MusicAnalyzerOptions.BatchWindows"/>): the soft cut waits for a batch of windows and
/// must still give exactly the window-by-window answer, silence included, whatever the batch size, hop and blocks.
/// </summary>
public sealed class BatchedAnalysisTests(ITestOutputHelper output)
{
    private const int Sr = AnalysisFormat.SampleRate;

    [Theory]
    [InlineData(2, MoodWindow.HopFrames)]
    [InlineData(5, MoodWindow.HopFrames)]
    [InlineData(16, MoodWindow.HopFrames)]
    [InlineData(16, 44)]
    [InlineData(7, 128)]
    public void Batched_windows_give_the_window_by_window_answer_across_silence(int batch, int hop)
    {
        var x = Song();
        var oneByOne = new CountingMoodEstimator();
        var expected = MusicAnalyzer.Analyze(x, oneByOne, new MusicAnalyzerOptions(WindowHopFrames: hop));
        foreach (var b in expected.Boundaries)
        {
            output.WriteLine($"{b.TimeSeconds:F3} s {b.From} -> {b.To} ({b.Evidence})");
        }

        Assert.Contains(expected.Regions, r => r.Silent);          // the song crosses a silence
        Assert.True(expected.Boundaries.Count(b => !b.ToSilence && !b.FromSilence) >= 1, "a mood boundary");

        var batched = new CountingMoodEstimator();
        var analyzer = new MusicAnalyzer(batched, new MusicAnalyzerOptions(WindowHopFrames: hop, BatchWindows: batch));
        var events = new List<string>();
        analyzer.BoundaryConfirmed += b => events.Add($"boundary {b.TimeSeconds} {b.Evidence}");
        analyzer.RegionClosed += r => events.Add($"region {r.StartSeconds} {r.Mood} {r.Silent}");
        int[] sizes = [4096, 1, 33333, 511, 100000, 7];
        for (int pos = 0, i = 0; pos < x.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], x.Length - pos);
            analyzer.Push(x.AsSpan(pos, n));
            pos += n;
        }

        var result = analyzer.Finish();
        Assert.Equal(expected.Regions, result.Regions);
        Assert.Equal(expected.Boundaries, result.Boundaries);
        Assert.Equal(expected.Beats, result.Beats);
        Assert.Equal(expected.TempoBpm, result.TempoBpm);
        Assert.Equal(expected.DurationSeconds, result.DurationSeconds);
        Assert.Equal(2 * expected.Regions.Count - 1, events.Count);  // every boundary and region raised once
        // the shadow silence gate kept the silent windows out of the batches: no estimate more than window by window
        Assert.Equal(oneByOne.Calls, batched.Calls);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(3)]
    public void Minutes_of_silence_in_a_batch_are_silence_and_cost_no_model_run(int batch)
    {
        // pad 0–10 s, two minutes of digital silence, drive 130–145 s: no window enters a batch for minutes
        var x = new double[145 * Sr];
        Scenes.Pad(x, 0, 10, 1);
        Scenes.Drive(x, 130, 145, 128, 2);
        var song = Scenes.ToFloat(x);
        var oneByOne = new CountingMoodEstimator();
        var expected = MusicAnalyzer.Analyze(song, oneByOne);
        var batched = new CountingMoodEstimator();
        var result = MusicAnalyzer.Analyze(song, batched, new MusicAnalyzerOptions(BatchWindows: batch));
        Assert.Equal(expected.Regions, result.Regions);
        Assert.Equal(expected.Boundaries, result.Boundaries);
        var silence = Assert.Single(result.Regions, r => r.Silent);
        Assert.InRange(silence.DurationSeconds, 119, 121);
        Assert.Equal(oneByOne.Calls, batched.Calls);
        Assert.InRange(batched.Calls, 40, 60);   // ≈ 25 s of sound at 0.51 s a window: the silence took none
    }

    [Fact]
    public void A_batch_allocates_no_more_than_window_by_window_after_warm_up()
    {
        var x = Song();
        long Bytes(MusicAnalyzerOptions options) => Allocations.LeastOfThree(() => BytesOnce(options));

        long BytesOnce(MusicAnalyzerOptions options)
        {
            var analyzer = new MusicAnalyzer(new SpectralFeatureMoodEstimator(), options);
            var warm = 20 * Sr;
            analyzer.Push(x.AsSpan(0, warm));   // the first batches size the step list
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var pos = warm; pos < 50 * Sr; pos += 512)
            {
                analyzer.Push(x.AsSpan(pos, 512));
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var live = Bytes(new MusicAnalyzerOptions(CollectResults: false));
        var batched = Bytes(new MusicAnalyzerOptions(CollectResults: false, BatchWindows: 16));
        output.WriteLine($"30 s after warm-up: {live} bytes window by window, {batched} bytes in batches of 16");
        // the estimates (one small record per window) and the records of boundaries, in both; nothing per frame or step
        Assert.InRange(batched, 0, live + 512);
        Assert.InRange(live, 0, 60 * 400);
    }

    [Fact]
    public void Batched_crnn_runs_give_the_same_regions_and_boundaries_as_single_runs()
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        var x = Song();
        var single = MusicAnalyzer.Analyze(x, crnn);
        var batched = MusicAnalyzer.Analyze(x, crnn, new MusicAnalyzerOptions(BatchWindows: 16));
        Assert.Equal(single.Boundaries.Select(b => (b.TimeSeconds, b.From, b.To, b.Evidence)), batched.Boundaries.Select(b => (b.TimeSeconds, b.From, b.To, b.Evidence)));
        Assert.Equal(single.Regions.Count, batched.Regions.Count);
        for (var i = 0; i < single.Regions.Count; i++)
        {
            var (s, b) = (single.Regions[i], batched.Regions[i]);
            Assert.Equal((s.StartSeconds, s.EndSeconds, s.Mood, s.Silent), (b.StartSeconds, b.EndSeconds, b.Mood, b.Silent));
            // a batched run may round differently in the last bits of a float (ONNX Runtime blocks its kernels by batch)
            Assert.True(Math.Abs(s.Confidence - b.Confidence) < 1e-4 && Math.Abs(s.Valence - b.Valence) < 1e-4 && Math.Abs(s.Arousal - b.Arousal) < 1e-4, $"{s} vs {b}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(MusicAnalyzer.MaxHopFrames + 1)]
    public void A_window_hop_out_of_range_is_refused(int hop)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MusicAnalyzer(new SpectralFeatureMoodEstimator(), new MusicAnalyzerOptions(WindowHopFrames: hop)));
        Assert.Contains("WindowHopFrames", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(MusicAnalyzer.MaxBatchWindows + 1)]
    public void A_batch_size_out_of_range_is_refused(int batch)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MusicAnalyzer(new SpectralFeatureMoodEstimator(), new MusicAnalyzerOptions(BatchWindows: batch)));
        Assert.Contains("BatchWindows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_longer_hop_runs_the_estimator_that_much_less()
    {
        var x = Song();
        var atLive = new CountingMoodEstimator();
        var at88 = new CountingMoodEstimator();
        MusicAnalyzer.Analyze(x, atLive, new MusicAnalyzerOptions(BatchWindows: 16));
        MusicAnalyzer.Analyze(x, at88, new MusicAnalyzerOptions(WindowHopFrames: 88, BatchWindows: 16));
        var ratio = 88.0 / MoodWindow.HopFrames;
        Assert.InRange(atLive.Calls / (double)at88.Calls, 0.9 * ratio, 1.1 * ratio);
    }

    /// <summary>Pad 0–12 s, drive 12–25 s, digital silence 25–37 s, drive 37–50 s, pad 50–62 s.</summary>
    private static float[] Song()
    {
        var x = new double[62 * Sr];
        Scenes.Pad(x, 0, 12, 1);
        Scenes.Drive(x, 12, 25, 128, 2);
        Scenes.Drive(x, 37, 50, 96, 3);
        Scenes.Pad(x, 50, 62, 4);
        return Scenes.ToFloat(x);
    }
}
