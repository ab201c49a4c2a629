using LightMood.Analysis.Segmentation;

namespace LightMood.Analysis.Tests.Segmentation;

/// <summary><see cref="AnalysisRecord"/>: what the analyzer keeps for its result.</summary>
public sealed class AnalysisRecordTests
{
    private static readonly MoodRegion Live = new(0, 10, Mood.Calm, 0.8, 0.2, -0.5);
    private static readonly SegmentBoundary LiveBoundary = new(5, 6, Mood.Calm, Mood.Happy, BoundaryEvidence.SpectralNovelty, 3);

    [Fact]
    public void A_collecting_record_keeps_beats_regions_and_boundaries_a_live_one_only_the_tempo()
    {
        var offline = new AnalysisRecord(collect: true);
        var live = new AnalysisRecord(collect: false);
        foreach (var record in new[] { offline, live })
        {
            record.Add(new Beat(0.5, 120, 1));
            record.Add(LiveBoundary);
            record.Add(Live);
            for (var i = 0; i < AnalysisRecord.TempoSampleFrames; i++)
            {
                record.SampleTempo(120);
            }
        }

        Assert.Single(offline.Beats);
        Assert.Single(offline.Boundaries);
        Assert.Single(offline.Regions);
        Assert.Empty(live.Beats);
        Assert.Empty(live.Boundaries);
        Assert.Empty(live.Regions);
        Assert.Equal(120, live.ToResult(10).TempoBpm);
    }

    [Fact]
    public void The_tempo_is_sampled_every_43rd_onset_frame_and_its_median_reported()
    {
        var record = new AnalysisRecord(collect: false);
        Assert.Null(record.ToResult(1).TempoBpm);

        // samples at frames 43, 86, 129: 100, none (no pulse), 90; the other frames are not sampled
        double?[] sampled = [100, null, 90];
        for (var s = 0; s < sampled.Length; s++)
        {
            for (var i = 1; i < AnalysisRecord.TempoSampleFrames; i++)
            {
                record.SampleTempo(999);
            }

            record.SampleTempo(sampled[s]);
        }

        Assert.Equal(100, record.MedianTempo()); // of {90, 100}: the upper middle
        record.SampleTempo(80);
        Assert.Equal(100, record.MedianTempo());
    }

    [Fact]
    public void The_offline_layers_replace_the_live_regions_and_boundaries()
    {
        var record = new AnalysisRecord(collect: true);
        record.Add(Live);
        record.Add(LiveBoundary);
        record.Add(new Beat(0.5, 120, 1));
        MoodRegion[] regions = [new(0, 4, Mood.Sad, 0.7, -0.4, -0.6), new(4, 10, Mood.Tense, 0.6, -0.5, 0.7)];
        SegmentBoundary[] boundaries = [new(4, 4.5, Mood.Sad, Mood.Tense, BoundaryEvidence.EnergyContrast, 6)];
        PosteriorWindow[] windows = [new(0, 3, [0.1f, 0.2f, 0.3f, 0.4f], 0, 0)];

        record.TakeOffline(new AnalysisLayers(regions, regions, boundaries), windows);
        var result = record.ToResult(10);

        Assert.Equal(10, result.DurationSeconds);
        Assert.Equal(regions, result.Regions);
        Assert.Equal(boundaries, result.Boundaries);
        Assert.Equal(regions, result.Sections);
        Assert.Same(windows, result.Windows);
        Assert.Single(result.Beats);
        Assert.NotSame(record.Regions, result.Regions); // the result holds copies
    }
}
