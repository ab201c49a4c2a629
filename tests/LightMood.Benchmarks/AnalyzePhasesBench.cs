using System.Diagnostics;
using System.Globalization;
using LightMood.Analysis;
using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Audio.Decoding;
using Microsoft.ML.OnnxRuntime;

namespace LightMood.Benchmarks;

/// <summary>
/// Where the offline analysis of one file spends its time, in-process, one thread, each phase warmed up once and then
/// timed as the median of <c>--repeats</c>: decoding, the mel + chroma frames alone, the wavelet onsets + tempo alone,
/// the whole streaming analysis with a constant estimator (every feature and the soft cut, no model), and the CRNN over
/// the file's windows (every window at the live hop, batched; with a strip model also without sharing the front end).
/// <c>dotnet tests/LightMood.Benchmarks/bin/Release/net10.0/LightMood.Benchmarks.dll analyze-phases FILE [--repeats 3]</c>
/// </summary>
internal static class AnalyzePhasesBench
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: analyze-phases FILE [--repeats N]");
            return 2;
        }

        var repeats = args.Length > 2 && args[1] == "--repeats" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var file = args[0];
        var cold = Stopwatch.StartNew();
        DefaultMoodEstimator.CreateCrnn().Dispose();
        var coldMs = cold.Elapsed.TotalMilliseconds;
        foreach (var level in (GraphOptimizationLevel[])[GraphOptimizationLevel.ORT_ENABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_EXTENDED, GraphOptimizationLevel.ORT_ENABLE_BASIC, GraphOptimizationLevel.ORT_DISABLE_ALL])
        {
            var times = new double[3];
            for (var r = 0; r < times.Length; r++)
            {
                var sw = Stopwatch.StartNew();
                new CrnnMoodEstimator(CrnnMoodEstimator.ResolveModelPath(), new CrnnSessionSettings(1, level)).Dispose();
                times[r] = sw.Elapsed.TotalMilliseconds;
            }

            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  model load, {level,-22} {times[1],8:F1} ms (the process's first load: {coldMs:F1} ms)"));
        }

        // a graph optimised once and saved (ONNX Runtime's offline optimisation), then loaded without optimising again
        var saved = Path.Combine(Path.GetTempPath(), $"lightmood-crnn-optimised-{Environment.ProcessId}.onnx");
        using (var save = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = saved, IntraOpNumThreads = 1 })
        {
            new InferenceSession(CrnnMoodEstimator.ResolveModelPath(), save).Dispose();
        }

        foreach (var level in (GraphOptimizationLevel[])[GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL])
        {
            var times = new double[3];
            for (var r = 0; r < times.Length; r++)
            {
                var sw = Stopwatch.StartNew();
                new CrnnMoodEstimator(saved, new CrnnSessionSettings(1, level)).Dispose();
                times[r] = sw.Elapsed.TotalMilliseconds;
            }

            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  pre-optimised graph load, {level,-22} {times[1],8:F1} ms ({new FileInfo(saved).Length / 1024} KB)"));
        }

        File.Delete(saved);
        var samples = AudioFileDecoder.Decode(file, AnalysisFormat.SampleRate).Samples;
        var seconds = (double)samples.Length / AnalysisFormat.SampleRate;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {seconds:F1} s; median of {repeats}; load average {CrnnBatchBench.LoadAverage()}"));
        Phase("decode", seconds, repeats, () => AudioFileDecoder.Decode(file, AnalysisFormat.SampleRate).Samples.Length);
        Phase("mel + chroma frames", seconds, repeats, () => new MelSpectrogram().ComputeWithChroma(samples, out _).Mel.Length);
        Phase("mel frames", seconds, repeats, () => new MelSpectrogram().Compute(samples, out _).Length);
        Phase("Mallat filter bank", seconds, repeats, () =>
        {
            var bank = new MallatFilterBank(Wavelet.Db4, 5, 1028);
            bank.Push(samples);
            return (int)bank.Count(0);
        });
        var onsetFramesPerSecond = (double)AnalysisFormat.SampleRate / new WaveletOnsetDetector().HopLength;
        float[] Onsets()
        {
            var detector = new WaveletOnsetDetector();
            var odf = new float[detector.FrameCount(samples.Length)];
            detector.Compute(samples, odf);
            return odf;
        }

        Phase("wavelet onsets", seconds, repeats, () => Onsets().Length);
        Phase("wavelet onsets + tempo", seconds, repeats, () =>
        {
            var odf = Onsets();
            var tracker = new TempoTracker(onsetFramesPerSecond);
            foreach (var o in odf)
            {
                tracker.Push(o, out _, out _);
            }

            return odf.Length;
        });
        Phase("analysis, constant estimator (no model)", seconds, repeats, () => MusicAnalyzer.Analyze(samples, new ConstantEstimator()).Regions.Count);
        using var crnn = DefaultMoodEstimator.CreateCrnn();
        var mel = new MelSpectrogram();
        var (melDb, chroma) = mel.ComputeWithChroma(samples, out var frames);
        var windows = 1 + ((frames - MoodWindow.Frames) / MoodWindow.HopFrames);
        foreach (var (size, shared) in new[] { (16, false), (16, true), (64, true) })
        {
            using var batch = crnn.CreateBatch(size);
            var how = shared && crnn.TakesStrip ? "front end once per strip" : "window by window";
            Phase($"CRNN, {windows} windows, batches of {size}, {how}", seconds, repeats, () =>
            {
                var filled = 0;
                for (var w = 0; w < windows; w++)
                {
                    var start = w * MoodWindow.HopFrames;
                    melDb.AsSpan(start * mel.MelBands, MoodWindow.Frames * mel.MelBands).CopyTo(batch.MelWindow(filled));
                    chroma.AsSpan(start * Chromagram.PitchClasses, MoodWindow.Frames * Chromagram.PitchClasses).CopyTo(batch.ChromaWindow(filled));
                    batch.SetStart(filled, shared ? start : -1);
                    if (++filled == batch.Capacity || w == windows - 1)
                    {
                        batch.Run(filled);
                        filled = 0;
                    }
                }

                return windows;
            });
        }

        return 0;
    }

    private static void Phase(string name, double seconds, int repeats, Func<int> work)
    {
        work();
        var times = new double[repeats];
        for (var r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            work();
            times[r] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        var median = times[repeats / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-42} {median,8:F1} ms  {seconds * 1000 / median,7:F0}x real time"));
    }

    /// <summary>The same estimate for every window: the analysis without the model's cost.</summary>
    private sealed class ConstantEstimator : IMoodEstimator
    {
        private readonly MoodEstimate _estimate = new([0.4f, 0.3f, 0.2f, 0.1f], 0.2f, 0.3f, []);

        public int ChromaBands => Chromagram.PitchClasses;

        public MoodEstimate Estimate(ReadOnlySpan<float> melWindow) => _estimate;
    }
}
