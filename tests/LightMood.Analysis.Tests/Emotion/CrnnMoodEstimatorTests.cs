using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Tests.Emotion;

public sealed class CrnnMoodEstimatorTests
{
    [Fact]
    public void Outputs_match_pytorch_on_fixture_windows()
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        var expected = CrnnFixture.Expected();
        var logits = CrnnFixture.Rows(expected, "logits");
        var va = CrnnFixture.Rows(expected, "valence_arousal");
        var emb = CrnnFixture.Rows(expected, "embedding");
        var windows = CrnnFixture.Windows();
        Assert.Equal(logits.Length, windows.Length);
        Assert.True(windows.Length >= 8);
        for (var w = 0; w < windows.Length; w++)
        {
            var e = crnn.Estimate(windows[w]);
            var p = CrnnMoodEstimator.Softmax(logits[w]);
            for (var k = 0; k < 4; k++)
            {
                Assert.True(Math.Abs(p[k] - e.Probabilities[k]) <= 1e-4, $"window {w} mood {k}: {p[k]} vs {e.Probabilities[k]}");
            }

            Assert.True(Math.Abs(va[w][0] - e.Valence) <= 1e-4, $"window {w} valence {va[w][0]} vs {e.Valence}");
            Assert.True(Math.Abs(va[w][1] - e.Arousal) <= 1e-4, $"window {w} arousal {va[w][1]} vs {e.Arousal}");
            Assert.Equal(emb[w].Length, e.Embedding.Length);
            for (var i = 0; i < emb[w].Length; i++)
            {
                Assert.True(Math.Abs(emb[w][i] - e.Embedding[i]) <= 1e-4, $"window {w} embedding[{i}] {emb[w][i]} vs {e.Embedding[i]}");
            }
        }
    }

    [Fact]
    public void A_batch_gives_what_one_window_at_a_time_gives()
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        Assert.Equal(CrnnFixture.Chroma, crnn.ChromaBands);
        var windows = CrnnFixture.Windows();
        var batch = crnn.EstimateBatch([.. windows.SelectMany(w => w)], windows.Length);
        Assert.Equal(windows.Length, batch.Length);
        for (var w = 0; w < windows.Length; w++)
        {
            var one = crnn.Estimate(windows[w]);
            for (var k = 0; k < 4; k++)
            {
                Assert.True(Math.Abs(one.Probabilities[k] - batch[w].Probabilities[k]) <= 1e-5, $"window {w} mood {k}");
            }

            Assert.Equal(one.Embedding.Length, batch[w].Embedding.Length);
            Assert.True(Math.Abs(one.Valence - batch[w].Valence) <= 1e-5);
        }

        Assert.Empty(crnn.EstimateBatch([], 0));
        Assert.Throws<ArgumentException>(() => crnn.EstimateBatch(new float[10], 1));
    }

    [Fact]
    public void The_shipped_model_shares_its_front_end_over_a_strip_of_overlapping_windows()
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        Assert.True(crnn.TakesStrip, "the shipped model has the strip inputs (framewise front end)");
        Assert.Equal(0, MoodWindow.HopFrames % MoodWindowBatch.StripStride);
    }

    [Theory]
    [InlineData(MoodWindow.HopFrames)]   // the offline verbs: every window on one strip
    [InlineData(40)]                     // aligned, another hop
    [InlineData(22)]                     // not aligned: each window its own stretch
    [InlineData(136)]                    // no overlap
    public void Windows_cut_from_one_stream_give_window_by_window_results_whatever_their_starts(int hop)
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        // a stream of frames in the ranges of real input: a spectral shape with a pulse, a slow drift and noise
        const int Count = 9;
        var bands = 96;
        var frames = MoodWindow.Frames + ((Count - 1) * hop);
        var random = new Random(5);
        var mel = new float[frames * bands];
        var chroma = new float[frames * crnn.ChromaBands];
        for (var t = 0; t < frames; t++)
        {
            for (var b = 0; b < bands; b++)
            {
                mel[(t * bands) + b] = (float)(-30 + (20 * Math.Sin(b / 9.0)) - (0.3 * b) + (8 * Math.Sin(t / 40.0)) + (t % 21 < 3 ? 6 : 0) + (random.NextDouble() * 6));
            }

            var sum = 0f;
            for (var c = 0; c < crnn.ChromaBands; c++)
            {
                sum += chroma[(t * crnn.ChromaBands) + c] = (float)random.NextDouble() + (c is 0 or 4 or 7 ? 1f : 0f);
            }

            for (var c = 0; c < crnn.ChromaBands; c++)
            {
                chroma[(t * crnn.ChromaBands) + c] /= sum;
            }
        }

        using var batch = crnn.CreateBatch(Count);
        var windows = new float[Count][];
        for (var i = 0; i < Count; i++)
        {
            var start = i * hop;
            windows[i] = [.. mel.AsSpan(start * bands, MoodWindow.Frames * bands), .. chroma.AsSpan(start * crnn.ChromaBands, MoodWindow.Frames * crnn.ChromaBands)];
            batch.SetWindow(i, windows[i]);
            batch.SetStart(i, start);
        }

        batch.Run(Count);
        var p = new float[4];
        for (var i = 0; i < Count; i++)
        {
            var one = crnn.Estimate(windows[i]);
            batch.Probabilities(i, p);
            for (var k = 0; k < 4; k++)
            {
                Assert.True(Math.Abs(one.Probabilities[k] - p[k]) <= 1e-4, $"hop {hop} window {i} mood {k}: {one.Probabilities[k]} vs {p[k]}");
            }

            Assert.True(Math.Abs(one.Arousal - batch.Arousal(i)) <= 1e-4, $"hop {hop} window {i} arousal");
            for (var e = 0; e < one.Embedding.Length; e++)
            {
                Assert.True(Math.Abs(one.Embedding[e] - batch.Embedding(i)[e]) <= 1e-3, $"hop {hop} window {i} embedding[{e}]: {one.Embedding[e]} vs {batch.Embedding(i)[e]}");
            }
        }
    }

    [Fact]
    public void A_reused_window_batch_gives_single_run_results_for_full_and_short_batches()
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        var windows = CrnnFixture.Windows();
        using var batch = crnn.CreateBatch(4);
        Assert.Equal(4, batch.Capacity);
        Assert.Equal(crnn.EmbeddingSize, batch.EmbeddingSize);
        var p = new float[4];
        // full batches and a short last one, over the same buffers
        for (var first = 0; first < windows.Length; first += 4)
        {
            var n = Math.Min(4, windows.Length - first);
            for (var i = 0; i < n; i++)
            {
                batch.SetWindow(i, windows[first + i]);
            }

            batch.Run(n);
            for (var i = 0; i < n; i++)
            {
                var one = crnn.Estimate(windows[first + i]);
                batch.Probabilities(i, p);
                for (var k = 0; k < 4; k++)
                {
                    Assert.True(Math.Abs(one.Probabilities[k] - p[k]) <= 1e-5, $"window {first + i} mood {k}: {one.Probabilities[k]} vs {p[k]}");
                }

                Assert.True(Math.Abs(one.Valence - batch.Valence(i)) <= 1e-5 && Math.Abs(one.Arousal - batch.Arousal(i)) <= 1e-5, $"window {first + i}");
                Assert.True(Math.Abs(one.Embedding[7] - batch.Embedding(i)[7]) <= 1e-4);
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Run(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Run(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.MelWindow(4));
        Assert.Throws<ArgumentException>(() => batch.SetWindow(0, new float[10]));
    }

    [Fact]
    public void Session_settings_are_checked_and_every_optimisation_level_gives_the_same_answer()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrnnMoodEstimator(CrnnFixture.ModelPath, new CrnnSessionSettings(IntraOpThreads: 0)));
        var w = CrnnFixture.Windows()[3];
        using var all = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        using var basic = new CrnnMoodEstimator(CrnnFixture.ModelPath, new CrnnSessionSettings(2, Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_BASIC));
        var a = all.Estimate(w);
        var b = basic.Estimate(w);
        for (var k = 0; k < 4; k++)
        {
            Assert.True(Math.Abs(a.Probabilities[k] - b.Probabilities[k]) <= 1e-4, $"mood {k}: {a.Probabilities[k]} vs {b.Probabilities[k]}");
        }
    }

    [Fact]
    public void Repeated_calls_reuse_buffers_and_stay_deterministic()
    {
        using var crnn = new CrnnMoodEstimator(CrnnFixture.ModelPath);
        var w = CrnnFixture.Windows();
        var first = crnn.Estimate(w[0]);
        crnn.Estimate(w[5]);
        var again = crnn.Estimate(w[0]);
        Assert.Equal(first.Probabilities, again.Probabilities);
        Assert.Equal(first.Embedding, again.Embedding);
        Assert.NotSame(first.Embedding, again.Embedding);
        Assert.Throws<ArgumentException>(() => crnn.Estimate(new float[100]));
    }

    [Fact]
    public void Missing_model_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "lightmood-no-such-model-" + Guid.NewGuid() + ".onnx");
        var e = Assert.Throws<MoodModelException>(() => new CrnnMoodEstimator(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "lightmood-corrupt-" + Guid.NewGuid() + ".onnx");
        File.WriteAllBytes(path, File.ReadAllBytes(CrnnFixture.ModelPath).AsSpan(0, 300).ToArray());
        try
        {
            var e = Assert.Throws<MoodModelException>(() => new CrnnMoodEstimator(path));
            Assert.Equal(path, e.ModelPath);
            Assert.Contains("not a loadable ONNX model", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Wrong_input_name_and_shape_are_reported()
    {
        // the committed model with its input renamed / its embedding output renamed, edited in the protobuf bytes
        var bytes = File.ReadAllBytes(CrnnFixture.ModelPath);
        var renamedInput = WithRenamed(bytes, "mel", "mfc", "renamed-input");
        var e = Assert.Throws<MoodModelException>(() => new CrnnMoodEstimator(renamedInput));
        Assert.Contains("no input named 'mel'", e.Message, StringComparison.Ordinal);
        Assert.Contains(renamedInput, e.Message, StringComparison.Ordinal);
        File.Delete(renamedInput);

        var renamedOutput = WithRenamed(bytes, "logits", "logitz", "renamed-output");
        e = Assert.Throws<MoodModelException>(() => new CrnnMoodEstimator(renamedOutput));
        Assert.Contains("no output named 'logits'", e.Message, StringComparison.Ordinal);
        File.Delete(renamedOutput);
    }

    [Fact]
    public void Wrong_shape_is_reported()
    {
        var path = Path.Combine(RepoFixtures(), "crnn", "wrong_shape.onnx");
        var e = Assert.Throws<MoodModelException>(() => new CrnnMoodEstimator(path));
        Assert.Contains("input 'mel' must have shape [N, 128, 96]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_resolution_finds_the_committed_model()
    {
        using var crnn = DefaultMoodEstimator.CreateCrnn();
        Assert.True(File.Exists(crnn.ModelPath));
        Assert.True(crnn.EmbeddingSize > 0);
    }

    private static string RepoFixtures() => Path.Combine(CrnnFixture.RepoRoot, "fixtures");

    /// <summary>Replaces every occurrence of an ASCII name of the same length in the model bytes (names are plain protobuf strings).</summary>
    private static string WithRenamed(byte[] model, string from, string to, string tag)
    {
        Assert.Equal(from.Length, to.Length);
        var copy = (byte[])model.Clone();
        var f = System.Text.Encoding.ASCII.GetBytes(from);
        var t = System.Text.Encoding.ASCII.GetBytes(to);
        var count = 0;
        for (var i = 0; i + f.Length <= copy.Length; i++)
        {
            // a protobuf string field: length byte then the exact bytes
            if (copy[i] == f.Length && i + 1 + f.Length <= copy.Length && copy.AsSpan(i + 1, f.Length).SequenceEqual(f))
            {
                t.CopyTo(copy, i + 1);
                count++;
            }
        }

        Assert.True(count > 0, $"'{from}' not found in the model");
        var path = Path.Combine(Path.GetTempPath(), $"lightmood-{tag}-{Guid.NewGuid()}.onnx");
        File.WriteAllBytes(path, copy);
        return path;
    }
}
