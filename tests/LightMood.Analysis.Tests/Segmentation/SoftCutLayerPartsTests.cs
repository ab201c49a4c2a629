using LightMood.Analysis.Emotion;
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

    /// <summary>
    /// A stream of 8-band mel frames (±0.5 dB jitter) with a 30 dB step in half the bands at 10 s and a 6 dB step in all
    /// of them at 12.5 s, through a collecting segmenter; windows every 22 frames (128 long) whose embedding turns from
    /// one axis to the other across 12.5 s (a change of piece the estimator hears there, not at 10 s). The section starts.
    /// </summary>
    private static List<double> SectionStarts(SoftCutOptions options) =>
        SectionStarts(options, (t, b) => (t >= 10 && b < 4 ? 30 : 0) + (t >= 12.5 ? 6 : 0), 12.5);

    /// <summary>
    /// 8-band mel frames <paramref name="mel"/>(t, band) dB (±0.5 dB jitter), each frame's mean square
    /// <paramref name="meanSquare"/>(t) (−20 dB when null), through a collecting segmenter; windows every 22 frames (128
    /// long) whose embedding turns from one axis to the other across <paramref name="changeSeconds"/>; an energy
    /// contrast pointing at [From, To] heard at <paramref name="contrast"/>'s HeardAt when given. The section starts.
    /// </summary>
    private static List<double> SectionStarts(
        SoftCutOptions options, Func<double, int, double> mel, double changeSeconds, Func<double, double>? meanSquare = null, (double HeardAt, double From, double To)? contrast = null)
    {
        const double frameSeconds = 512.0 / 22050;
        var ring = new MelFrameRing(600, 8);
        var segmenter = new SoftCutSegmenter(ring, frameSeconds, frameSeconds / 2, options, collect: true);
        var random = new Random(7);
        var frame = new float[8];
        const int frames = 1000;   // 23.2 s
        for (var f = 0; f < frames; f++)
        {
            var t = f * frameSeconds;
            for (var b = 0; b < 8; b++)
            {
                frame[b] = (float)((random.NextDouble() - 0.5) + mel(t, b));
            }

            ring.Add(frame);
            if (contrast is { } c && t >= c.HeardAt && t - frameSeconds < c.HeardAt)
            {
                segmenter.AddCandidate(c.From, c.To, BoundaryEvidence.EnergyContrast);
            }

            segmenter.AddFrame(meanSquare?.Invoke(t) ?? 1e-2);
            var end = f + 1;
            if (end >= 128 && (end - 128) % 22 == 0)
            {
                var (start, stop) = ((end - 128) * frameSeconds, end * frameSeconds);
                var after = (float)Math.Clamp((stop - changeSeconds) / (stop - start), 0, 1);
                segmenter.AddEstimate(new MoodEstimate([0.25f, 0.25f, 0.25f, 0.25f], 0, 0, [1 - after, after]), start, stop);
            }
        }

        segmenter.Finish(frames * frameSeconds);
        return [.. segmenter.LabelOffline(frames * frameSeconds).Sections.Select(s => s.StartSeconds)];
    }

    [Fact]
    public void A_later_embedding_change_with_a_much_smaller_step_does_not_move_a_section_start_from_a_large_step()
    {
        // the large step at 10 s starts a section; the change heard at 12.5 s (6 dB, < MoveStepRatio 0.5 × 21 dB) is
        // within MinSectionSeconds of it and may not move it there
        var kept = SectionStarts(SoftCutOptions.Default);
        Assert.Equal(2, kept.Count);
        Assert.Equal(10.0, kept[1], 0.05);

        // without the step rule the embedding change moves the start to its own step
        var moved = SectionStarts(SoftCutOptions.Default with { MoveStepRatio = 0 });
        Assert.Equal(2, moved.Count);
        Assert.Equal(12.5, moved[1], 0.05);
    }

    [Fact]
    public void An_embedding_change_is_placed_at_the_step_that_also_separates_the_wider_context()
    {
        // the change of piece at 10 s: 12 dB in every band, for good; 0.6 s into the new piece a 0.2 s hit, 40 dB in half
        // the bands — a larger step D (over 16 frames each side) than the change's, a smaller one over 37 frames
        static double Mel(double t, int band) => (t >= 10 ? 12 : 0) + (t >= 10.6 && t < 10.8 && band < 4 ? 40 : 0);

        var placed = SectionStarts(SoftCutOptions.Default, Mel, 10);
        Assert.Equal(2, placed.Count);
        Assert.Equal(10.0, placed[1], 0.05);

        // placed at the largest step D instead, the embedding change moves the start to the hit
        var atLargest = SectionStarts(SoftCutOptions.Default with { WideStepFrames = 0 }, Mel, 10);
        Assert.Equal(2, atLargest.Count);
        Assert.Equal(10.6, atLargest[1], 0.05);
    }

    [Fact]
    public void A_section_start_at_a_fade_join_is_not_moved_by_a_later_embedding_change()
    {
        // a step in half the bands at 12 s where the level dips 40 dB for two frames (one piece fades out, the next in);
        // the estimator hears the change 1.5 s later, at a larger step in the other half of the bands
        static double Mel(double t, int band) => (t >= 12 && band < 4 ? 30 : 0) + (t >= 13.5 && band >= 4 ? 40 : 0);

        var atJoin = SectionStarts(SoftCutOptions.Default, Mel, 13.5, t => t >= 11.95 && t < 12 ? 1e-6 : 1e-2);
        Assert.Equal(2, atJoin.Count);
        Assert.Equal(11.97, atJoin[1], 0.05);   // the quiet point

        // the same step with no dip: the embedding change moves the start to its own step
        var noJoin = SectionStarts(SoftCutOptions.Default, Mel, 13.5);
        Assert.Equal(2, noJoin.Count);
        Assert.Equal(13.5, noJoin[1], 0.05);
    }

    [Fact]
    public void A_fade_join_moves_a_section_start_that_rests_on_a_step_alone_shortly_before_it()
    {
        // a step in half the bands at 10 s (the end of a piece), then at 12 s a step in the other half where the level dips
        // 40 dB for two frames (the join of a fade-out and a fade-in); no embedding change
        static double Mel(double t, int band) => (t >= 10 && band < 4 ? 30 : 0) + (t >= 12 && band >= 4 ? 30 : 0);

        // (over the ±0.5 dB jitter the step at 10 s is far above JoinKeepRatio × the mean step: that rule is off here, and
        // tested below)
        var options = SoftCutOptions.Default with { JoinKeepRatio = 0 };
        var toJoin = SectionStarts(options, Mel, 100, t => t >= 11.95 && t < 12 ? 1e-6 : 1e-2);
        Assert.Equal(2, toJoin.Count);
        Assert.Equal(11.97, toJoin[1], 0.05);

        // no dip: the second step is within MinSectionSeconds of the first and starts nothing
        var noJoin = SectionStarts(options, Mel, 100);
        Assert.Equal(2, noJoin.Count);
        Assert.Equal(10.0, noJoin[1], 0.05);
    }

    [Fact]
    public void A_fade_join_does_not_move_a_section_start_on_a_step_far_above_the_recent_mean()
    {
        // the signal above: a 30 dB step at 10 s over a ±0.5 dB jitter, then the join at 12 s. That step is many times the
        // recent mean step: the change itself (a cut), and the quiet point 2 s on the next piece's quiet start
        static double Mel(double t, int band) => (t >= 10 && band < 4 ? 30 : 0) + (t >= 12 && band >= 4 ? 30 : 0);
        static double Dip(double t) => t >= 11.95 && t < 12 ? 1e-6 : 1e-2;

        var kept = SectionStarts(SoftCutOptions.Default, Mel, 100, Dip);
        Assert.Equal(2, kept.Count);
        Assert.Equal(10.0, kept[1], 0.05);

        // asked for a far larger ratio than that step reaches, the join moves it as before
        var moved = SectionStarts(SoftCutOptions.Default with { JoinKeepRatio = 1000 }, Mel, 100, Dip);
        Assert.Equal(2, moved.Count);
        Assert.Equal(11.97, moved[1], 0.05);
    }

    [Fact]
    public void A_section_start_found_again_with_a_gap_between_pieces_just_after_it_moves_to_the_gap()
    {
        // one piece fades out from 9.8 s (all bands 30 dB down, the level 20 dB down: the spectrum steps there, and that
        // step starts a section at once), 50 ms of silence at 10.1 s, the next piece from 10.15 s (half the bands 10 dB
        // down); at 11 s an energy contrast pointing at 9.5–10 s finds that step again, the silence now heard
        static double Mel(double t, int band) => t >= 10.15 ? (band < 4 ? -10 : 0) : t >= 9.8 ? -30 : 0;
        static Func<double, double> Level(double gapDb) => t => t >= 10.1 && t < 10.15 ? Math.Pow(10, gapDb / 10) : t >= 9.8 && t < 10.1 ? 1e-4 : 1e-2;
        var contrast = (HeardAt: 11.0, From: 9.5, To: 10.0);

        // a gap 80 dB below both sides (the digital silence between two tracks): the start goes to it
        var atGap = SectionStarts(SoftCutOptions.Default, Mel, 100, Level(-100), contrast);
        Assert.Equal(2, atGap.Count);
        Assert.Equal(10.1, atGap[1], 0.05);

        // a dip only 25 dB below its sides (deep enough for a fade join, not a gap between pieces) leaves it at the step
        var atDip = SectionStarts(SoftCutOptions.Default, Mel, 100, Level(-45), contrast);
        Assert.Equal(2, atDip.Count);
        Assert.Equal(9.8, atDip[1], 0.05);

        // and without the contrast the step is never found again: the start stays where it was found
        var once = SectionStarts(SoftCutOptions.Default, Mel, 100, Level(-100));
        Assert.Equal(2, once.Count);
        Assert.Equal(9.8, once[1], 0.05);
    }

    [Fact]
    public void A_dip_reports_how_far_it_lies_below_the_quieter_side()
    {
        // −60 dB against −20 dB on both sides: 40 dB; no dip: the time unchanged and depth 0
        Assert.Equal(10.0, Levels(256, 200, 100, -60).AtDip(10.3, 200, out var depth), 9);
        Assert.Equal(40, depth, 3);
        Assert.Equal(10.3, Levels(256, 200, 100, -30).AtDip(10.3, 200, out depth), 9);
        Assert.Equal(0, depth);
    }
}
