using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Analysis.Tests.Support;
using Xunit.Abstractions;

namespace LightMood.Analysis.Tests.Segmentation;

/// <summary>Issue 16, item 11: silence is a region of its own (the silence gate), never one of the four moods.</summary>
public sealed class SilenceTests(ITestOutputHelper output)
{
    private const double Sr = AnalysisFormat.SampleRate;
    private const double Hop = 512 / Sr;
    private const double Frame = 1024 / Sr;

    private static double Ms(double dbfs) => Math.Pow(10, dbfs / 10);

    [Fact]
    public void The_gate_dates_silence_to_its_first_quiet_frame_and_sound_to_its_first_loud_one()
    {
        var gate = new SilenceGate(Hop, Frame);
        var changes = new List<(long Frame, SilenceChange Change, double At)>();
        void Feed(int frames, double dbfs)
        {
            for (var i = 0; i < frames; i++)
            {
                var c = gate.Push(Ms(dbfs));
                if (c != SilenceChange.None)
                {
                    changes.Add((gate.Frames - 1, c, gate.ChangeSeconds));
                }
            }
        }

        Feed(200, -20);                 // music
        Feed(60, -80);                  // a rest of 1.4 s: part of the music
        Feed(10, -20);
        Feed(300, -75);                 // silence (frame 270 on)
        Feed(2, -10);                   // a click: not the end of it
        Feed(100, -58);                 // 2 dB above the threshold: inside the hysteresis, still silence
        Feed(50, -30);                  // sound again (frame 672 on)
        Assert.Equal(2, changes.Count);
        Assert.Equal(SilenceChange.Began, changes[0].Change);
        Assert.Equal(270 * Hop, changes[0].At, 9);
        Assert.Equal(270 + (long)Math.Ceiling(2.0 / Hop) - 1, changes[0].Frame);   // confirmed after 2 s of it
        Assert.Equal(SilenceChange.Ended, changes[1].Change);
        Assert.Equal((672 * Hop) + Frame, changes[1].At, 9);
        Assert.Equal(672 + (long)Math.Ceiling(0.15 / Hop) - 1, changes[1].Frame);
        Assert.False(gate.IsSilent);
    }

    [Fact]
    public void At_the_end_a_stream_quiet_from_its_start_is_silence_however_short_and_a_short_quiet_tail_is_not()
    {
        var silent = new SilenceGate(Hop, Frame);
        for (var i = 0; i < 20; i++)
        {
            silent.Push(0);
        }

        Assert.Equal(SilenceChange.Began, silent.Finish());
        Assert.Equal(0, silent.ChangeSeconds);

        var tail = new SilenceGate(Hop, Frame);
        for (var i = 0; i < 40; i++)
        {
            tail.Push(i < 20 ? Ms(-20) : 0);
        }

        Assert.Equal(SilenceChange.None, tail.Finish());
        Assert.Throws<ArgumentException>(() => new SilenceGate(Hop, Frame, new SilenceGateOptions(ThresholdDbfs: double.NaN)));
    }

    [Theory]
    [InlineData(double.NegativeInfinity)]   // digital silence
    [InlineData(-70.0)]                     // a noise floor at −70 dBFS RMS
    public void Two_minutes_of_silence_are_one_silence_region_and_the_estimator_never_hears_them(double dbfs)
    {
        var x = Noise(120, dbfs, seed: 1);
        var estimator = new CountingMoodEstimator();
        var result = MusicAnalyzer.Analyze(x, estimator);
        var region = Assert.Single(result.Regions);
        Assert.True(region.Silent);
        Assert.Equal("silence", region.Label);
        Assert.Equal(0, region.StartSeconds);
        Assert.Equal(120, region.EndSeconds, 6);
        Assert.Equal((1.0, 0.0, -1.0), (region.Confidence, region.Valence, region.Arousal));
        Assert.Empty(result.Boundaries);
        Assert.Null(result.TempoBpm);
        Assert.Equal(0, estimator.Calls);
    }

    [Fact]
    public void A_silent_file_shorter_than_the_gate_is_silence_too()
    {
        var result = MusicAnalyzer.Analyze(new float[(int)(0.8 * Sr)], new CountingMoodEstimator());
        Assert.True(Assert.Single(result.Regions).Silent);
    }

    [Theory]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-70.0)]
    public void A_ten_second_gap_in_music_is_a_silence_region_within_half_a_second(double dbfs)
    {
        var x = WithGap(dbfs);
        var result = MusicAnalyzer.Analyze(x, new SpectralFeatureMoodEstimator());
        foreach (var r in result.Regions)
        {
            output.WriteLine($"{r.StartSeconds:F3}-{r.EndSeconds:F3} {r.Label} c={r.Confidence:F2} a={r.Arousal:F2}");
        }

        var silence = Assert.Single(result.Regions, r => r.Silent);
        Assert.InRange(silence.StartSeconds, 20 - 0.5, 20 + 0.5);
        Assert.InRange(silence.EndSeconds, 30 - 0.5, 30 + 0.5);
        Assert.False(result.Regions[0].Silent);
        Assert.False(result.Regions[^1].Silent);
        Assert.True(result.Regions[^1].Arousal > 0.3, "the music after the gap is heard afresh (driving)");
        for (var i = 1; i < result.Regions.Count; i++)
        {
            Assert.Equal(result.Regions[i - 1].EndSeconds, result.Regions[i].StartSeconds);
        }

        Assert.Equal(result.Regions.Skip(1).Select(r => r.StartSeconds), result.BoundariesSeconds);
        var into = Assert.Single(result.Boundaries, b => b.ToSilence);
        Assert.Equal(BoundaryEvidence.Silence, into.Evidence);
        Assert.Equal("silence", into.ToLabel);
        Assert.InRange(into.ConfirmedAtSeconds - into.TimeSeconds, 1.9, 2.2);   // the gate's 2 s
        Assert.Single(result.Boundaries, b => b.FromSilence);
    }

    [Fact]
    public void Streaming_with_ragged_blocks_equals_offline_across_a_gap_and_the_live_state_says_silence()
    {
        var x = WithGap(-70);
        var offline = MusicAnalyzer.Analyze(x, new SpectralFeatureMoodEstimator());
        var ragged = new MusicAnalyzer(new SpectralFeatureMoodEstimator());
        int[] sizes = [1, 100, 4096, 511, 33333, 7, 2048, 60000];
        for (int pos = 0, i = 0; pos < x.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], x.Length - pos);
            ragged.Push(x.AsSpan(pos, n));
            pos += n;
        }

        Assert.Equal(offline.Regions, ragged.Finish().Regions);

        // live, in sound-card periods: silent from the gate's confirmation (2 s in) until the music is back
        var live = new MusicAnalyzer(new SpectralFeatureMoodEstimator(), new MusicAnalyzerOptions(CollectResults: false));
        var states = new List<MoodState>();
        live.StateUpdated += states.Add;
        for (var pos = 0; pos < x.Length; pos += 512)
        {
            live.Push(x.AsSpan(pos, Math.Min(512, x.Length - pos)));
        }

        Assert.All(states.Where(s => s.TimeSeconds is > 22.1 and < 30), s => Assert.True(s.Silent && s.Label == "silence", $"{s}"));
        Assert.All(states.Where(s => s.TimeSeconds is < 21.9 or > 30.3), s => Assert.False(s.Silent, $"{s}"));
        Assert.All(states.Where(s => s.Silent), s => Assert.InRange(s.RegionStartSeconds, 19.9, 20.1));
    }

    [Fact]
    public void Ten_minutes_of_streamed_silence_are_silence_throughout_not_a_mood()
    {
        var analyzer = new MusicAnalyzer(new CountingMoodEstimator(), new MusicAnalyzerOptions(CollectResults: false));
        long states = 0, silent = 0;
        analyzer.StateUpdated += s =>
        {
            states++;
            silent += s.Silent && s.Label == "silence" && s.Arousal == -1 ? 1 : 0;
        };
        var block = new float[8192];
        // the gate holds no state that grows with time, so ten minutes stand for hours (`analyze` of two hours of
        // silence: docs/benchmarks.md)
        for (long pushed = 0; pushed < 600 * (long)Sr; pushed += block.Length)
        {
            analyzer.Push(block);
        }

        Assert.True(analyzer.Current!.Silent);
        var windows = 600.0 * Sr / 512 / MoodWindow.HopFrames;   // a state per mood window
        Assert.True(states > 0.97 * windows, $"{states} states, {windows:F0} windows");
        Assert.Equal(states, silent);
    }

    /// <summary>Pad 0–10 s, drive 10–20 s, a 10 s gap (silence at <paramref name="dbfs"/>), drive 30–45 s.</summary>
    private static float[] WithGap(double dbfs)
    {
        var x = new double[(int)(45 * Sr)];
        Scenes.Pad(x, 0, 10, 1);
        Scenes.Drive(x, 10, 20, 128, 2);
        Scenes.Drive(x, 30, 45, 128, 3);
        var gap = Noise(10, dbfs, seed: 4);
        for (var i = 0; i < gap.Length; i++)
        {
            x[(int)(20 * Sr) + i] = gap[i];
        }

        return Scenes.ToFloat(x);
    }

    /// <summary>White noise at an RMS of <paramref name="dbfs"/> (−∞: digital silence).</summary>
    private static float[] Noise(double seconds, double dbfs, int seed)
    {
        var x = new float[(int)(seconds * Sr)];
        if (double.IsNegativeInfinity(dbfs))
        {
            return x;
        }

        var random = new Random(seed);
        var amplitude = Math.Sqrt(3 * Ms(dbfs));   // uniform in ±a has mean square a²/3
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(amplitude * ((2 * random.NextDouble()) - 1));
        }

        return x;
    }
}
