using System.Text.Json;

namespace LightMood.Analysis.Segmentation;

/// <summary>Ground truth of an edited file: the sidecar <c>{"regions":[{"start_s","end_s","mood"}],"boundaries_s":[..]}</c>.</summary>
public sealed record SegmentTruth(IReadOnlyList<MoodRegion> Regions, IReadOnlyList<double> BoundariesSeconds)
{
    /// <summary>Reads a sidecar file; throws <see cref="FormatException"/> naming the file and the field on bad input.</summary>
    public static SegmentTruth Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot be read ({e.Message})", e);
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (!root.TryGetProperty("regions", out var regions) || regions.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{path}: missing array 'regions'");
            }

            var list = new List<MoodRegion>();
            var i = 0;
            foreach (var r in regions.EnumerateArray())
            {
                var start = Number(r, "start_s", path, i);
                var end = Number(r, "end_s", path, i);
                if (!r.TryGetProperty("mood", out var m) || !MoodNames.TryParse(m.GetString(), out var mood))
                {
                    throw new FormatException($"{path}: regions[{i}].mood is not one of happy, tense, sad, calm");
                }

                if (end <= start)
                {
                    throw new FormatException($"{path}: regions[{i}] ends before it starts");
                }

                list.Add(new MoodRegion(start, end, mood, 1, mood.ValenceSign(), mood.ArousalSign()));
                i++;
            }

            List<double> boundaries = root.TryGetProperty("boundaries_s", out var b) && b.ValueKind == JsonValueKind.Array
                ? [.. b.EnumerateArray().Select(v => v.GetDouble())]
                : [.. list.Skip(1).Select(r => r.StartSeconds)];
            if (list.Count == 0)
            {
                throw new FormatException($"{path}: 'regions' is empty");
            }

            return new SegmentTruth(list, boundaries);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not valid JSON ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"{path}: a field has the wrong type ({e.Message})", e);
        }
    }

    private static double Number(JsonElement r, string name, string path, int i) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : throw new FormatException($"{path}: regions[{i}].{name} is missing or not a number");
}

/// <summary>Boundary matching and region agreement of one analysed file against its truth (the paper's Table 4.1).</summary>
/// <param name="MatchedErrorsSeconds">|found − true| for each matched true boundary.</param>
/// <param name="Misses">True boundaries with no found boundary within the tolerance.</param>
/// <param name="FalseBoundaries">Found boundaries matched to no true boundary.</param>
/// <param name="TrueSeconds">Per mood: seconds the truth labels with it.</param>
/// <param name="PredictedSeconds">Per mood: seconds the analysis labels with it.</param>
/// <param name="AgreedSeconds">Per mood: seconds both label with it.</param>
public sealed record SegmentScore(
    IReadOnlyList<double> MatchedErrorsSeconds,
    int Misses,
    int FalseBoundaries,
    double[] TrueSeconds,
    double[] PredictedSeconds,
    double[] AgreedSeconds)
{
    /// <summary>Scores found regions/boundaries against the truth; boundaries match one-to-one, closest first, within <paramref name="toleranceSeconds"/>.</summary>
    public static SegmentScore Compute(SegmentTruth truth, IReadOnlyList<MoodRegion> found, IReadOnlyList<double> foundBoundaries, double toleranceSeconds)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(foundBoundaries);
        var pairs = new List<(double Error, int True, int Found)>();
        for (var t = 0; t < truth.BoundariesSeconds.Count; t++)
        {
            for (var f = 0; f < foundBoundaries.Count; f++)
            {
                var e = Math.Abs(foundBoundaries[f] - truth.BoundariesSeconds[t]);
                if (e <= toleranceSeconds)
                {
                    pairs.Add((e, t, f));
                }
            }
        }

        pairs.Sort((a, b) => a.Error.CompareTo(b.Error));
        var usedTrue = new bool[truth.BoundariesSeconds.Count];
        var usedFound = new bool[foundBoundaries.Count];
        var errors = new List<double>();
        foreach (var (error, t, f) in pairs)
        {
            if (!usedTrue[t] && !usedFound[f])
            {
                usedTrue[t] = usedFound[f] = true;
                errors.Add(error);
            }
        }

        var trueSeconds = new double[MoodNames.Count];
        var predicted = new double[MoodNames.Count];
        var agreed = new double[MoodNames.Count];
        // silence is no mood: a silent region neither counts for a mood nor agrees with one
        foreach (var r in truth.Regions.Where(r => !r.Silent))
        {
            trueSeconds[(int)r.Mood] += r.DurationSeconds;
        }

        foreach (var r in found.Where(r => !r.Silent))
        {
            predicted[(int)r.Mood] += r.DurationSeconds;
            foreach (var t in truth.Regions)
            {
                var overlap = Math.Min(r.EndSeconds, t.EndSeconds) - Math.Max(r.StartSeconds, t.StartSeconds);
                if (overlap > 0 && !t.Silent && t.Mood == r.Mood)
                {
                    agreed[(int)r.Mood] += overlap;
                }
            }
        }

        return new SegmentScore(errors, usedTrue.Count(u => !u), usedFound.Count(u => !u), trueSeconds, predicted, agreed);
    }

    /// <summary>Sums the scores of several files.</summary>
    public static SegmentScore Sum(IEnumerable<SegmentScore> scores)
    {
        var errors = new List<double>();
        int misses = 0, falses = 0;
        var t = new double[MoodNames.Count];
        var p = new double[MoodNames.Count];
        var a = new double[MoodNames.Count];
        foreach (var s in scores)
        {
            errors.AddRange(s.MatchedErrorsSeconds);
            misses += s.Misses;
            falses += s.FalseBoundaries;
            for (var m = 0; m < MoodNames.Count; m++)
            {
                t[m] += s.TrueSeconds[m];
                p[m] += s.PredictedSeconds[m];
                a[m] += s.AgreedSeconds[m];
            }
        }

        return new SegmentScore(errors, misses, falses, t, p, a);
    }

    /// <summary>Time-weighted precision of <paramref name="mood"/> (NaN when never predicted).</summary>
    public double Precision(Mood mood) => PredictedSeconds[(int)mood] > 0 ? AgreedSeconds[(int)mood] / PredictedSeconds[(int)mood] : double.NaN;

    /// <summary>Time-weighted recall of <paramref name="mood"/> (NaN when absent from the truth).</summary>
    public double Recall(Mood mood) => TrueSeconds[(int)mood] > 0 ? AgreedSeconds[(int)mood] / TrueSeconds[(int)mood] : double.NaN;

    /// <summary>Seconds labelled correctly over all seconds.</summary>
    public double Accuracy => TrueSeconds.Sum() > 0 ? AgreedSeconds.Sum() / TrueSeconds.Sum() : double.NaN;
}

/// <summary>
/// The section layer against the true cuts, and the clip-level mood accuracy of the same audio (each true region
/// labelled from all the windows that lie in it, as if it had been classified as a whole clip).
/// </summary>
/// <param name="CutDistancesSeconds">For each true cut, the distance to the nearest inner section boundary (∞ when there is none).</param>
/// <param name="Sections">Sections found.</param>
/// <param name="DurationSeconds">Length of the audio.</param>
/// <param name="ClipAgreedSeconds">Seconds of true regions whose whole-region label is right.</param>
/// <param name="ClipTrueSeconds">Seconds of true (non-silent) regions.</param>
public sealed record SectionScore(IReadOnlyList<double> CutDistancesSeconds, int Sections, double DurationSeconds, double ClipAgreedSeconds, double ClipTrueSeconds)
{
    public static SectionScore Compute(SegmentTruth truth, IReadOnlyList<MoodRegion> sections, double durationSeconds, IReadOnlyList<PosteriorWindow>? windows)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(sections);
        var edges = sections.Skip(1).Select(s => s.StartSeconds).ToList();
        var distances = truth.BoundariesSeconds
            .Select(cut => edges.Count == 0 ? double.PositiveInfinity : edges.Min(e => Math.Abs(e - cut)))
            .ToList();
        double agreed = 0, total = 0;
        if (windows is not null)
        {
            foreach (var r in truth.Regions.Where(r => !r.Silent))
            {
                total += r.DurationSeconds;
                if (SectionLabelling.Summarise(r.StartSeconds, r.EndSeconds, windows, r.Mood).Mood == r.Mood)
                {
                    agreed += r.DurationSeconds;
                }
            }
        }

        return new SectionScore(distances, sections.Count, durationSeconds, agreed, total);
    }

    /// <summary>Sums the scores of several files.</summary>
    public static SectionScore Sum(IEnumerable<SectionScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var all = scores.ToList();
        return new SectionScore([.. all.SelectMany(s => s.CutDistancesSeconds)], all.Sum(s => s.Sections), all.Sum(s => s.DurationSeconds),
            all.Sum(s => s.ClipAgreedSeconds), all.Sum(s => s.ClipTrueSeconds));
    }

    /// <summary>Cuts with a section boundary within <paramref name="seconds"/>.</summary>
    public int CutsWithin(double seconds) => CutDistancesSeconds.Count(d => d <= seconds);

    /// <summary>Median distance from a cut to its nearest section boundary (NaN without cuts).</summary>
    public double MedianCutDistance
    {
        get
        {
            var d = CutDistancesSeconds.Order().ToList();
            return d.Count == 0 ? double.NaN : d.Count % 2 == 1 ? d[d.Count / 2] : (d[(d.Count / 2) - 1] + d[d.Count / 2]) / 2;
        }
    }

    public double SectionsPerMinute => DurationSeconds > 0 ? Sections / (DurationSeconds / 60) : double.NaN;

    /// <summary>Time-weighted accuracy of the true regions each labelled as a whole clip (NaN without windows).</summary>
    public double ClipAccuracy => ClipTrueSeconds > 0 ? ClipAgreedSeconds / ClipTrueSeconds : double.NaN;
}
