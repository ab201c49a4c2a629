namespace LightMood.Analysis.Segmentation;

/// <summary>
/// What <see cref="MusicAnalyzer"/> keeps of a stream for its <see cref="AnalysisResult"/>: the tempo sampled every
/// <see cref="TempoSampleFrames"/> onset frames (always), and, when collecting (offline analysis), the beats, the live
/// regions and boundaries, replaced at the end by the offline ones with the sections and windows.
/// </summary>
/// <remarks>
/// The tempo samples are a fixed array (<see cref="TempoCapacity"/>, ≈ 34 min of audio; later samples are not kept):
/// sampling is allocation-free. The lists grow with the stream, only when collecting.
/// </remarks>
public sealed class AnalysisRecord
{
    /// <summary>Onset frames between tempo samples (hop 256 at 22 050 Hz: ≈ 0.5 s).</summary>
    public const int TempoSampleFrames = 43;

    /// <summary>Tempo samples kept for the median.</summary>
    public const int TempoCapacity = 4096;

    private readonly bool _collect;
    private readonly double[] _tempoSamples = new double[TempoCapacity];
    private readonly List<MoodRegion> _regions = [];
    private readonly List<SegmentBoundary> _boundaries = [];
    private readonly List<Beat> _beats = [];
    private int _tempoCount;
    private long _tempoSampleTick;
    private IReadOnlyList<MoodRegion>? _sections;
    private IReadOnlyList<PosteriorWindow>? _windows;

    /// <param name="collect">Keep beats, regions and boundaries (<see cref="MusicAnalyzerOptions.CollectResults"/>).</param>
    public AnalysisRecord(bool collect) => _collect = collect;

    /// <summary>Closed regions so far (when collecting): the live ones, after <see cref="TakeOffline"/> the offline ones.</summary>
    public IReadOnlyList<MoodRegion> Regions => _regions;

    /// <summary>Confirmed boundaries so far (when collecting).</summary>
    public IReadOnlyList<SegmentBoundary> Boundaries => _boundaries;

    /// <summary>Beats so far (when collecting).</summary>
    public IReadOnlyList<Beat> Beats => _beats;

    /// <summary>Keeps a beat (when collecting).</summary>
    public void Add(Beat beat)
    {
        if (_collect)
        {
            _beats.Add(beat);
        }
    }

    /// <summary>Keeps a confirmed boundary (when collecting).</summary>
    public void Add(SegmentBoundary boundary)
    {
        if (_collect)
        {
            _boundaries.Add(boundary);
        }
    }

    /// <summary>Keeps a closed region (when collecting).</summary>
    public void Add(MoodRegion region)
    {
        if (_collect)
        {
            _regions.Add(region);
        }
    }

    /// <summary>Call once per onset frame with the current tempo: every <see cref="TempoSampleFrames"/>th frame keeps it (when there is one).</summary>
    public void SampleTempo(double? tempoBpm)
    {
        if (++_tempoSampleTick % TempoSampleFrames == 0 && tempoBpm is { } bpm && _tempoCount < _tempoSamples.Length)
        {
            _tempoSamples[_tempoCount++] = bpm;
        }
    }

    /// <summary>The median of the tempo samples, or null when there was never a pulse at a sample.</summary>
    public double? MedianTempo()
    {
        if (_tempoCount == 0)
        {
            return null;
        }

        var sorted = _tempoSamples.AsSpan(0, _tempoCount).ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary>The offline answer replaces the live regions and boundaries, with the sections and the windows.</summary>
    public void TakeOffline(AnalysisLayers layers, IReadOnlyList<PosteriorWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _regions.Clear();
        _regions.AddRange(layers.Regions);
        _boundaries.Clear();
        _boundaries.AddRange(layers.Boundaries);
        _sections = layers.Sections;
        _windows = windows;
    }

    /// <summary>The result of a stream of <paramref name="durationSeconds"/> (copies of the lists).</summary>
    public AnalysisResult ToResult(double durationSeconds) =>
        new(durationSeconds, MedianTempo(), [.. _regions], [.. _boundaries], [.. _beats], _sections, _windows);
}
