using Microsoft.ML.OnnxRuntime;

namespace LightMood.Analysis.Emotion;

/// <summary>How ONNX Runtime runs the CRNN: its intra-op threads, graph optimisation level and where optimised graphs are kept.</summary>
/// <param name="IntraOpThreads">Threads one model run may use (1: the calling thread only).</param>
/// <param name="Optimization">The graph optimisation level (docs/benchmarks.md compares them on the shipped model).</param>
/// <param name="OptimisedGraphs">Where the optimised graph is saved and loaded from next time (null: optimise at every load).</param>
public sealed record CrnnSessionSettings(
    int IntraOpThreads = 1,
    GraphOptimizationLevel Optimization = GraphOptimizationLevel.ORT_ENABLE_ALL,
    OptimisedGraphCache? OptimisedGraphs = null)
{
    /// <summary>The daemon: one thread (a window every 0.56 s), the graph optimised at its one load.</summary>
    public static CrnnSessionSettings Live { get; } = new();

    /// <summary>
    /// The offline verbs (<c>analyze</c>, <c>evaluate</c>): one intra-op thread (<c>analyze</c> is one core's work;
    /// <c>evaluate</c> runs one clip per core), and the optimised graph kept in the user's cache
    /// (<see cref="OptimisedGraphCache.ForCurrentUser"/>), since a process's start is a large part of a file's time.
    /// </summary>
    public static CrnnSessionSettings Offline() => new(OptimisedGraphs: OptimisedGraphCache.ForCurrentUser());
}
