using Microsoft.ML.OnnxRuntime;

namespace LightMood.Analysis.Emotion;

/// <summary>How ONNX Runtime runs the CRNN: its intra-op threads and graph optimisation level.</summary>
/// <param name="IntraOpThreads">Threads one model run may use (1: the calling thread only).</param>
/// <param name="Optimization">The graph optimisation level (docs/benchmarks.md compares them on the shipped model).</param>
public sealed record CrnnSessionSettings(int IntraOpThreads = 1, GraphOptimizationLevel Optimization = GraphOptimizationLevel.ORT_ENABLE_ALL)
{
    /// <summary>The daemon and <c>analyze</c>: one thread (a window every 0.51 s live; offline, the analysis runs on the same core).</summary>
    public static CrnnSessionSettings Live { get; } = new();

    /// <summary>Verbs that run many files in parallel themselves (<c>evaluate</c>): one thread per run, one run per core.</summary>
    public static CrnnSessionSettings PerFile { get; } = new();
}
