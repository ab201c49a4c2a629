using System.CommandLine;
using System.Globalization;
using LightMood.Analysis.Segmentation;
using LightMood.Audio.Decoding;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood evaluate-segments AUDIO TRUTH.json | DIR [--tolerance S]</c>: the paper's Table 4.1 experiment. Runs the
/// analysis on audio with ground-truth regions and prints the boundary timing error (min, median, max in ms over
/// matched boundaries, misses and false boundaries) and the time-weighted per-mood precision and recall. A folder is
/// scanned for audio files (wav, ogg, mp3) with a sidecar <c>NAME.regions.json</c>.
/// </summary>
internal static class EvaluateSegmentsCommand
{
    private const double DefaultTolerance = 1.0;

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATHS")
        {
            Description = "an audio file and its truth (NAME.regions.json), or a folder of NAME.wav|ogg|mp3 + NAME.regions.json",
            HelpName = "AUDIO TRUTH.json | DIR",
            Arity = new ArgumentArity(1, 2),
        };
        var tolerance = new Option<double>("--tolerance")
        {
            Description = "a found boundary this close to a true one matches it",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => DefaultTolerance,
        };
        tolerance.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and < 60))
            {
                r.AddError("--tolerance must be more than 0 and less than 60 seconds");
            }
        });
        var softCut = new Option<string[]>("--soft-cut")
        {
            Description = "a soft-cut setting for this run, e.g. --soft-cut NoveltyRatio=3 (repeatable; names as in SoftCutOptions, docs/segmentation.md)",
            HelpName = "NAME=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("evaluate-segments", "the paper's Table 4.1: soft-cut boundary error, per-mood precision/recall") { paths, tolerance, softCut };
        command.SetAction(parse => Run(parse.GetRequiredValue(paths), parse.GetValue(tolerance), Console.Out, Console.Error, parse.GetValue(softCut)));
        return command;
    }

    public static int Run(IReadOnlyList<string> rest, double tolerance, TextWriter stdout, TextWriter stderr, IReadOnlyList<string>? softCut = null)
    {
        var c = CultureInfo.InvariantCulture;
        MusicAnalyzerOptions analysis;
        try
        {
            analysis = new MusicAnalyzerOptions(SoftCut: SoftCutOptions.WithSettings(softCut), BatchWindows: AnalyzeCommand.BatchWindows);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"lightmood evaluate-segments: {e.Message}");
            return 2;
        }

        List<(string Audio, string Truth)> pairs;
        if (rest.Count == 2 && !rest.Any(a => a.StartsWith('-')))
        {
            pairs = [(rest[0], rest[1])];
        }
        else if (rest.Count == 1 && Directory.Exists(rest[0]))
        {
            pairs = [.. Directory.EnumerateFiles(rest[0])
                .Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".ogg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase))
                .Select(f => (f, Path.Combine(Path.GetDirectoryName(f)!, Path.GetFileNameWithoutExtension(f) + ".regions.json")))
                .Where(p => File.Exists(p.Item2))
                .OrderBy(p => p.Item1, StringComparer.Ordinal)];
            if (pairs.Count == 0)
            {
                stderr.WriteLine($"lightmood evaluate-segments: {rest[0]}: no audio file with a NAME.regions.json sidecar");
                return 2;
            }
        }
        else
        {
            stderr.WriteLine($"lightmood evaluate-segments: {rest[0]}: no such folder (usage: lightmood evaluate-segments AUDIO TRUTH.json | DIR [--tolerance SECONDS])");
            return 2;
        }

        var scores = new List<SegmentScore>();
        var sectionScores = new List<SectionScore>();
        stdout.WriteLine(string.Create(c, $"tolerance {tolerance * 1000:F0} ms; estimator: {AnalyzeCommand.CreateEstimator().GetType().Name}"));
        stdout.WriteLine("file                               true  found  matched  median_ms  max_ms  missed  false  accuracy  sections  cut_ms_max");
        foreach (var (audioPath, truthPath) in pairs)
        {
            SegmentTruth truth;
            DecodedAudio audio;
            try
            {
                truth = SegmentTruth.Load(truthPath);
                audio = AudioFileDecoder.Decode(audioPath, AnalysisFormat.SampleRate);
            }
            catch (Exception ex) when (ex is FormatException or AudioDecodeException)
            {
                stderr.WriteLine($"lightmood evaluate-segments: {ex.Message}");
                return 2;
            }

            var result = MusicAnalyzer.Analyze(audio.Samples, AnalyzeCommand.CreateEstimator(), analysis);
            var score = SegmentScore.Compute(truth, result.Regions, result.BoundariesSeconds, tolerance);
            scores.Add(score);
            var sectionScore = SectionScore.Compute(truth, result.SectionsOrRegions, result.DurationSeconds, result.Windows);
            sectionScores.Add(sectionScore);
            var e = score.MatchedErrorsSeconds.Order().ToList();
            var worstCut = sectionScore.CutDistancesSeconds.Count > 0 ? sectionScore.CutDistancesSeconds.Max() : double.NaN;
            stdout.WriteLine(string.Create(c, $"{Shorten(Path.GetFileName(audioPath), 34),-34} {truth.BoundariesSeconds.Count,4}  {result.Boundaries.Count,5}  {e.Count,7}  {Ms(Median(e)),9}  {Ms(e.Count > 0 ? e[^1] : double.NaN),6}  {score.Misses,6}  {score.FalseBoundaries,5}  {score.Accuracy,8:P0}  {sectionScore.Sections,8}  {Ms(worstCut),10}"));
        }

        var total = SegmentScore.Sum(scores);
        var errors = total.MatchedErrorsSeconds.Order().ToList();
        stdout.WriteLine();
        stdout.WriteLine(string.Create(c, $"boundaries: {errors.Count} matched of {errors.Count + total.Misses} true, {total.Misses} missed, {total.FalseBoundaries} false"));
        stdout.WriteLine(string.Create(c, $"timing error (ms): min {Ms(errors.Count > 0 ? errors[0] : double.NaN)}, median {Ms(Median(errors))}, max {Ms(errors.Count > 0 ? errors[^1] : double.NaN)}"));
        stdout.WriteLine();
        stdout.WriteLine("mood    true_s  predicted_s  precision  recall");
        foreach (var m in MoodNames.All)
        {
            stdout.WriteLine(string.Create(c, $"{m.ToName(),-6}  {total.TrueSeconds[(int)m],6:F1}  {total.PredictedSeconds[(int)m],11:F1}  {Percent(total.Precision(m)),9}  {Percent(total.Recall(m)),6}"));
        }

        stdout.WriteLine(string.Create(c, $"time-weighted accuracy: {Percent(total.Accuracy)}"));
        var sectionTotal = SectionScore.Sum(sectionScores);
        var cuts = sectionTotal.CutDistancesSeconds.Count;
        stdout.WriteLine();
        stdout.WriteLine(string.Create(c, $"sections: {sectionTotal.Sections} in {sectionTotal.DurationSeconds / 60:F1} min ({sectionTotal.SectionsPerMinute:F1} per minute)"));
        stdout.WriteLine(string.Create(c, $"cuts with a section boundary within 100 ms: {sectionTotal.CutsWithin(0.1)} of {cuts} ({Percent(cuts > 0 ? (double)sectionTotal.CutsWithin(0.1) / cuts : double.NaN)}); within the tolerance: {sectionTotal.CutsWithin(tolerance)}"));
        stdout.WriteLine(string.Create(c, $"cut to nearest section boundary (ms): median {Ms(sectionTotal.MedianCutDistance)}, max {Ms(cuts > 0 ? sectionTotal.CutDistancesSeconds.Max() : double.NaN)}"));
        stdout.WriteLine(string.Create(c, $"clip-level accuracy (each true region labelled from all its windows): {Percent(sectionTotal.ClipAccuracy)}"));
        return 0;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Ms(double seconds) => double.IsNaN(seconds) ? "-" : (seconds * 1000).ToString("F0", CultureInfo.InvariantCulture);

    private static string Percent(double v) => double.IsNaN(v) ? "-" : v.ToString("P0", CultureInfo.InvariantCulture);

    private static string Shorten(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
