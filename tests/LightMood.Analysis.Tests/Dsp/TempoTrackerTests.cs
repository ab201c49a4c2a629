using LightMood.Analysis.Dsp;

namespace LightMood.Analysis.Tests.Dsp;

public sealed class TempoTrackerTests
{
    private const double Sr = AnalysisFormat.SampleRate;

    [Theory]
    [InlineData(80)]
    [InlineData(97)]
    [InlineData(120)]
    [InlineData(128)]
    [InlineData(140)]
    [InlineData(160)]
    public void Kick_track_tempo_within_two_percent_and_beats_on_the_kicks(double bpm)
    {
        var x = TestSignals.KickTrack(bpm, 16, firstBeat: 0.3);
        var (tempi, beats) = Track(x);
        var final = tempi[^1];
        Assert.NotNull(final);
        Assert.InRange(final!.Value, bpm * 0.98, bpm * 1.02);

        // after the first estimate, every beat lies on a kick (within 25 ms) and none is skipped or doubled
        var period = 60 / bpm;
        var late = beats.Where(b => b > 8).ToList();
        Assert.NotEmpty(late);
        foreach (var b in late)
        {
            var k = Math.Round((b - 0.3) / period);
            Assert.True(Math.Abs(b - (0.3 + (k * period))) < 0.025, $"beat at {b:F3} s is off the kicks of {bpm} BPM");
        }

        for (var i = 1; i < late.Count; i++)
        {
            Assert.True(late[i] - late[i - 1] > period * 0.8 && late[i] - late[i - 1] < period * 1.2, string.Join(" ", late.Select(v => v.ToString("F3"))));
        }
    }

    [Fact]
    public void Silence_gives_no_tempo_and_no_beats()
    {
        var (tempi, beats) = Track(new float[(int)(10 * Sr)]);
        Assert.All(tempi, t => Assert.Null(t));
        Assert.Empty(beats);
    }

    [Fact]
    public void Beats_stop_when_the_music_stops()
    {
        var x = new float[(int)(20 * Sr)];
        TestSignals.KickTrack(120, 10, 0.1).CopyTo(x, 0);
        var (tempi, beats) = Track(x);
        Assert.Null(tempi[^1]);
        Assert.DoesNotContain(beats, b => b > 14);
    }

    [Fact]
    public void Relocks_within_four_seconds_after_a_tempo_change()
    {
        var x = new double[(int)(24 * Sr)];
        TestSignals.AddKicks(x, 100, 0.1, (int)(12 * Sr));
        TestSignals.AddKicks(x, 140, 12.0, x.Length);
        var (tempi, _) = Track(Array.ConvertAll(x, v => (float)v));
        var framesPerSecond = Sr / 256;
        var at = (int)(16 * framesPerSecond);
        for (var u = at; u < tempi.Count; u++)
        {
            Assert.NotNull(tempi[u]);
            Assert.InRange(tempi[u]!.Value, 140 * 0.98, 140 * 1.02);
        }
    }

    [Theory]
    [InlineData(517, 262)]
    [InlineData(30, 30)]
    [InlineData(9, 3)]
    public void Autocorrelation_is_the_plain_sum_to_the_last_bit(int length, int lags)
    {
        var random = new Random(17);
        var x = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.4).ToArray();
        var acf = new double[lags];
        TempoTracker.Autocorrelation(x, acf);
        for (var lag = 0; lag < lags; lag++)
        {
            var sum = 0.0;
            for (var t = 0; t + lag < length; t++)
            {
                sum += x[t] * x[t + lag];
            }

            Assert.Equal(sum / (length - lag), acf[lag]);
        }

        Assert.Throws<ArgumentException>(() => TempoTracker.Autocorrelation(x.AsSpan(0, 2), acf));
    }

    [Fact]
    public void Tracking_allocates_nothing()
    {
        var x = TestSignals.KickTrack(120, 12);
        var detector = new WaveletOnsetDetector();
        var odf = new float[detector.FrameCount(x.Length)];
        detector.Compute(x, odf);
        var tracker = new TempoTracker(Sr / 256);
        for (var u = 0; u < odf.Length / 2; u++)
        {
            tracker.Push(odf[u], out _, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var u = odf.Length / 2; u < odf.Length; u++)
        {
            tracker.Push(odf[u], out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotNull(tracker.TempoBpm);
    }

    private static (List<double?> Tempi, List<double> Beats) Track(float[] x)
    {
        var detector = new WaveletOnsetDetector();
        var odf = new float[detector.FrameCount(x.Length)];
        detector.Compute(x, odf);
        var tracker = new TempoTracker(Sr / detector.HopLength);
        var tempi = new List<double?>();
        var beats = new List<double>();
        foreach (var o in odf)
        {
            if (tracker.Push(o, out var frame, out _))
            {
                beats.Add(detector.OnsetSample(frame) / Sr);
            }

            tempi.Add(tracker.TempoBpm);
        }

        return (tempi, beats);
    }
}
