namespace LightMood.Tests.Cli;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Csv_of_labelled_clips_gives_metrics_and_confusion()
    {
        TestWav.WritePcm16(Path.Combine(_dir, "a.wav"), TestWav.CalmThenTense());
        TestWav.WritePcm16(Path.Combine(_dir, "b.wav"), TestWav.CalmThenTense()[..(22050 * 5)]);
        File.WriteAllText(Path.Combine(_dir, "labels.csv"), "path,mood\na.wav,happy\nb.wav,Q3\n");
        var (code, stdout, stderr) = LightmoodProcess.Run("evaluate", Path.Combine(_dir, "labels.csv"));
        Assert.True(code == 0, stderr);
        Assert.Contains("2 clips (0 skipped)", stdout);
        Assert.Contains("macro-F1", stdout);
        Assert.Contains("confusion (rows true, columns predicted)", stdout);
        Assert.Contains("crnn.onnx", stdout);
    }

    [Fact]
    public void Bad_mood_in_csv_names_file_and_line()
    {
        var csv = Path.Combine(_dir, "labels.csv");
        File.WriteAllText(csv, "path,mood\na.wav,happy\nb.wav,angry\n");
        var (code, _, stderr) = LightmoodProcess.Run("evaluate", csv);
        Assert.Equal(2, code);
        Assert.Contains("labels.csv:3: mood 'angry'", stderr);
    }

    [Fact]
    public void Export_features_writes_a_numpy_array_per_clip()
    {
        var audio = Directory.CreateDirectory(Path.Combine(_dir, "audio", "Q1")).FullName;
        TestWav.WritePcm16(Path.Combine(audio, "clip.wav"), TestWav.CalmThenTense()[..(22050 * 4)]);
        var (code, _, stderr) = LightmoodProcess.Run("export-features", Path.Combine(_dir, "audio"), Path.Combine(_dir, "mel"));
        Assert.True(code == 0, stderr);
        var bytes = File.ReadAllBytes(Path.Combine(_dir, "mel", "clip.npy"));
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY"u8.ToArray(), bytes[1..6]);
        var headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        var frames = 1 + ((22050 * 4) - 1024) / 512;
        Assert.Contains($"'shape': ({frames}, 108)", header);                 // 96 mel dB + 12 pitch classes per frame
        Assert.Equal(10 + headerLength + (frames * 108 * 4), bytes.Length);
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(10 + headerLength));
        for (var t = 0; t < frames; t++)
        {
            Assert.InRange(values.Slice((t * 108) + 96, 12).ToArray().Sum(), 0.999f, 1.001f);   // chroma sums to 1
            Assert.InRange(values[t * 108], -100f, 40f);                                           // mel dB
        }
    }
}

public sealed class AnalyzeWithCrnnTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-analyze-crnn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Analyze_runs_the_crnn_model_copied_beside_the_executable()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "models", "crnn.onnx")), "models/crnn.onnx is not in the build output");
        var path = Path.Combine(_dir, "song.wav");
        TestWav.WritePcm16(path, TestWav.CalmThenTense());
        var (code, stdout, stderr) = LightmoodProcess.Run("analyze", path, "--json");
        Assert.True(code == 0, stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.NotEmpty(doc.RootElement.GetProperty("regions").EnumerateArray());
    }
}
