namespace LightMood.Analysis.Segmentation;

/// <summary>The analysis of a whole stream or file.</summary>
/// <param name="DurationSeconds">Length of the audio.</param>
/// <param name="TempoBpm">Median of the tempo estimates, or null when there was never a pulse (silence).</param>
/// <param name="Regions">Contiguous regions covering [0, DurationSeconds].</param>
/// <param name="Boundaries">The inner region edges, with when and why each was confirmed.</param>
/// <param name="Beats">Every beat emitted.</param>
/// <param name="Sections">Contiguous sections covering [0, DurationSeconds] (structural segments, each labelled from all its
/// windows); every region edge is a section edge. Null only for results made without sections (then the regions stand in).</param>
/// <param name="Windows">Every mood window of the music (offline analysis), for evaluation.</param>
public sealed record AnalysisResult(
    double DurationSeconds,
    double? TempoBpm,
    IReadOnlyList<MoodRegion> Regions,
    IReadOnlyList<SegmentBoundary> Boundaries,
    IReadOnlyList<Beat> Beats,
    IReadOnlyList<MoodRegion>? Sections = null,
    IReadOnlyList<PosteriorWindow>? Windows = null)
{
    /// <summary>The sections, or the regions when there are none (a region is then one section).</summary>
    public IReadOnlyList<MoodRegion> SectionsOrRegions => Sections ?? Regions;

    /// <summary>Boundary times in seconds (the JSON contract's <c>boundaries_s</c>).</summary>
    public IReadOnlyList<double> BoundariesSeconds => [.. Boundaries.Select(b => b.TimeSeconds)];
}
