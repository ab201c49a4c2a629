using System.Diagnostics;
using System.Globalization;
using LightMood.Analysis;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Audio.Decoding;

namespace LightMood.Benchmarks;

/// <summary>
/// What the offline window hop costs in segmentation and buys in speed, with the shipped model: for each hop, every
/// file with a truth (<c>NAME.regions.json</c> beside <c>NAME.wav|ogg</c>; default the demo track) analysed with batched
/// windows; boundaries matched, missed and false within <c>--tolerance</c>, timing errors, time-weighted accuracy, the
/// model's windows (counted from the hop, silence included) and the analysis time (in-process, decoded audio, one thread).
/// <c>dotnet tests/LightMood.Benchmarks/bin/Release/net10.0/LightMood.Benchmarks.dll window-hop [--hops 22,44,66,88,128] [--tolerance 0.1] [--batch 16] [FILE ...]</c>
/// </summary>
internal static class WindowHopBench
{
    public static int Run(string[] args)
    {
        int[] hops = [22, 44, 66, 88, 128];
        var tolerance = 0.1;
        var batch = 16;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--hops": hops = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--tolerance": tolerance = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: files.Add(args[i]); break;
            }
        }

        if (files.Count == 0)
        {
            files.Add(Path.Combine(LightingLoopBench.FindRoot(), "fixtures", "demo", "demo.ogg"));
        }

        var cases = files.Select(f => (Name: Path.GetFileName(f), Samples: AudioFileDecoder.Decode(f, AnalysisFormat.SampleRate).Samples, Truth: SegmentTruth.Load(Path.ChangeExtension(f, ".regions.json")))).ToList();
        var seconds = cases.Sum(c => (double)c.Samples.Length / AnalysisFormat.SampleRate);
        using var crnn = DefaultMoodEstimator.CreateCrnn();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases.Count} file(s), {seconds:F0} s; tolerance {tolerance * 1000:F0} ms; batches of {batch}; load average {CrnnBatchBench.LoadAverage()}"));
        Console.WriteLine("hop frames  hop s  windows  matched  missed  false  error ms min/median/max  accuracy  analysis s  x real time");
        foreach (var hop in hops)
        {
            var options = new MusicAnalyzerOptions(WindowHopFrames: hop, BatchWindows: batch);
            var scores = new List<SegmentScore>();
            var windows = 0L;
            var sw = Stopwatch.StartNew();
            foreach (var c in cases)
            {
                var result = MusicAnalyzer.Analyze(c.Samples, crnn, options);
                scores.Add(SegmentScore.Compute(c.Truth, result.Regions, result.BoundariesSeconds, tolerance));
                windows += 1 + (long)Math.Max(0, ((c.Samples.Length / 512) - MoodWindow.Frames) / hop);
            }

            var elapsed = sw.Elapsed.TotalSeconds;
            var total = SegmentScore.Sum(scores);
            var errors = total.MatchedErrorsSeconds.Order().Select(e => e * 1000).ToArray();
            var errorText = errors.Length == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{errors[0]:F0}/{errors[errors.Length / 2]:F0}/{errors[^1]:F0}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{hop,10}  {hop * 512.0 / AnalysisFormat.SampleRate,5:F2}  {windows,7}  {errors.Length,7}  {total.Misses,6}  {total.FalseBoundaries,5}  {errorText,25}  {total.Accuracy * 100,7:F1}%  {elapsed,10:F2}  {seconds / elapsed,11:F0}"));
        }

        Console.WriteLine($"load average {CrnnBatchBench.LoadAverage()}");
        return 0;
    }
}
