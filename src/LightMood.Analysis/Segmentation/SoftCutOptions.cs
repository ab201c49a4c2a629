namespace LightMood.Analysis.Segmentation;

/// <summary>Settings of the soft cut (<see cref="SoftCutSegmenter"/>).</summary>
/// <param name="MinRegionSeconds">No region shorter than this (a boundary this close to the last one is ignored).</param>
/// <param name="Margin">Hysteresis: a challenger mood must beat the region's mood by this much posterior probability.</param>
/// <param name="ChangeThreshold">Live: a new section's first windows change the mood when their mean posterior moved this far (total-variation distance) from the region's mean before the section, towards another mood.</param>
/// <param name="SustainWindows">Disagreeing windows in a row that confirm a change without a contrast jump.</param>
/// <param name="NoveltyFrames">Frames on each side of the spectral step (novelty) that refines boundaries to a frame.</param>
/// <param name="MinNovelty">Spectral step (dB) below which a candidate is dropped and a sustained change is placed by the posterior.</param>
/// <param name="StepRatio">A candidate's spectral step must be this many times the recent mean step.</param>
/// <param name="Silence">The silence gate's level and durations (null: <see cref="SilenceGateOptions.Default"/>).</param>
/// <param name="MinSectionSeconds">No section shorter than this (a structural boundary this close to the last one is ignored); it caps the sections at 60 / this per minute.</param>
/// <param name="NoveltyRatio">A spectral step with no contrast jump starts a section when it is this many times the recent mean step.</param>
/// <param name="TonalRatio">A tonal (chroma) step this many times its recent mean starts a section when the spectral step there is at least <paramref name="TonalStepRatio"/> times its mean.</param>
/// <param name="TonalStepRatio">The spectral step a tonal change needs beside it (times the recent mean step).</param>
/// <param name="MinHoldSeconds">Live: a mood is held at least this long (stream time between two mood changes) before the section labels may change it again.</param>
/// <param name="EmbeddingChange">A section starts where the estimator's embedding (its posterior when it has none) of a window and of the window the embedding pair spacing (<see cref="EmbeddingNovelty.GapWindowsFor"/>) later, wholly after it, differ by at least this cosine distance (a local maximum), at the largest spectral step between them.</param>
/// <param name="LiveLeadSeconds">Live: windows centred up to this long before a section's start count towards its label (they hold mostly its audio).</param>
/// <param name="RegionEvidence">Offline: the log-likelihood gain (nats, summed over the windows) of two labels over one that two adjacent regions need to stay apart (<see cref="SectionLabelling.MergeWeakRegions"/>); 0: every change of section label is a region boundary.</param>
/// <param name="MoveStepRatio">An embedding change moves the current section's start (closer than MinSectionSeconds after it) only when its spectral step is at least this fraction of the step at that start, and its distance exceeds any embedding change already heard at that start.</param>
/// <param name="ProvisionalSeconds">Live: this long after a section starts, its first seconds tiled into one window give a provisional label (a mood boundary at once when it beats the live mood by Margin); 0: off. Offline (collecting) analysis never uses it.</param>
/// <param name="WideStepFrames">An embedding change is placed at the peak of the spectral step, between its pair's windows, whose step over this many frames each side (0.86 s) is largest: a change of piece or part separates a longer context too, a hit or fill inside one piece does not; 0: at the largest spectral step.</param>
/// <param name="PieceDistance">Offline: a section start where an embedding change of at least this cosine distance was heard is a change of piece…</param>
/// <param name="PieceEvidence">…and a change of label there needs only this much evidence (nats) to stay a region boundary (at most RegionEvidence; <see cref="SectionLabelling.MergeWeakRegions"/>).</param>
/// <param name="ProvisionalStepSeconds">Live: the provisional label is asked again this often as the section grows (its longer start tiled), until a window's worth of it has been asked or the section is a mood boundary; 0: once only.</param>
/// <param name="PieceSeconds">Offline: a start heard as a change of piece (PieceDistance) counts as one only when no start in the PieceSeconds before it heard a larger embedding change (a smaller one soon after is inside the new piece); 0: every such start.</param>
/// <param name="JoinKeepRatio">A fade join does not move the current section's start when the step at that start is at least this many times the recent mean step (a step that large is the change itself; the quiet point after it, the next piece's quiet start); 0: off.</param>
/// <param name="SamePieceDistance">Offline: two adjacent regions sound like one piece when the mean embeddings of their windows, and of their windows in the SamePieceSeconds either side of the edge, are both within this cosine distance…</param>
/// <param name="SamePieceEvidence">…and a change of label between them then needs this much evidence (nats; at least RegionEvidence, whatever embedding change was heard at the edge: <see cref="SamePiece"/>); 0: off.</param>
/// <param name="SamePieceSeconds">Offline: how far either side of a region edge the second same-piece comparison reaches.</param>
public sealed record SoftCutOptions(
    double MinRegionSeconds = 4.0,
    double Margin = 0.15,
    double ChangeThreshold = 0.25,
    int SustainWindows = 10,
    int NoveltyFrames = 16,
    double MinNovelty = 1.0,
    double StepRatio = 2.5,
    SilenceGateOptions? Silence = null,
    double MinSectionSeconds = 4.0,
    double NoveltyRatio = 3.5,
    double TonalRatio = 3.0,
    double TonalStepRatio = 1.8,
    double MinHoldSeconds = 4.0,
    double LiveLeadSeconds = 0.0,
    double EmbeddingChange = 0.3,
    double RegionEvidence = 20.0,
    double MoveStepRatio = 0.5,
    double ProvisionalSeconds = 1.0,
    int WideStepFrames = 37,
    double PieceDistance = 0.7,
    double PieceEvidence = 2.0,
    double ProvisionalStepSeconds = 0.5,
    double PieceSeconds = 8.0,
    double JoinKeepRatio = 7.0,
    double SamePieceDistance = 0.5,
    double SamePieceEvidence = 40.0,
    double SamePieceSeconds = 8.0)
{
    public static SoftCutOptions Default { get; } = new();

    /// <summary>
    /// <see cref="Default"/> with settings from <c>NAME=VALUE</c> pairs (the numeric settings, by their names here,
    /// e.g. <c>NoveltyRatio=3</c>); a bad pair is a <see cref="FormatException"/> naming it.
    /// </summary>
    public static SoftCutOptions WithSettings(IReadOnlyList<string>? pairs)
    {
        var options = Default with { };
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var property = eq > 0 ? typeof(SoftCutOptions).GetProperty(pair[..eq]) : null;
            if (property is null || (property.PropertyType != typeof(double) && property.PropertyType != typeof(int)))
            {
                throw new FormatException($"--soft-cut {pair}: not NAME=VALUE with a numeric setting of SoftCutOptions");
            }

            if (!double.TryParse(pair[(eq + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
            {
                throw new FormatException($"--soft-cut {pair}: the value is not a number ≥ 0");
            }

            property.SetValue(options, property.PropertyType == typeof(int) ? (object)(int)value : value);
        }

        return options;
    }
}

/// <summary>What produced a boundary candidate or confirmed a boundary.</summary>
public enum BoundaryEvidence
{
    /// <summary>A jump of the energy contrast z_t (eq. 3.5, 3.6).</summary>
    EnergyContrast,

    /// <summary>A jump of the tempo contrast γ_{l+1}/γ_l (eq. 3.8).</summary>
    TempoContrast,

    /// <summary>A sustained change of the estimator's posterior with no contrast jump; placed at the spectral step.</summary>
    SustainedPosterior,

    /// <summary>The silence gate: the audio fell below the silence level, or came back above it.</summary>
    Silence,

    /// <summary>A peak of the spectral step D alone (no contrast jump), far above its recent mean.</summary>
    SpectralNovelty,

    /// <summary>A peak of the tonal (chroma) step, with a spectral step beside it: a change of harmony or key.</summary>
    TonalNovelty,

    /// <summary>The estimator's embedding of the audio before and after differs (another piece or part), placed at the spectral step between.</summary>
    EmbeddingChange,
}

/// <summary>A confirmed boundary between two regions.</summary>
/// <param name="TimeSeconds">Where the change happened in the audio (refined to a mel frame).</param>
/// <param name="ConfirmedAtSeconds">Stream time when the evidence sufficed (TimeSeconds + latency).</param>
/// <param name="From">Mood of the region that ends.</param>
/// <param name="To">Mood of the region that starts.</param>
/// <param name="Evidence">What placed the boundary.</param>
/// <param name="StepDb">The spectral step D at the boundary frame (dB): how different the audio is on either side.</param>
/// <param name="FromSilence">The region that ends is silence (<paramref name="From"/> then repeats the mood before it).</param>
/// <param name="ToSilence">The region that starts is silence (<paramref name="To"/> then repeats <paramref name="From"/>).</param>
public sealed record SegmentBoundary(
    double TimeSeconds, double ConfirmedAtSeconds, Mood From, Mood To, BoundaryEvidence Evidence, double StepDb, bool FromSilence = false, bool ToSilence = false)
{
    /// <summary>The label of the region that ends: a mood name or <c>silence</c>.</summary>
    public string FromLabel => FromSilence ? MoodNames.Silence : From.ToName();

    /// <summary>The label of the region that starts: a mood name or <c>silence</c>.</summary>
    public string ToLabel => ToSilence ? MoodNames.Silence : To.ToName();
}
