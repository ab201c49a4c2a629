using System.Diagnostics;
using System.Globalization;
using LightMood.Analysis;
using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;
using LightMood.Audio.Decoding;
using Microsoft.ML.OnnxRuntime;

namespace LightMood.Benchmarks;

/// <summary>
/// The shipped model's cost per window against the batch size, the graph optimisation level and the intra-op threads:
/// real windows (the demo track's mel + chroma, hop 22 frames), each setting warmed up, then the median of
/// <c>--repeats</c> passes over <c>--windows</c> windows, wall time and this process's CPU time per window.
/// <c>dotnet tests/LightMood.Benchmarks/bin/Release/net10.0/LightMood.Benchmarks.dll crnn-batch [--windows 96] [--repeats 3] [--threads 1,2] [--batches 1,4,8,16,32] [--levels basic,extended,all]</c>
/// </summary>
internal static class CrnnBatchBench
{
    public static int Run(string[] args)
    {
        var windows = 96;
        var repeats = 3;
        int[] threads = [1];
        int[] batches = [1, 4, 8, 16, 32];
        var levels = new[] { GraphOptimizationLevel.ORT_ENABLE_BASIC, GraphOptimizationLevel.ORT_ENABLE_EXTENDED, GraphOptimizationLevel.ORT_ENABLE_ALL };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--windows": windows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = Ints(args[++i]); break;
                case "--batches": batches = Ints(args[++i]); break;
                case "--levels": levels = [.. args[++i].Split(',').Select(Level)]; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        var root = LightingLoopBench.FindRoot();
        var audio = AudioFileDecoder.Decode(Path.Combine(root, "fixtures", "demo", "demo.ogg"), AnalysisFormat.SampleRate);
        var melSpectrogram = new MelSpectrogram();
        var (mel, chroma) = melSpectrogram.ComputeWithChroma(audio.Samples, out var frames);
        var available = 1 + ((frames - MoodWindow.Frames) / MoodWindow.HopFrames);
        Console.WriteLine($"model {CrnnMoodEstimator.ResolveModelPath()}; {windows} windows (of the demo's {available}, reused cyclically); median of {repeats}; load average {LoadAverage()}");
        Console.WriteLine("level     threads  batch  ms/window (wall)  ms/window (CPU)");
        foreach (var level in levels)
        {
            foreach (var t in threads)
            {
                using var crnn = new CrnnMoodEstimator(CrnnMoodEstimator.ResolveModelPath(), new CrnnSessionSettings(t, level));
                foreach (var b in batches)
                {
                    using var batch = crnn.CreateBatch(b);
                    var wall = new double[repeats];
                    var cpu = new double[repeats];
                    Pass(batch, mel, chroma, melSpectrogram.MelBands, crnn.ChromaBands, available, Math.Max(b, 8)); // warm-up
                    for (var r = 0; r < repeats; r++)
                    {
                        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                        var sw = Stopwatch.StartNew();
                        Pass(batch, mel, chroma, melSpectrogram.MelBands, crnn.ChromaBands, available, windows);
                        wall[r] = sw.Elapsed.TotalMilliseconds / windows;
                        cpu[r] = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / windows;
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name(level),-9} {t,7}  {b,5}  {Median(wall),16:F2}  {Median(cpu),15:F2}"));
                }
            }
        }

        Console.WriteLine($"load average {LoadAverage()}");
        return 0;
    }

    private static void Pass(MoodWindowBatch batch, float[] mel, float[] chroma, int bands, int classes, int available, int windows)
    {
        var filled = 0;
        for (var w = 0; w < windows; w++)
        {
            var start = (w % available) * MoodWindow.HopFrames;
            mel.AsSpan(start * bands, MoodWindow.Frames * bands).CopyTo(batch.MelWindow(filled));
            chroma.AsSpan(start * Chromagram.PitchClasses, MoodWindow.Frames * classes).CopyTo(batch.ChromaWindow(filled));
            if (++filled == batch.Capacity || w == windows - 1)
            {
                batch.Run(filled);
                filled = 0;
            }
        }
    }

    private static int[] Ints(string list) => [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private static GraphOptimizationLevel Level(string name) => name switch
    {
        "disable" => GraphOptimizationLevel.ORT_DISABLE_ALL,
        "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "all" => GraphOptimizationLevel.ORT_ENABLE_ALL,
        _ => throw new ArgumentException($"unknown level {name} (disable, basic, extended, all)"),
    };

    private static string Name(GraphOptimizationLevel level) => level switch
    {
        GraphOptimizationLevel.ORT_DISABLE_ALL => "disable",
        GraphOptimizationLevel.ORT_ENABLE_BASIC => "basic",
        GraphOptimizationLevel.ORT_ENABLE_EXTENDED => "extended",
        _ => "all",
    };

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
