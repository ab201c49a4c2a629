using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>A structural boundary: where a section starts, whatever the mood.</summary>
/// <param name="TimeSeconds">Where the change happened (a refined split of the novelty curve, or a silence edge).</param>
/// <param name="FoundAtSeconds">Stream time when the evidence sufficed.</param>
/// <param name="Evidence">What found it: a contrast backed by a spectral step, the spectral or tonal novelty alone, a sustained posterior change, or the silence gate.</param>
/// <param name="StepDb">The spectral step D at the boundary (dB; 0 at a silence edge).</param>
/// <param name="Silent">The section that starts is silence.</param>
/// <param name="EmbeddingDistance">The largest embedding change (cosine distance) heard at this start: the one that placed it, or one heard there again later; 0 when none.</param>
public sealed record SectionBoundary(double TimeSeconds, double FoundAtSeconds, BoundaryEvidence Evidence, double StepDb, bool Silent = false, double EmbeddingDistance = 0);

/// <summary>
/// The offline labelling's prior on a change of piece: a region edge whose section start heard an embedding change of at
/// least <paramref name="Distance"/> needs only <paramref name="Evidence"/> (nats) to stay, unless a start less than
/// <paramref name="Seconds"/> before it heard a larger one (0: never so).
/// </summary>
public readonly record struct PieceChange(double Distance, double Evidence, double Seconds = 0)
{
    /// <summary>
    /// Whether section start <paramref name="i"/> is a change of piece: it heard an embedding change of at least
    /// <see cref="Distance"/>, and no start in the <see cref="Seconds"/> before it heard a larger one. Changes of piece
    /// are rare: a smaller one heard soon after a larger one is a change inside the new piece (its intro ending, its
    /// first part), which the embedding also hears.
    /// </summary>
    public bool IsChangeAt(IReadOnlyList<SectionBoundary> starts, int i)
    {
        ArgumentNullException.ThrowIfNull(starts);
        var distance = starts[i].EmbeddingDistance;
        if (!(distance >= Distance))
        {
            return false;
        }

        for (var j = i - 1; j >= 0 && starts[i].TimeSeconds - starts[j].TimeSeconds < Seconds; j--)
        {
            if (starts[j].EmbeddingDistance > distance)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// The offline labelling's prior against a change of mood inside one piece: a region edge where the two regions sound like
/// the same music — the mean embeddings of their windows, and of the windows in the <paramref name="Seconds"/> either side
/// of the edge, both within <paramref name="Distance"/> (cosine distance) — needs <paramref name="Evidence"/> (nats) to
/// stay, however large a local embedding change was heard at the edge. Whole regions and the music around the edge must
/// both agree: inside one piece a local change of character (an intro ending, a break) moves the embedding at the edge
/// but not the regions' means; a verse and a chorus can differ as wholes but not in the seconds where one turns into the
/// other. Used only where the estimator has an embedding.
/// </summary>
public readonly record struct SamePiece(double Distance, double Evidence, double Seconds);

/// <summary>One mood window as the offline labelling keeps it.</summary>
/// <param name="StartSeconds">Start of the window's audio.</param>
/// <param name="EndSeconds">End of the window's audio.</param>
/// <param name="Probabilities">The calibrated posterior, in <see cref="Mood"/> order (a copy).</param>
/// <param name="Valence">The window's valence.</param>
/// <param name="Arousal">The window's arousal.</param>
/// <param name="Embedding">The estimator's embedding of the window (a copy; null when it has none).</param>
public sealed record PosteriorWindow(double StartSeconds, double EndSeconds, float[] Probabilities, float Valence, float Arousal, float[]? Embedding = null)
{
    public double CentreSeconds => (StartSeconds + EndSeconds) / 2;
}

/// <summary>The two layers of an offline analysis: labelled sections, and the mood regions they merge into.</summary>
/// <param name="Sections">Contiguous over [0, duration]: each section with the label of all its windows.</param>
/// <param name="Regions">Runs of sections with one label, merged.</param>
/// <param name="Boundaries">The inner region edges (each one a section edge).</param>
public sealed record AnalysisLayers(IReadOnlyList<MoodRegion> Sections, IReadOnlyList<MoodRegion> Regions, IReadOnlyList<SegmentBoundary> Boundaries);

/// <summary>
/// Offline (non-causal) labelling of sections: each section is labelled by the calibrated mean posterior of all its
/// windows — those lying wholly inside it, or, for a section shorter than a window holds none, those centred in it, or
/// else the nearest one; adjacent sections with the same label merge into one mood region. Used by <c>analyze</c> and
/// <c>evaluate-segments</c> at the end of a file; the daemon labels causally (<see cref="SoftCutSegmenter"/>).
/// </summary>
public static class SectionLabelling
{
    /// <summary>Slack (seconds) for "wholly inside": window edges are whole samples, section edges refined splits.</summary>
    private const double Slack = 0.05;

    /// <param name="starts">Section starts in time order, the first at 0.</param>
    /// <param name="windows">Every mood window in time order.</param>
    /// <param name="durationSeconds">End of the audio.</param>
    /// <param name="liveConfirmedAt">
    /// For each section start, when the live layer confirmed a mood change there (NaN when it did not); a boundary the
    /// live layer never confirmed is dated to the end of its later section, when all its windows were known.
    /// </param>
    /// <param name="regionEvidence">
    /// The evidence (nats, summed over windows) two adjacent music regions with different labels need to stay apart
    /// (<see cref="MergeWeakRegions"/>); 0: every change of label is a region boundary.
    /// </param>
    /// <param name="piece">
    /// Where a region edge is a change of piece (its section start's <see cref="SectionBoundary.EmbeddingDistance"/> at
    /// least <see cref="PieceChange.Distance"/>, and no larger one heard shortly before: <see cref="PieceChange.IsChangeAt"/>),
    /// the evidence it needs instead (at most <paramref name="regionEvidence"/>);
    /// null: every edge needs <paramref name="regionEvidence"/>.
    /// </param>
    /// <param name="samePiece">
    /// Where the regions either side of an edge sound like one piece (<see cref="SamePiece"/>), the evidence the edge needs
    /// instead (at least <paramref name="regionEvidence"/>; it overrides <paramref name="piece"/>); null: never asked.
    /// </param>
    public static AnalysisLayers Label(IReadOnlyList<SectionBoundary> starts, IReadOnlyList<PosteriorWindow> windows, double durationSeconds, IReadOnlyList<double>? liveConfirmedAt = null, double regionEvidence = 0, PieceChange? piece = null, SamePiece? samePiece = null)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(windows);
        if (starts.Count == 0 || starts[0].TimeSeconds != 0)
        {
            throw new ArgumentException("The first section starts at 0.", nameof(starts));
        }

        for (var i = 1; i < starts.Count; i++)
        {
            if (!(starts[i].TimeSeconds > starts[i - 1].TimeSeconds) || starts[i].TimeSeconds > durationSeconds)
            {
                throw new ArgumentException($"Section {i} starts at {starts[i].TimeSeconds} s, not after {starts[i - 1].TimeSeconds} s and within {durationSeconds} s.", nameof(starts));
            }
        }

        var sections = new List<MoodRegion>(starts.Count);
        var musicMood = Mood.Calm;
        for (var i = 0; i < starts.Count; i++)
        {
            var start = starts[i].TimeSeconds;
            var end = i + 1 < starts.Count ? starts[i + 1].TimeSeconds : durationSeconds;
            if (starts[i].Silent)
            {
                sections.Add(new MoodRegion(start, end, musicMood, 1, 0, -1, Silent: true));
                continue;
            }

            var section = Summarise(start, end, windows, musicMood);
            sections.Add(section);
            musicMood = section.Mood;
        }

        if (regionEvidence > 0)
        {
            MergeWeakRegions(sections, windows, regionEvidence, starts, piece, samePiece);
        }

        var regions = new List<MoodRegion>();
        var boundaries = new List<SegmentBoundary>();
        var first = 0;
        for (var i = 1; i <= sections.Count; i++)
        {
            if (i < sections.Count && sections[i].Label == sections[first].Label)
            {
                continue;
            }

            var start = sections[first].StartSeconds;
            var end = sections[i - 1].EndSeconds;
            var region = sections[first].Silent || i - first == 1
                ? sections[first] with { EndSeconds = end }
                : Summarise(start, end, windows, sections[first].Mood, sections[first].Mood);
            if (regions.Count > 0)
            {
                var before = regions[^1];
                var at = starts[first];
                var live = liveConfirmedAt is not null ? liveConfirmedAt[first] : double.NaN;
                var confirmed = at.Evidence == BoundaryEvidence.Silence ? at.FoundAtSeconds
                    : !double.IsNaN(live) ? live
                    : Math.Max(at.FoundAtSeconds, LastWindowEnd(windows, sections[first].EndSeconds, at.TimeSeconds));
                boundaries.Add(new SegmentBoundary(
                    start, confirmed, before.Mood, region.Silent ? before.Mood : region.Mood, at.Evidence, at.StepDb,
                    FromSilence: before.Silent, ToSilence: region.Silent));
                if (region.Silent)
                {
                    region = region with { Mood = before.Mood };
                }
            }

            regions.Add(region);
            first = i;
        }

        return new AnalysisLayers(sections, regions, boundaries);
    }

    /// <summary>
    /// Merges adjacent music regions (runs of sections with one label) whose labels differ on weak evidence, weakest
    /// first, relabelling their sections: the evidence for keeping regions A and B apart is the log-likelihood gain of
    /// two labels over one, G = Σ_A log p(a) + Σ_B log p(b) − Σ_{A∪B} log p(m), over the windows of each region's sections
    /// (as <see cref="Summarise"/> takes them) with a, b the regions' labels and m the label of the mean posterior of
    /// all the windows of the union's span (a model-selection test between one and two segments: the penalty <paramref name="evidence"/> plays
    /// the part of the extra parameter's cost; the windows overlap, so it is in summed, not independent, nats). A pair
    /// with G below <paramref name="evidence"/> becomes one region with label m, and the test is repeated until every
    /// remaining pair clears it. Silence never merges. Where the later region starts at a change of piece (the embedding
    /// distance heard at its first section's start is at least <paramref name="piece"/>'s distance), the pair needs only
    /// <paramref name="piece"/>'s evidence: a change of mood is far likelier where the music itself changed than inside one
    /// piece (a prior on the boundary, not more evidence from the labels); not where a larger one was heard shortly before
    /// (<see cref="PieceChange.IsChangeAt"/>). Where the two regions sound like one piece (<paramref name="samePiece"/>),
    /// the pair needs that prior's evidence instead, whatever was heard at its start. The pair furthest below what it
    /// needs merges first.
    /// At the end every run of more than one section is labelled from all the windows of its span (those lying across its
    /// inner section edges too), as a region is: the windows a section edge leaves out can turn a near tie.
    /// </summary>
    internal static void MergeWeakRegions(List<MoodRegion> sections, IReadOnlyList<PosteriorWindow> windows, double evidence, IReadOnlyList<SectionBoundary>? starts = null, PieceChange? piece = null, SamePiece? samePiece = null)
    {
        var means = samePiece is not null ? new EmbeddingMeans(windows) : null;
        // per section: the windows' summed log-probabilities
        var logs = new double[sections.Count][];
        for (var i = 0; i < sections.Count; i++)
        {
            logs[i] = new double[MoodNames.Count];
            if (!sections[i].Silent)
            {
                foreach (var w in WindowsOf(sections[i].StartSeconds, sections[i].EndSeconds, windows))
                {
                    for (var m = 0; m < MoodNames.Count; m++)
                    {
                        logs[i][m] += Math.Log(Math.Max(w.Probabilities[m], 1e-6));
                    }
                }
            }
        }

        // runs of sections: [first, last] with a label
        var runs = new List<(int First, int Last, Mood Label)>();
        for (var i = 0; i < sections.Count; i++)
        {
            if (runs.Count > 0 && !sections[i].Silent && !sections[runs[^1].Last].Silent && runs[^1].Label == sections[i].Mood)
            {
                runs[^1] = (runs[^1].First, i, runs[^1].Label);
            }
            else
            {
                runs.Add((i, i, sections[i].Mood));
            }
        }

        double Total(double[][] per, int first, int last, int m)
        {
            var t = 0.0;
            for (var i = first; i <= last; i++)
            {
                t += per[i][m];
            }

            return t;
        }

        Mood SpanLabel(int first, int last)
        {
            Span<double> sum = stackalloc double[MoodNames.Count];
            Sum(WindowsOf(sections[first].StartSeconds, sections[last].EndSeconds, windows), sum, out _, out _);
            return MoodNames.MostLikely(sum);
        }

        while (true)
        {
            var weakest = -1;
            var weakestGain = double.PositiveInfinity;
            var weakestLabel = Mood.Calm;
            for (var r = 0; r + 1 < runs.Count; r++)
            {
                var (a, b) = (runs[r], runs[r + 1]);
                if (sections[a.First].Silent || sections[b.First].Silent)
                {
                    continue;
                }

                var one = SpanLabel(a.First, b.Last);
                var gain = Total(logs, a.First, a.Last, (int)a.Label) + Total(logs, b.First, b.Last, (int)b.Label) - Total(logs, a.First, b.Last, (int)one);
                var needed = piece is { } p && starts is not null && p.IsChangeAt(starts, b.First) ? Math.Min(evidence, p.Evidence) : evidence;
                if (samePiece is { } same && gain < same.Evidence
                    && OnePiece(sections[a.First].StartSeconds, sections[b.First].StartSeconds, sections[b.Last].EndSeconds, same, means!))
                {
                    needed = Math.Max(evidence, same.Evidence);
                }

                gain -= needed;
                if (gain < weakestGain)
                {
                    (weakest, weakestGain, weakestLabel) = (r, gain, one);
                }
            }

            if (weakest < 0 || weakestGain >= 0)
            {
                break;
            }

            runs[weakest] = (runs[weakest].First, runs[weakest + 1].Last, weakestLabel);
            runs.RemoveAt(weakest + 1);
            // a neighbour with the same label joins it
            for (var r = Math.Max(0, weakest - 1); r + 1 < runs.Count && r <= weakest; )
            {
                if (!sections[runs[r].First].Silent && !sections[runs[r + 1].First].Silent && runs[r].Label == runs[r + 1].Label)
                {
                    runs[r] = (runs[r].First, runs[r + 1].Last, runs[r].Label);
                    runs.RemoveAt(r + 1);
                }
                else
                {
                    r++;
                }
            }
        }

        foreach (var run in runs)
        {
            var label = run.Last > run.First && !sections[run.First].Silent ? SpanLabel(run.First, run.Last) : run.Label;
            for (var i = run.First; i <= run.Last; i++)
            {
                if (!sections[i].Silent && sections[i].Mood != label)
                {
                    sections[i] = Summarise(sections[i].StartSeconds, sections[i].EndSeconds, windows, label, label);
                }
            }
        }
    }

    /// <summary>
    /// Whether regions [start, edge) and [edge, end) sound like one piece: their windows' mean embeddings, and those of
    /// the windows in <see cref="SamePiece.Seconds"/> either side of the edge, both within <see cref="SamePiece.Distance"/>.
    /// </summary>
    private static bool OnePiece(double start, double edge, double end, SamePiece same, EmbeddingMeans means) =>
        means.Distance(start, edge, edge, end) < same.Distance
        && means.Distance(Math.Max(start, edge - same.Seconds), edge, edge, Math.Min(end, edge + same.Seconds)) < same.Distance;

    /// <summary>The windows' embeddings over a span (as <see cref="WindowsOf"/> takes them), each span's summed once.</summary>
    private sealed class EmbeddingMeans(IReadOnlyList<PosteriorWindow> windows)
    {
        private readonly Dictionary<(double Start, double End), double[]?> _sums = [];

        /// <summary>Cosine distance of the two spans' mean embeddings; +∞ where a window has no embedding, or a span's are all zeros.</summary>
        public double Distance(double startA, double endA, double startB, double endB)
        {
            var (a, b) = (Sum(startA, endA), Sum(startB, endB));
            return a is null || b is null || a.Length != b.Length ? double.PositiveInfinity : EmbeddingNovelty.CosineDistance<double>(a, b);
        }

        /// <summary>The span's embeddings summed (the cosine distance of sums is that of means); null where there is none to compare.</summary>
        private double[]? Sum(double start, double end)
        {
            if (_sums.TryGetValue((start, end), out var cached))
            {
                return cached;
            }

            double[]? sum = null;
            var taken = WindowsOf(start, end, windows);
            foreach (var w in taken)
            {
                if (w.Embedding is not { Length: > 0 } e || (sum is not null && e.Length != sum.Length))
                {
                    sum = null;
                    break;
                }

                sum ??= new double[e.Length];
                for (var i = 0; i < e.Length; i++)
                {
                    sum[i] += e[i];
                }
            }

            if (sum is not null && sum.AsSpan().IndexOfAnyExcept(0.0) < 0)
            {
                sum = null;
            }

            _sums[(start, end)] = sum;
            return sum;
        }
    }

    /// <summary>The windows <see cref="Summarise"/> takes for [start, end]: wholly inside, else centred in it, else the nearest.</summary>
    private static List<PosteriorWindow> WindowsOf(double start, double end, IReadOnlyList<PosteriorWindow> windows)
    {
        var taken = windows.Where(w => w.StartSeconds >= start - Slack && w.EndSeconds <= end + Slack).ToList();
        if (taken.Count == 0)
        {
            taken = [.. windows.Where(w => w.CentreSeconds >= start && w.CentreSeconds < end)];
        }

        if (taken.Count == 0 && windows.Count > 0)
        {
            // the first of equally near ones
            var middle = (start + end) / 2;
            taken = [windows.MinBy(w => Math.Abs(w.CentreSeconds - middle))!];
        }

        return taken;
    }

    /// <summary>
    /// The mean posterior, valence and arousal of the windows of [start, end] (see the class remarks), labelled with its
    /// most likely mood or with <paramref name="label"/> (then the confidence is that mood's mean probability).
    /// </summary>
    public static MoodRegion Summarise(double start, double end, IReadOnlyList<PosteriorWindow> windows, Mood fallback, Mood? label = null)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var taken = WindowsOf(start, end, windows);
        if (taken.Count == 0)
        {
            return new MoodRegion(start, end, label ?? fallback, 0, 0, 0);
        }

        Span<double> sum = stackalloc double[MoodNames.Count];
        var count = Sum(taken, sum, out var valence, out var arousal);
        var mood = label ?? MoodNames.MostLikely(sum);
        return new MoodRegion(start, end, mood, Math.Clamp(sum[(int)mood] / count, 0, 1), Math.Clamp(valence / count, -1, 1), Math.Clamp(arousal / count, -1, 1));
    }

    private static int Sum(List<PosteriorWindow> windows, Span<double> sum, out double valence, out double arousal)
    {
        sum.Clear();
        valence = arousal = 0;
        var count = 0;
        foreach (var w in windows)
        {
            for (var m = 0; m < MoodNames.Count; m++)
            {
                sum[m] += w.Probabilities[m];
            }

            valence += w.Valence;
            arousal += w.Arousal;
            count++;
        }

        return count;
    }

    /// <summary>The end of the last window that lies before <paramref name="end"/> (when the section's label was known).</summary>
    private static double LastWindowEnd(IReadOnlyList<PosteriorWindow> windows, double end, double floor)
    {
        var last = floor;
        foreach (var w in windows)
        {
            if (w.EndSeconds <= end + Slack)
            {
                last = Math.Max(last, w.EndSeconds);
            }
        }

        return last;
    }
}
