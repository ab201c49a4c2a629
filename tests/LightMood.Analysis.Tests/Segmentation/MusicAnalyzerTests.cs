using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Analysis.Tests.Support;
using Xunit.Abstractions;

namespace LightMood.Analysis.Tests.Segmentation;

public sealed class MusicAnalyzerTests(ITestOutputHelper output)
{
    private const double Sr = AnalysisFormat.SampleRate;

    private static float[] PadDrivePad()
    {
        var x = new double[(int)(45 * Sr)];
        Scenes.Pad(x, 0, 15, 1);
        Scenes.Drive(x, 15, 32, 128, 2);
        Scenes.Pad(x, 32, 45, 3);
        return Scenes.ToFloat(x);
    }

    [Fact]
    public void Finds_both_changes_within_100_ms_and_confirms_them_within_2_s()
    {
        var result = MusicAnalyzer.Analyze(PadDrivePad(), new SpectralFeatureMoodEstimator());
        foreach (var r in result.Regions)
        {
            output.WriteLine($"{r.StartSeconds:F3}-{r.EndSeconds:F3} {r.Mood} c={r.Confidence:F2} v={r.Valence:F2} a={r.Arousal:F2}");
        }

        foreach (var b in result.Boundaries)
        {
            output.WriteLine($"boundary {b.TimeSeconds:F3} confirmed {b.ConfirmedAtSeconds:F3} {b.From}->{b.To} {b.Evidence}");
        }

        Assert.Equal(2, result.Boundaries.Count);
        Assert.InRange(result.Boundaries[0].TimeSeconds, 14.9, 15.1);
        Assert.InRange(result.Boundaries[1].TimeSeconds, 31.9, 32.1);
        Assert.All(result.Boundaries, b => Assert.InRange(b.ConfirmedAtSeconds - b.TimeSeconds, 0, 2.0));
        Assert.True(result.Regions[1].Arousal > 0.3, "the driving section is aroused");
        Assert.True(result.Regions[0].Arousal < -0.3 && result.Regions[2].Arousal < -0.3, "the pads are calm or sad");
        Assert.NotNull(result.TempoBpm);
        Assert.InRange(result.TempoBpm!.Value, 128 * 0.98, 128 * 1.02);
    }

    [Fact]
    public void Regions_are_contiguous_and_cover_the_stream()
    {
        var x = PadDrivePad();
        var result = MusicAnalyzer.Analyze(x, new SpectralFeatureMoodEstimator());
        Assert.Equal(x.Length / Sr, result.DurationSeconds, 9);
        Assert.Equal(0, result.Regions[0].StartSeconds);
        Assert.Equal(result.DurationSeconds, result.Regions[^1].EndSeconds);
        for (var i = 1; i < result.Regions.Count; i++)
        {
            Assert.Equal(result.Regions[i - 1].EndSeconds, result.Regions[i].StartSeconds);
            Assert.NotEqual(result.Regions[i - 1].Mood, result.Regions[i].Mood);
        }

        Assert.Equal(result.Regions.Skip(1).Select(r => r.StartSeconds), result.BoundariesSeconds);
        Assert.All(result.Regions, r =>
        {
            Assert.InRange(r.Valence, -1, 1);
            Assert.InRange(r.Arousal, -1, 1);
            Assert.InRange(r.Confidence, 0, 1);
        });
    }

    [Fact]
    public void Streaming_with_ragged_blocks_equals_offline()
    {
        var x = PadDrivePad();
        var offline = MusicAnalyzer.Analyze(x, new SpectralFeatureMoodEstimator());
        var live = new MusicAnalyzer(new SpectralFeatureMoodEstimator());
        var states = 0;
        live.StateUpdated += _ => states++;
        int[] sizes = [1, 100, 4096, 511, 33333, 7, 2048, 60000];
        for (int pos = 0, i = 0; pos < x.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], x.Length - pos);
            live.Push(x.AsSpan(pos, n));
            pos += n;
        }

        var streamed = live.Finish();
        Assert.Equal(offline.Regions, streamed.Regions);
        Assert.Equal(offline.Boundaries, streamed.Boundaries);
        Assert.Equal(offline.Beats, streamed.Beats);
        Assert.Equal(offline.TempoBpm, streamed.TempoBpm);
        // a state per mood window: one every MoodWindow.HopFrames frames once the first window is full
        var windows = 1 + (((x.Length / 512) - MoodWindow.Frames) / MoodWindow.HopFrames);
        Assert.True(states >= windows - 2, $"{states} states for {windows} windows");
    }

    [Fact]
    public void Live_events_arrive_causally()
    {
        var x = PadDrivePad();
        var live = new MusicAnalyzer(new SpectralFeatureMoodEstimator(), new MusicAnalyzerOptions(CollectResults: false));
        var confirmations = new List<(double At, SegmentBoundary Boundary)>();
        var beats = new List<(double At, Beat Beat)>();
        MoodState? last = null;
        live.BoundaryConfirmed += b => confirmations.Add((live.TimeSeconds, b));
        live.BeatDetected += b => beats.Add((live.TimeSeconds, b));
        live.StateUpdated += s => last = s;
        for (var pos = 0; pos < x.Length; pos += 1000)
        {
            live.Push(x.AsSpan(pos, Math.Min(1000, x.Length - pos)));
        }

        Assert.Empty(live.Regions);
        Assert.Equal(2, confirmations.Count);
        Assert.All(confirmations, c => Assert.InRange(c.At - c.Boundary.TimeSeconds, 0, 2.1));
        // a beat is raised when the stream reaches it; after a phase correction up to half a period late, time-stamped where it fell
        Assert.All(beats, b => Assert.InRange(b.At - b.Beat.TimeSeconds, 0, 0.25));
        Assert.Contains(beats, b => b.Beat.TimeSeconds is > 16 and < 31);
        Assert.DoesNotContain(beats, b => b.Beat.TimeSeconds is < 14.9 or > 36);
        Assert.NotNull(last);
        Assert.Equal(confirmations[1].Boundary.TimeSeconds, last!.RegionStartSeconds);
    }

    [Fact]
    public void Silence_is_one_low_arousal_region_without_tempo()
    {
        var result = MusicAnalyzer.Analyze(new float[(int)(12 * Sr)], new SpectralFeatureMoodEstimator());
        var region = Assert.Single(result.Regions);
        Assert.Empty(result.Boundaries);
        Assert.Empty(result.Beats);
        Assert.Null(result.TempoBpm);
        Assert.True(region.Arousal < -0.9);
        Assert.Equal(12, region.EndSeconds, 9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(5000)]
    [InlineData(40000)]
    public void Audio_shorter_than_a_window_still_gets_one_region(int samples)
    {
        var x = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            x[i] = 0.3f * MathF.Sin(i * 0.05f);
        }

        var result = MusicAnalyzer.Analyze(x, new SpectralFeatureMoodEstimator());
        var region = Assert.Single(result.Regions);
        Assert.Equal(0, region.StartSeconds);
        Assert.Equal(samples / Sr, region.EndSeconds, 9);
    }

    [Fact]
    public void Rejects_non_finite_samples_and_pushes_after_finish()
    {
        var analyzer = new MusicAnalyzer(new SpectralFeatureMoodEstimator());
        Assert.Throws<ArgumentException>(() => analyzer.Push([0.1f, float.NaN]));
        analyzer.Finish();
        Assert.Throws<InvalidOperationException>(() => analyzer.Push([0.1f]));
    }

    [Fact]
    public void Push_allocates_only_the_estimates_after_warm_up()
    {
        var x = PadDrivePad();

        var beats = 0;
        var run = 0;
        var bytes = Allocations.LeastOfThree(() =>
        {
            var analyzer = new MusicAnalyzer(new SpectralFeatureMoodEstimator(), new MusicAnalyzerOptions(CollectResults: false));
            beats = 0;
            analyzer.BeatDetected += _ => beats++;
            var warm = (int)(20 * Sr);
            analyzer.Push(x.AsSpan(0, warm));
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var pos = warm; pos < (int)(30 * Sr); pos += 512)
            {
                analyzer.Push(x.AsSpan(pos, 512));
            }

            var spent = GC.GetAllocatedBytesForCurrentThread() - before;
            output.WriteLine($"run {run++}: {spent} bytes for 10 s of audio");
            return spent;
        });

        // one MoodEstimate (record + 4 floats + empty embedding) per window, ~20 windows in 10 s; nothing per frame
        Assert.InRange(bytes, 0, 20 * 200);
        Assert.True(beats > 10);
    }
}
