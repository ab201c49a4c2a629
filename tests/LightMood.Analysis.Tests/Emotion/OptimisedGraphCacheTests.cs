using LightMood.Analysis.Emotion;
using Microsoft.ML.OnnxRuntime;

namespace LightMood.Analysis.Tests.Emotion;

/// <summary>The offline verbs' saved optimised graph: made once, used after, never a different answer, never a failure of its own.</summary>
public sealed class OptimisedGraphCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-graphs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_first_load_saves_the_optimised_graph_and_the_next_loads_it_with_the_same_answers()
    {
        var cache = new OptimisedGraphCache(Path.Combine(_dir, "cache"));
        var settings = new CrnnSessionSettings(OptimisedGraphs: cache);
        var graph = cache.GraphPath(CrnnFixture.ModelPath, GraphOptimizationLevel.ORT_ENABLE_ALL);
        Assert.Contains("ort" + OrtEnv.Instance().GetVersionString(), Path.GetFileName(graph), StringComparison.Ordinal);
        using (var first = new CrnnMoodEstimator(CrnnFixture.ModelPath, settings))
        {
            Assert.False(first.LoadedFromCache);
        }

        Assert.True(File.Exists(graph));
        Assert.Single(Directory.GetFiles(cache.Directory));   // no temporary file left
        using var second = new CrnnMoodEstimator(CrnnFixture.ModelPath, settings);
        Assert.True(second.LoadedFromCache);
        using var plain = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        Assert.False(plain.LoadedFromCache);
        foreach (var w in CrnnFixture.Windows())
        {
            var a = plain.Estimate(w);
            var b = second.Estimate(w);
            for (var k = 0; k < 4; k++)
            {
                Assert.True(Math.Abs(a.Probabilities[k] - b.Probabilities[k]) <= 1e-5, $"mood {k}: {a.Probabilities[k]} vs {b.Probabilities[k]}");
            }

            Assert.True(Math.Abs(a.Valence - b.Valence) <= 1e-5 && Math.Abs(a.Arousal - b.Arousal) <= 1e-5);
        }
    }

    [Fact]
    public void A_damaged_cached_graph_is_replaced_and_the_model_still_loads()
    {
        var cache = new OptimisedGraphCache(_dir);
        var graph = cache.GraphPath(CrnnFixture.ModelPath, GraphOptimizationLevel.ORT_ENABLE_ALL);
        var valid = File.ReadAllBytes(CrnnFixture.ModelPath);
        File.WriteAllBytes(graph, valid.AsSpan(0, valid.Length / 3).ToArray());   // a truncated write
        using (var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath, new CrnnSessionSettings(OptimisedGraphs: cache)))
        {
            Assert.False(crnn.LoadedFromCache);
            Assert.Equal(4, crnn.Estimate(CrnnFixture.Windows()[0]).Probabilities.Length);
        }

        Assert.True(new FileInfo(graph).Length > valid.Length / 2);
        using var again = new CrnnMoodEstimator(CrnnFixture.ModelPath, new CrnnSessionSettings(OptimisedGraphs: cache));
        Assert.True(again.LoadedFromCache);
    }

    [Fact]
    public void A_cache_that_cannot_be_made_only_costs_the_optimisation()
    {
        var blocker = Path.Combine(_dir, "a-file");
        File.WriteAllText(blocker, "not a directory");
        var cache = new OptimisedGraphCache(Path.Combine(blocker, "cache"));
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath, new CrnnSessionSettings(OptimisedGraphs: cache));
        Assert.False(crnn.LoadedFromCache);
        Assert.Equal(4, crnn.Estimate(CrnnFixture.Windows()[1]).Probabilities.Length);
        Assert.True(File.Exists(blocker));
    }

    [Fact]
    public void A_bad_model_is_still_reported_as_the_model_s_fault_with_a_cache()
    {
        var path = Path.Combine(_dir, "garbage.onnx");
        File.WriteAllText(path, "this is not an ONNX model");
        var e = Assert.Throws<MoodModelException>(() => new CrnnMoodEstimator(path, new CrnnSessionSettings(OptimisedGraphs: new OptimisedGraphCache(Path.Combine(_dir, "c")))));
        Assert.Contains("not a loadable ONNX model", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Path.Combine(_dir, "c")) ? Directory.GetFiles(Path.Combine(_dir, "c")) : []);
    }
}
