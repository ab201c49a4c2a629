using System.Text.Json;

namespace LightMood.Analysis.Tests.Emotion;

/// <summary>The committed model (models/crnn.onnx) and its parity fixtures (fixtures/crnn/, written by src/training/train.py).</summary>
internal static class CrnnFixture
{
    public const int Frames = 128;
    public const int Bands = 96;

    public static string RepoRoot { get; } = FindRoot();

    public static string ModelPath => Path.Combine(RepoRoot, "models", "crnn.onnx");

    /// <summary>Pitch classes per frame in the fixture windows (0 for a mel-only model).</summary>
    public static int Chroma => Expected().TryGetProperty("chroma", out var c) ? c.GetInt32() : 0;

    /// <summary>The fixture windows, each [128 × 96] time-major dB followed by [128 × 12] chroma when the model reads it.</summary>
    public static float[][] Windows()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoRoot, "fixtures", "crnn", "windows.f32"));
        var all = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, all, 0, bytes.Length);
        var size = Frames * (Bands + Chroma);
        return [.. Enumerable.Range(0, all.Length / size).Select(i => all.AsSpan(i * size, size).ToArray())];
    }

    public static JsonElement Expected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot, "fixtures", "crnn", "expected.json")));
        return doc.RootElement.Clone();
    }

    public static float[][] Rows(JsonElement e, string name) =>
        [.. e.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray())];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "fixtures", "crnn", "expected.json")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("fixtures/crnn not found above " + AppContext.BaseDirectory);
    }
}
