using LightMood.Analysis.Segmentation;

namespace LightMood.Analysis.Tests.Segmentation;

/// <summary>The soft cut's parts one by one: candidate confirmation, the region accumulator, the embedding change, the offline labelling.</summary>
public sealed class SoftCutPartsTests
{
    /// <summary>Splits 0..n−1 at 0.1 s each (split f at f·0.1 s): a flat curve of 1 dB with the given steps.</summary>
    private static NoveltyCurve Flat(int n, params (int Split, float Value)[] steps)
    {
        var curve = new NoveltyCurve(512, 0.1, 0);
        for (var f = 0; f < n; f++)
        {
            var v = 1f;
            foreach (var (split, value) in steps)
            {
                if (split == f)
                {
                    v = value;
                }
            }

            curve.Add(f, v);
        }

        return curve;
    }

    [Fact]
    public void A_candidate_waits_for_its_span_then_is_confirmed_at_the_step_when_the_step_is_large_enough()
    {
        var confirmation = new CandidateConfirmation(4, peakRadius: 3, minStepDb: 1, stepRatio: 2.5);
        confirmation.Add(2.0, 3.0, BoundaryEvidence.EnergyContrast);
        Assert.False(confirmation.TryResolve(Flat(30, (25, 8f)), out _, out _)); // splits up to 29: 30 + 3 not yet heard
        Assert.Equal(1, confirmation.Pending);

        Assert.True(confirmation.TryResolve(Flat(40, (25, 8f)), out var outcome, out var confirmed));
        Assert.True(confirmed);
        Assert.Equal(2.5, outcome.TimeSeconds, 9);
        Assert.Equal(8, outcome.StepDb, 9);
        Assert.Equal(BoundaryEvidence.EnergyContrast, outcome.Source);
        Assert.Equal(0, confirmation.Pending);
        Assert.False(confirmation.TryResolve(Flat(40), out _, out _));
    }

    [Fact]
    public void A_small_step_a_flank_or_no_peak_drops_the_candidate()
    {
        var confirmation = new CandidateConfirmation(4, 3, 1, 2.5);
        confirmation.Add(2.0, 3.0, BoundaryEvidence.TempoContrast);
        Assert.True(confirmation.TryResolve(Flat(60, (25, 2f)), out _, out var confirmed)); // 2 < 2.5 × mean ≈ 1
        Assert.False(confirmed);

        confirmation.Add(2.0, 3.0, BoundaryEvidence.TempoContrast);
        // the span's maximum at 30 is the flank of a larger step at 32, outside it
        Assert.True(confirmation.TryResolve(Flat(60, (30, 6f), (31, 7f), (32, 9f)), out _, out confirmed));
        Assert.False(confirmed);
    }

    [Fact]
    public void When_full_the_oldest_candidate_gives_way()
    {
        var confirmation = new CandidateConfirmation(2, 3, 1, 2.5);
        confirmation.Add(1, 1.5, BoundaryEvidence.EnergyContrast);
        confirmation.Add(2, 2.5, BoundaryEvidence.EnergyContrast);
        confirmation.Add(3, 3.5, BoundaryEvidence.TempoContrast);
        Assert.Equal(2, confirmation.Pending);
        Assert.True(confirmation.TryResolve(Flat(60, (22, 9f), (32, 9f)), out var first, out _));
        Assert.Equal(2.2, first.TimeSeconds, 9);     // the one at 1–1.5 s was dropped
        Assert.Throws<ArgumentException>(() => confirmation.Add(3, 2, BoundaryEvidence.EnergyContrast));
    }

    [Fact]
    public void The_accumulator_gives_the_mean_posterior_and_takes_windows_out_and_over()
    {
        var history = new WindowHistory(8);
        var region = new RegionAccumulator();
        float[][] posteriors = [[0.7f, 0.1f, 0.1f, 0.1f], [0.6f, 0.2f, 0.1f, 0.1f], [0.1f, 0.1f, 0.7f, 0.1f], [0.1f, 0.1f, 0.8f, 0f]];
        for (var i = 0; i < posteriors.Length; i++)
        {
            history.Add(i + 1.5, posteriors[i], i, -i);
            region.Add(posteriors[i], i, -i);
        }

        Assert.Equal(4, region.Windows);
        Assert.Equal(Mood.Sad, region.Label);               // 1.7 against 1.5
        Assert.Equal(0.425, region.Mean(Mood.Sad), 6);
        Assert.Equal(1.5, region.MeanValence, 9);

        // the windows centred at or after 3.5 s (the last two) leave for a new region
        var moved = new double[4];
        var count = history.SumSince(3.5, moved, out var valence, out var arousal);
        Assert.Equal(2, count);
        Assert.Equal(1.5, moved[2], 6);
        region.Remove(moved, valence, arousal, count);
        Assert.Equal(Mood.Happy, region.Label);
        Assert.Equal(0.65, region.Mean(Mood.Happy), 6);
        var next = new RegionAccumulator();
        next.Reset(moved, valence, arousal, count);
        Assert.Equal(Mood.Sad, next.Label);
        Assert.Equal(0.75, next.Mean(Mood.Sad), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => region.Remove(moved, 0, 0, 3));
        Assert.Throws<ArgumentException>(() => region.Add([0.5f, 0.5f], 0, 0));
    }

    [Fact]
    public void The_embedding_change_peaks_at_the_pair_whose_gap_holds_the_change_reported_a_window_late()
    {
        var novelty = new EmbeddingNovelty();
        const double hop = 0.5, length = 3.0;
        var peaks = new List<(int Window, double Distance, double GapStart, double GapEnd)>();
        for (var w = 0; w < 30; w++)
        {
            // a window's embedding turns from A to B as the change at 10 s enters it, weighted by how much of it is after
            var start = w * hop;
            var after = Math.Clamp((start + length - 10) / length, 0, 1);
            float[] e = [(float)(1 - after), (float)after, 0.1f];
            if (novelty.Add(e, start, start + length, out var d, out var g0, out var g1))
            {
                peaks.Add((w, d, g0, g1));
            }
        }

        var peak = Assert.Single(peaks, p => p.Distance > 0.3);
        Assert.InRange(10.0, peak.GapStart - 0.5, peak.GapEnd + 0.5);
        Assert.True(peak.GapEnd > peak.GapStart, "the later window starts after the earlier one ends");
        Assert.Equal(0, EmbeddingNovelty.CosineDistance([1, 2, 3], [2, 4, 6]), 9);
        Assert.Equal(1, EmbeddingNovelty.CosineDistance([1, 0], [0, 1]), 9);
        Assert.Throws<ArgumentException>(() => novelty.Add([], 0, 1, out _, out _, out _));
    }

    private static PosteriorWindow Window(double start, Mood mood, float p = 0.8f)
    {
        var probabilities = new float[4];
        Array.Fill(probabilities, (1 - p) / 3);
        probabilities[(int)mood] = p;
        return new PosteriorWindow(start, start + 3, probabilities, mood.ValenceSign() * 0.5f, mood.ArousalSign() * 0.5f);
    }

    [Fact]
    public void Offline_each_section_is_labelled_by_all_its_windows_and_same_label_neighbours_merge()
    {
        // windows every 0.5 s over 0–30 s: calm until 10 s, then happy; the first window after the change (8–11 s, mostly calm) is wrong
        var windows = Enumerable.Range(0, 55).Select(i => i * 0.5).Select(s => Window(s, s + 3 <= 10.5 ? Mood.Calm : Mood.Happy)).ToList();
        SectionBoundary[] starts =
        [
            new(0, 0, BoundaryEvidence.EnergyContrast, 0),
            new(5, 5.4, BoundaryEvidence.SpectralNovelty, 9),      // a new section of the calm part
            new(10, 10.4, BoundaryEvidence.EmbeddingChange, 20),
            new(20, 20.4, BoundaryEvidence.TempoContrast, 8),
        ];
        var layers = SectionLabelling.Label(starts, windows, 30, [double.NaN, double.NaN, 11.9, double.NaN]);

        Assert.Equal([Mood.Calm, Mood.Calm, Mood.Happy, Mood.Happy], layers.Sections.Select(s => s.Mood));
        Assert.Equal([0, 5, 10, 20], layers.Sections.Select(s => s.StartSeconds));
        Assert.Equal(30, layers.Sections[^1].EndSeconds);
        var regions = layers.Regions;
        Assert.Equal(2, regions.Count);
        Assert.Equal((0, 10, Mood.Calm), (regions[0].StartSeconds, regions[0].EndSeconds, regions[0].Mood));
        Assert.Equal((10, 30, Mood.Happy), (regions[1].StartSeconds, regions[1].EndSeconds, regions[1].Mood));
        Assert.Equal(0.8, regions[1].Confidence, 5);
        var boundary = Assert.Single(layers.Boundaries);
        Assert.Equal((10, Mood.Calm, Mood.Happy, BoundaryEvidence.EmbeddingChange), (boundary.TimeSeconds, boundary.From, boundary.To, boundary.Evidence));
        Assert.Equal(11.9, boundary.ConfirmedAtSeconds);   // when the live layer confirmed it
    }

    [Fact]
    public void A_short_section_falls_back_to_the_windows_centred_in_it_and_silence_is_never_a_mood()
    {
        var windows = Enumerable.Range(0, 10).Select(i => Window(i * 0.5, i < 6 ? Mood.Sad : Mood.Tense)).ToList();
        SectionBoundary[] starts =
        [
            new(0, 0, BoundaryEvidence.EnergyContrast, 0),
            new(4.4, 5, BoundaryEvidence.SpectralNovelty, 9),     // 4.4–6: no window wholly inside, two centred in it
            new(6, 8.1, BoundaryEvidence.Silence, 0, Silent: true),
        ];
        var layers = SectionLabelling.Label(starts, windows, 9);
        Assert.Equal(Mood.Tense, layers.Sections[1].Mood);
        Assert.True(layers.Sections[2].Silent);
        Assert.Equal("silence", layers.Regions[^1].Label);
        Assert.Equal(Mood.Tense, layers.Regions[^1].Mood);       // repeats the mood heard before it
        Assert.True(layers.Boundaries[^1].ToSilence);
        Assert.Equal(8.1, layers.Boundaries[^1].ConfirmedAtSeconds); // a silence edge: when the gate found it
        // a boundary the live layer never confirmed is dated when the later section's windows were all heard
        Assert.True(layers.Boundaries[0].ConfirmedAtSeconds >= 5);

        Assert.Throws<ArgumentException>(() => SectionLabelling.Label([new(1, 1, BoundaryEvidence.EnergyContrast, 0)], windows, 9));
        Assert.Throws<ArgumentException>(() => SectionLabelling.Label([starts[0], starts[2], starts[1]], windows, 9));
    }

    [Fact]
    public void A_section_labelled_apart_from_its_neighbours_on_weak_evidence_merges_and_a_strong_change_stays()
    {
        // windows every 0.5 s over 0–30 s: calm, except 8–14 s where they lean to happy (0.4 against 0.2 each), then sad from 20 s
        var windows = Enumerable.Range(0, 55).Select(i => i * 0.5).Select(s => (s + 1.5) switch
        {
            >= 20 => Window(s, Mood.Sad),
            >= 9.5 and < 12.5 => Window(s, Mood.Happy, 0.4f),
            _ => Window(s, Mood.Calm),
        }).ToList();
        SectionBoundary[] starts =
        [
            new(0, 0, BoundaryEvidence.EnergyContrast, 0),
            new(8, 8.4, BoundaryEvidence.SpectralNovelty, 9),
            new(14, 14.4, BoundaryEvidence.SpectralNovelty, 9),
            new(20, 20.4, BoundaryEvidence.EmbeddingChange, 20),
        ];

        var apart = SectionLabelling.Label(starts, windows, 30);   // no evidence asked: every change of label is a boundary
        Assert.Equal([Mood.Calm, Mood.Happy, Mood.Calm, Mood.Sad], apart.Regions.Select(r => r.Mood));

        // the happy lean: G = 7 windows × ln(0.4 / 0.2) ≈ 4.9 nats < 10; the change to sad: ≈ 20 × ln(0.8 / 0.067) ≫ 10
        var merged = SectionLabelling.Label(starts, windows, 30, regionEvidence: 10);
        Assert.Equal([Mood.Calm, Mood.Calm, Mood.Calm, Mood.Sad], merged.Sections.Select(s => s.Mood));
        Assert.Equal([0, 8, 14, 20], merged.Sections.Select(s => s.StartSeconds));   // the sections stay
        Assert.Equal([(0.0, 20.0, Mood.Calm), (20.0, 30.0, Mood.Sad)], merged.Regions.Select(r => (r.StartSeconds, r.EndSeconds, r.Mood)));
        var boundary = Assert.Single(merged.Boundaries);
        Assert.Equal((20, Mood.Calm, Mood.Sad), (boundary.TimeSeconds, boundary.From, boundary.To));
        Assert.Single(SectionLabelling.Label(starts, windows, 30, regionEvidence: 1000).Regions);   // asked for more than any change gives
    }

    [Fact]
    public void A_weak_change_of_label_at_a_change_of_piece_stays_and_the_same_change_inside_a_piece_merges()
    {
        // calm until 20 s, then windows leaning to sad (0.35 against 0.22 each): G = 15 windows × ln(0.35 / 0.22) ≈ 7 nats < 10
        var windows = Enumerable.Range(0, 55).Select(i => i * 0.5).Select(s => s + 1.5 >= 20 ? Window(s, Mood.Sad, 0.35f) : Window(s, Mood.Calm)).ToList();
        SectionBoundary[] Starts(double distance) =>
        [
            new(0, 0, BoundaryEvidence.EnergyContrast, 0),
            new(20, 20.4, BoundaryEvidence.SpectralNovelty, 12, EmbeddingDistance: distance),
        ];
        var piece = new PieceChange(Distance: 0.7, Evidence: 2);

        // the estimator heard another piece there (cosine distance 1.1): 7 nats ≥ 2, the change stays
        var kept = SectionLabelling.Label(Starts(1.1), windows, 30, regionEvidence: 10, piece: piece);
        Assert.Equal([Mood.Calm, Mood.Sad], kept.Regions.Select(r => r.Mood));
        Assert.Equal(20, Assert.Single(kept.Boundaries).TimeSeconds);

        // a step inside one piece (distance 0.3 < 0.7): 7 nats < 10, one region
        var merged = SectionLabelling.Label(Starts(0.3), windows, 30, regionEvidence: 10, piece: piece);
        Assert.Equal(Mood.Calm, Assert.Single(merged.Regions).Mood);
        Assert.Equal([Mood.Calm, Mood.Calm], merged.Sections.Select(s => s.Mood));
        Assert.Empty(merged.Boundaries);
    }

    [Fact]
    public void A_change_of_label_between_regions_that_sound_like_one_piece_needs_the_same_piece_evidence()
    {
        // calm until 20 s, then windows leaning to sad (0.5 against 0.17 each): G = 15 windows × ln(0.5 / 0.167) ≈ 16.5 nats,
        // over RegionEvidence 10 and under SamePiece's 40; the start at 20 s heard a local embedding change of 1.1 (a change of piece)
        float[] before = [1f, 0.1f, 0f], after = [0.1f, 1f, 0f];
        List<PosteriorWindow> Windows(bool onePiece) => [.. Enumerable.Range(0, 55).Select(i => i * 0.5).Select(s =>
        {
            var w = s + 1.5 >= 20 ? Window(s, Mood.Sad, 0.5f) : Window(s, Mood.Calm);
            return w with { Embedding = onePiece ? [1f, 0.1f, 0.02f * ((int)(s * 2) % 3)] : s + 1.5 >= 20 ? after : before };
        })];
        SectionBoundary[] starts =
        [
            new(0, 0, BoundaryEvidence.EnergyContrast, 0),
            new(20, 20.4, BoundaryEvidence.EmbeddingChange, 12, EmbeddingDistance: 1.1),
        ];
        var piece = new PieceChange(Distance: 0.7, Evidence: 2, Seconds: 8);
        var same = new SamePiece(Distance: 0.5, Evidence: 40, Seconds: 8);

        // the regions, and the 8 s either side of 20 s, have one mean embedding: 16.5 nats < 40, one region
        var merged = SectionLabelling.Label(starts, Windows(onePiece: true), 30, regionEvidence: 10, piece: piece, samePiece: same);
        Assert.Equal(Mood.Calm, Assert.Single(merged.Regions).Mood);
        Assert.Empty(merged.Boundaries);

        // another piece after 20 s (mean embeddings 0.8 apart): the change stays
        var kept = SectionLabelling.Label(starts, Windows(onePiece: false), 30, regionEvidence: 10, piece: piece, samePiece: same);
        Assert.Equal([Mood.Calm, Mood.Sad], kept.Regions.Select(r => r.Mood));
        Assert.Equal(20, Assert.Single(kept.Boundaries).TimeSeconds);

        // without embeddings (an estimator that has none) the prior is never asked; without the prior the change stays
        Assert.Equal([Mood.Calm, Mood.Sad], SectionLabelling.Label(starts, [.. Windows(true).Select(w => w with { Embedding = null })], 30, regionEvidence: 10, piece: piece, samePiece: same).Regions.Select(r => r.Mood));
        Assert.Equal([Mood.Calm, Mood.Sad], SectionLabelling.Label(starts, Windows(onePiece: true), 30, regionEvidence: 10, piece: piece).Regions.Select(r => r.Mood));
    }

    [Fact]
    public void A_smaller_change_of_piece_heard_soon_after_a_larger_one_is_read_as_inside_the_new_piece()
    {
        // calm until 20 s (a change of piece heard there, distance 1.1), then windows leaning to sad from 20 s and to happy from
        // 25 s (0.3 against 0.23 each): the change at 25 s has ≈ 25 windows × ln(0.3 / 0.23) ≈ 6 nats, under RegionEvidence 10, over
        // PieceEvidence 2
        var windows = Enumerable.Range(0, 75).Select(i => i * 0.5).Select(s => (s + 1.5) switch
        {
            >= 25 => Window(s, Mood.Happy, 0.3f),
            >= 20 => Window(s, Mood.Sad),
            _ => Window(s, Mood.Calm),
        }).ToList();
        SectionBoundary[] Starts(double distance) =>
        [
            new(0, 0, BoundaryEvidence.EnergyContrast, 0),
            new(20, 20.4, BoundaryEvidence.SpectralNovelty, 20, EmbeddingDistance: 1.1),
            new(25, 25.4, BoundaryEvidence.EmbeddingChange, 12, EmbeddingDistance: distance),
        ];

        // the embedding hears 0.8 at 25 s, 5 s after the 1.1 at 20 s: within PieceSeconds 8 it is not a change of piece, and merges
        var piece = new PieceChange(Distance: 0.7, Evidence: 2, Seconds: 8);
        Assert.True(piece.IsChangeAt(Starts(0.8), 1));
        Assert.False(piece.IsChangeAt(Starts(0.8), 2));
        var merged = SectionLabelling.Label(Starts(0.8), windows, 40, regionEvidence: 10, piece: piece);
        Assert.Equal([Mood.Calm, Mood.Sad], merged.Regions.Select(r => r.Mood));
        Assert.Equal(20, Assert.Single(merged.Boundaries).TimeSeconds);

        // a larger one than at 20 s (1.3) is a change of piece, and so is 0.8 with no window asked (Seconds 0): both stay
        Assert.True(piece.IsChangeAt(Starts(1.3), 2));
        Assert.Equal([Mood.Calm, Mood.Sad, Mood.Happy], SectionLabelling.Label(Starts(1.3), windows, 40, regionEvidence: 10, piece: piece).Regions.Select(r => r.Mood));
        Assert.Equal([Mood.Calm, Mood.Sad, Mood.Happy], SectionLabelling.Label(Starts(0.8), windows, 40, regionEvidence: 10, piece: piece with { Seconds = 0 }).Regions.Select(r => r.Mood));

        // the larger change 8 s or more before no longer counts: the later start is a change of piece again
        SectionBoundary[] later = [Starts(0.8)[0], Starts(0.8)[1], Starts(0.8)[2] with { TimeSeconds = 28 }];
        Assert.True(piece.IsChangeAt(later, 2));
    }

    [Fact]
    public void A_run_of_sections_is_labelled_from_all_the_windows_of_its_span()
    {
        // two sections whose own windows (wholly inside each) lean calm (0.3 against 0.23), while the five windows lying
        // across their edge at 10 s are sad (0.95): the run's span, as one region, is sad
        var windows = Enumerable.Range(0, 35).Select(i => i * 0.5).Select(s => s is > 7 and < 10 ? Window(s, Mood.Sad, 0.95f) : Window(s, Mood.Calm, 0.3f)).ToList();
        SectionBoundary[] starts =
        [
            new(0, 0, BoundaryEvidence.EnergyContrast, 0),
            new(10, 10.4, BoundaryEvidence.SpectralNovelty, 9),
        ];

        var apart = SectionLabelling.Label(starts, windows, 20);   // no merging asked: each section by its own windows
        Assert.Equal([Mood.Calm, Mood.Calm], apart.Sections.Select(s => s.Mood));

        var layers = SectionLabelling.Label(starts, windows, 20, regionEvidence: 10);
        Assert.Equal([Mood.Sad, Mood.Sad], layers.Sections.Select(s => s.Mood));
        var region = Assert.Single(layers.Regions);
        Assert.Equal((0, 20, Mood.Sad), (region.StartSeconds, region.EndSeconds, region.Mood));
    }
}
