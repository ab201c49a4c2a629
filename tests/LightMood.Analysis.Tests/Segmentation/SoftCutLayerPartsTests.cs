using LightMood.Analysis.Segmentation;

namespace LightMood.Analysis.Tests.Segmentation;

/// <summary>The parts split out of <see cref="SoftCutSegmenter"/>: the level dips a section boundary moves to, and the sustained-change run.</summary>
public sealed class SoftCutLayerPartsTests
{
    /// <summary>Frames at 0.1 s (split f at f·0.1 s), all at −20 dB except <paramref name="dipFrame"/> at <paramref name="dipDb"/>.</summary>
    private static LevelDips Levels(int capacity, int frames, int dipFrame, double dipDb)
    {
        var dips = new LevelDips(capacity, 0.1, 0);
        for (var f = 0; f < frames; f++)
        {
            dips.Add(f, f == dipFrame ? Math.Pow(10, dipDb / 10) : 1e-2);
        }

        return dips;
    }

    [Fact]
    public void A_step_near_a_deep_dip_moves_to_the_dip()
    {
        // 40 dB below the median level on both sides, 0.3 s before the step
        Assert.Equal(10.0, Levels(256, 200, 100, -60).AtDip(10.3, 200), 9);
    }

    [Fact]
    public void A_shallow_dip_or_one_out_of_reach_leaves_the_step_where_it_is()
    {
        Assert.Equal(10.3, Levels(256, 200, 100, -30).AtDip(10.3, 200), 9);  // 10 dB < DipDepthDb
        Assert.Equal(10.9, Levels(256, 200, 100, -60).AtDip(10.9, 200), 9);  // 0.9 s away > DipSearchSeconds
        Assert.Equal(10.3, Levels(64, 200, 100, -60).AtDip(10.3, 200), 9);   // its context has left the ring
    }

    [Fact]
    public void A_dip_counts_only_once_enough_has_been_heard_after_it()
    {
        // DipAfterFrames (10) after the dip: frames up to 107 are not enough, up to 111 are
        Assert.Equal(10.3, Levels(256, 108, 100, -60).AtDip(10.3, 108), 9);
        Assert.Equal(10.0, Levels(256, 112, 100, -60).AtDip(10.3, 112), 9);
    }

    [Fact]
    public void A_run_keeps_its_first_window_until_another_mood_or_a_reset_ends_it()
    {
        var run = new SustainedChange();
        Assert.Equal(0, run.Count);

        run.Add(Mood.Happy, 10, 13, 11.5);
        run.Add(Mood.Happy, 10.5, 13.5, 12);
        Assert.Equal(Mood.Happy, run.Challenger);
        Assert.Equal(2, run.Count);
        Assert.Equal(10, run.StartSeconds);
        Assert.Equal(13, run.EndSeconds);
        Assert.Equal(11.5, run.CentreSeconds);
        Assert.Equal(8.5, run.EarliestSeconds, 9); // half a window before the first window

        run.Add(Mood.Sad, 11, 14, 12.5);
        Assert.Equal(Mood.Sad, run.Challenger);
        Assert.Equal(1, run.Count);
        Assert.Equal(11, run.StartSeconds);

        run.Reset();
        Assert.Equal(0, run.Count);
        run.Add(Mood.Sad, 12, 15, 13.5);
        Assert.Equal(1, run.Count);
        Assert.Equal(12, run.StartSeconds);
    }
}
