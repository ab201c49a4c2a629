using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;

namespace LightMood.Analysis.Emotion;

/// <summary>
/// ONNX Runtime's graph optimisation of the model, done once and kept: the first session writes its optimised graph
/// (<see cref="SessionOptions.OptimizedModelFilePath"/>) here, later sessions load that graph with optimisation off.
/// For the offline verbs, whose whole-process time a session's optimisation is a large part of (docs/benchmarks.md:
/// ≈ half the model load); the daemon loads once and does not use it.
/// </summary>
/// <remarks>
/// A graph optimised at <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/> may hold kernels laid out for this CPU
/// (ONNX Runtime says so when it saves one), so a cached graph is named by the model's SHA-256, the ONNX Runtime
/// version, the optimisation level and the CPU's vector extensions, and is written under a temporary name and renamed
/// (two processes may race; either graph is right). Anything wrong with the cache (no directory, not writable, a
/// truncated or foreign file) only costs the optimisation: the session is then made from the model itself, and a
/// cached graph that does not load is deleted.
/// </remarks>
public sealed class OptimisedGraphCache
{
    /// <summary>Environment variable: the cache directory, or <c>off</c>.</summary>
    public const string DirectoryVariable = "LIGHTMOOD_CACHE";

    public OptimisedGraphCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>Where the optimised graphs are kept.</summary>
    public string Directory { get; }

    /// <summary>
    /// The user's cache: <c>$LIGHTMOOD_CACHE</c> (<c>off</c>: none), else <c>$XDG_CACHE_HOME/lightmood</c>, else
    /// <c>~/.cache/lightmood</c>; null when there is no home to put it in.
    /// </summary>
    public static OptimisedGraphCache? ForCurrentUser()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim().Equals("off", StringComparison.OrdinalIgnoreCase) ? null : new OptimisedGraphCache(configured);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return new OptimisedGraphCache(Path.Combine(xdg, "lightmood"));
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) || !System.IO.Directory.Exists(home) ? null : new OptimisedGraphCache(Path.Combine(home, ".cache", "lightmood"));
    }

    /// <summary>The cached graph's path for <paramref name="modelPath"/> at <paramref name="level"/> on this CPU and ONNX Runtime.</summary>
    public string GraphPath(string modelPath, GraphOptimizationLevel level)
    {
        using var stream = File.OpenRead(modelPath);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..24];
        var version = OrtEnv.Instance().GetVersionString();
        return Path.Combine(Directory, $"{Path.GetFileNameWithoutExtension(modelPath)}-{hash}-ort{version}-{LevelName(level)}-{CpuTag()}.onnx");
    }

    /// <summary>
    /// A session for <paramref name="modelPath"/>: from the cached optimised graph when there is one, else from the
    /// model, saving its optimised graph. Returns null when the cache cannot serve (the caller then loads the model
    /// as usual); never throws for the cache's sake. <paramref name="options"/> makes the session options for a level
    /// and an optional path to save the optimised graph to.
    /// </summary>
    internal InferenceSession? Open(string modelPath, GraphOptimizationLevel level, Func<GraphOptimizationLevel, string?, SessionOptions> options, out bool fromCache)
    {
        fromCache = false;
        if (level == GraphOptimizationLevel.ORT_DISABLE_ALL)
        {
            return null;
        }

        string graph;
        try
        {
            graph = GraphPath(modelPath, level);
            if (File.Exists(graph))
            {
                using var cached = options(GraphOptimizationLevel.ORT_DISABLE_ALL, null);
                try
                {
                    fromCache = true;
                    return new InferenceSession(graph, cached);
                }
                catch (OnnxRuntimeException)
                {
                    fromCache = false;
                    Forget(graph);   // truncated or foreign: made again below
                }
            }

            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var temporary = $"{graph}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using var saving = options(level, temporary);
            var session = new InferenceSession(modelPath, saving);
            try
            {
                File.Move(temporary, graph, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Forget(temporary);   // the session is good; only the cache is not
            }

            return session;
        }
        catch (OnnxRuntimeException)
        {
            Forget(temporary);
            return null;   // not writable there, or the model itself is bad: the caller's own load says which
        }
    }

    /// <summary>Deletes a cached graph that turned out unusable (best effort).</summary>
    internal static void Forget(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left for the next process to replace
        }
    }

    private static string LevelName(GraphOptimizationLevel level) => level switch
    {
        GraphOptimizationLevel.ORT_ENABLE_BASIC => "basic",
        GraphOptimizationLevel.ORT_ENABLE_EXTENDED => "extended",
        _ => "all",
    };

    /// <summary>The vector extensions ONNX Runtime's CPU kernels pick their layout by.</summary>
    private static string CpuTag()
    {
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var simd = Avx512F.IsSupported ? "avx512" : Avx2.IsSupported ? "avx2" : Avx.IsSupported ? "avx" : Sse41.IsSupported ? "sse41" : "base";
        return arch is "x64" or "x86" ? $"{arch}-{simd}" : arch;
    }
}
