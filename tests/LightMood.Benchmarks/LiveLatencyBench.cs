using System.Globalization;
using LightMood.Analysis;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Audio.Decoding;

namespace LightMood.Benchmarks;

/// <summary>
/// The live soft cut's answer time in stream time, without the real-time rig: every file with a truth
/// (<c>NAME.regions.json</c> beside <c>NAME.wav|ogg</c>; default the demo track) is streamed through the live
/// <see cref="MusicAnalyzer"/> (no batching, no result collection, as the daemon runs it) in 512-sample blocks, and each
/// true mood change is timed from the change to the first state naming the new mood; a change not followed before the
/// next one counts as missed. Also the looks held shorter than the minimum hold (after the first) and the number of
/// mood changes against the truth's, and how long after each true change the section starting at it (within 100 ms)
/// was found — when a look's section variation (or the mood's crossfade) can begin; and the look changes to a mood that is
/// not the truth's where they happen (a wrong provisional label, say). Settings can be varied with <c>--soft-cut NAME=VALUE</c> (the numeric settings of SoftCutOptions, as evaluate-segments takes them).
/// <c>dotnet tests/LightMood.Benchmarks/bin/Release/net10.0/LightMood.Benchmarks.dll live-latency [--soft-cut NAME=VALUE ...] [--trace] [FILE ...]</c>
/// (<c>--trace</c>: each file's true regions, sections and looks too).
/// The line-in rig's figures (tools/bench/live_run.py) add the capture's buffering and the page's polling to these.
/// </summary>
internal static class LiveLatencyBench
{
    public static int Run(string[] args)
    {
        var pairs = new List<string>();
        var files = new List<string>();
        var trace = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--trace")
            {
                trace = true;
            }
            else if (args[i] == "--soft-cut")
            {
                pairs.Add(args[++i]);
            }
            else if (Directory.Exists(args[i]))
            {
                files.AddRange(Directory.EnumerateFiles(args[i]).Where(f => f.EndsWith(".wav", StringComparison.Ordinal) || f.EndsWith(".ogg", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(args[i]);
            }
        }

        if (files.Count == 0)
        {
            files.Add(Path.Combine(LightingLoopBench.FindRoot(), "fixtures", "demo", "demo.ogg"));
        }

        var softCut = SoftCutOptions.WithSettings(pairs);
        using var crnn = DefaultMoodEstimator.CreateCrnn();
        var c = CultureInfo.InvariantCulture;
        var latencies = new List<double>();
        var sectionDelays = new List<double>();
        int missed = 0, changes = 0, trueChanges = 0, shortHolds = 0, wrongLooks = 0;
        foreach (var file in files)
        {
            var truth = SegmentTruth.Load(Path.ChangeExtension(file, ".regions.json"));
            var samples = AudioFileDecoder.Decode(file, AnalysisFormat.SampleRate).Samples;
            var states = new List<(double Time, string Label)>();
            var sections = new List<SectionBoundary>();
            var analyzer = new MusicAnalyzer(crnn, new MusicAnalyzerOptions(CollectResults: false, SoftCut: softCut));
            analyzer.StateUpdated += s => states.Add((s.TimeSeconds, s.Label));
            analyzer.SectionStarted += sections.Add;
            for (var pos = 0; pos < samples.Length; pos += 512)
            {
                analyzer.Push(samples.AsSpan(pos, Math.Min(512, samples.Length - pos)));
            }

            // the look's changes: the first state and every change of label after it
            var looks = states.Where((s, i) => i == 0 || s.Label != states[i - 1].Label).ToList();
            changes += looks.Count - 1;
            // a look change to a mood that is not the truth's where it happens (the previous one's neither: that is lag)
            for (var i = 1; i < looks.Count; i++)
            {
                var at = truth.Regions.LastOrDefault(r => r.StartSeconds <= looks[i].Time);
                if (at is not null && looks[i].Label != at.Mood.ToName())
                {
                    wrongLooks++;
                }
            }

            for (var i = 2; i < looks.Count; i++)
            {
                if (looks[i].Time - looks[i - 1].Time < softCut.MinHoldSeconds)
                {
                    shortHolds++;
                }
            }

            var line = new List<string>();
            var found = new List<string>();
            for (var r = 1; r < truth.Regions.Count; r++)
            {
                var start = truth.Regions[r].StartSeconds;
                var end = truth.Regions[r].EndSeconds;
                var want = truth.Regions[r].Mood.ToName();
                trueChanges++;
                // the section at the cut (within 100 ms): when it was found is when the look varies or crossfades
                var section = sections.Where(b => Math.Abs(b.TimeSeconds - start) <= 0.1).OrderBy(b => b.FoundAtSeconds).FirstOrDefault();
                if (section is not null)
                {
                    sectionDelays.Add(section.FoundAtSeconds - start);
                }

                found.Add(section is null ? "-" : (section.FoundAtSeconds - start).ToString("F2", c));

                var hit = states.FirstOrDefault(s => s.Time >= start && s.Time < end && s.Label == want);
                if (hit.Label is null)
                {
                    missed++;
                    line.Add("missed");
                    continue;
                }

                latencies.Add(hit.Time - start);
                line.Add((hit.Time - start).ToString("F2", c));
            }

            Console.WriteLine($"{Path.GetFileName(file),-14} {string.Join(' ', line)} | sections found {string.Join(' ', found)}");
            if (trace)
            {
                Console.WriteLine("  truth: " + string.Join(' ', truth.Regions.Select(r => string.Create(c, $"{r.StartSeconds:F2} {r.Mood.ToName()}"))));
                Console.WriteLine("  sections (at / found): " + string.Join(' ', sections.Select(b => string.Create(c, $"{b.TimeSeconds:F2}/{b.FoundAtSeconds:F2}{(b.Silent ? " silent" : "")}"))));
                Console.WriteLine("  looks: " + string.Join(' ', looks.Select(l => string.Create(c, $"{l.Time:F2} {l.Label}"))));
            }
        }

        latencies.Sort();
        var median = latencies.Count > 0 ? latencies[latencies.Count / 2] : double.NaN;
        Console.WriteLine(string.Create(c,
            $"{trueChanges} true changes: followed {latencies.Count} (median {median:F2} s, max {(latencies.Count > 0 ? latencies[^1] : double.NaN):F2} s, over 1.5 s {latencies.Count(l => l > 1.5)}, over 4 s {latencies.Count(l => l > 4)}), missed {missed}; look changes {changes}, to a wrong mood {wrongLooks}; held under {softCut.MinHoldSeconds:F1} s {shortHolds}"));
        sectionDelays.Sort();
        if (sectionDelays.Count > 0)
        {
            Console.WriteLine(string.Create(c,
                $"sections at the true changes (within 100 ms): {sectionDelays.Count} of {trueChanges}; found after the change: median {sectionDelays[sectionDelays.Count / 2]:F2} s, max {sectionDelays[^1]:F2} s, over 1 s {sectionDelays.Count(d => d > 1)}"));
        }

        return 0;
    }
}
