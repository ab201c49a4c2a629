using System.Text.Json;

namespace LightMood.Tests.Cli;

public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-analyze-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Json_output_is_exactly_the_contract()
    {
        var path = Path.Combine(_dir, "song.wav");
        TestWav.WritePcm16(path, TestWav.CalmThenTense());
        var (code, stdout, stderr) = LightmoodProcess.Run("analyze", path, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["file", "duration_s", "tempo_bpm", "regions", "boundaries_s"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("song.wav", root.GetProperty("file").GetString());
        var duration = root.GetProperty("duration_s").GetDouble();
        Assert.Equal(24.0, duration, 3);
        var tempo = root.GetProperty("tempo_bpm").GetDouble();   // the demo's calm section is at 72 BPM, its tense one at 150
        Assert.True(Math.Abs(tempo - 72) <= 72 * 0.02 || Math.Abs(tempo - 150) <= 150 * 0.02, $"tempo {tempo}");
        var regions = root.GetProperty("regions").EnumerateArray().ToList();
        Assert.NotEmpty(regions);
        Assert.Equal(0, regions[0].GetProperty("start_s").GetDouble());
        Assert.Equal(duration, regions[^1].GetProperty("end_s").GetDouble());
        string[] moods = ["happy", "tense", "sad", "calm"];
        for (var i = 0; i < regions.Count; i++)
        {
            var r = regions[i];
            Assert.Equal(["start_s", "end_s", "mood", "confidence", "valence", "arousal"], r.EnumerateObject().Select(p => p.Name));
            Assert.Contains(r.GetProperty("mood").GetString(), moods);
            Assert.InRange(r.GetProperty("confidence").GetDouble(), 0, 1);
            Assert.InRange(r.GetProperty("valence").GetDouble(), -1, 1);
            Assert.InRange(r.GetProperty("arousal").GetDouble(), -1, 1);
            if (i > 0)
            {
                Assert.Equal(regions[i - 1].GetProperty("end_s").GetDouble(), r.GetProperty("start_s").GetDouble());
            }
        }

        var boundaries = root.GetProperty("boundaries_s").EnumerateArray().Select(b => b.GetDouble()).ToList();
        Assert.Equal(regions.Skip(1).Select(r => r.GetProperty("start_s").GetDouble()), boundaries);
        var change = Assert.Single(boundaries);
        Assert.InRange(change, 11.9, 12.1);
        Assert.True(regions[0].GetProperty("arousal").GetDouble() < 0);
        Assert.True(regions[1].GetProperty("arousal").GetDouble() > 0);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void A_longer_window_hop_gives_the_same_contract_and_the_same_boundary()
    {
        var path = Path.Combine(_dir, "song.wav");
        TestWav.WritePcm16(path, TestWav.CalmThenTense());
        var (code, stdout, stderr) = LightmoodProcess.Run("analyze", path, "--json", "--window-hop", "44");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["file", "duration_s", "tempo_bpm", "regions", "boundaries_s"], root.EnumerateObject().Select(p => p.Name));
        var change = Assert.Single(root.GetProperty("boundaries_s").EnumerateArray()).GetDouble();
        Assert.InRange(change, 11.9, 12.1);
        var regions = root.GetProperty("regions").EnumerateArray().ToList();
        Assert.True(regions[0].GetProperty("arousal").GetDouble() < 0);
        Assert.True(regions[1].GetProperty("arousal").GetDouble() > 0);
    }

    [Fact]
    public void Table_output_is_readable()
    {
        var path = Path.Combine(_dir, "song.wav");
        TestWav.WritePcm16(path, TestWav.CalmThenTense());
        var (code, stdout, _) = LightmoodProcess.Run("analyze", path);
        Assert.Equal(0, code);
        Assert.Matches(@"tempo (7[0-4]|1(4[7-9]|5[0-3]))\.\d BPM", stdout);
        Assert.Contains("start      end        mood", stdout);
        Assert.Contains("00:00.000", stdout);
    }

    [Theory]
    [InlineData(double.NegativeInfinity)]   // digital silence
    [InlineData(-70.0)]                     // a noise floor at −70 dBFS RMS
    public void Two_minutes_of_silence_are_one_silence_region_never_a_mood(double dbfs)
    {
        var path = Path.Combine(_dir, "silence.wav");
        TestWav.WritePcm16(path, TestWav.Noise(120, dbfs));
        var (code, stdout, stderr) = LightmoodProcess.Run("analyze", path, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var region = Assert.Single(doc.RootElement.GetProperty("regions").EnumerateArray());
        Assert.Equal("silence", region.GetProperty("mood").GetString());
        Assert.Equal(0, region.GetProperty("start_s").GetDouble());
        Assert.Equal(120, region.GetProperty("end_s").GetDouble(), 3);
        Assert.Equal(-1, region.GetProperty("arousal").GetDouble());
        Assert.Empty(doc.RootElement.GetProperty("boundaries_s").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("tempo_bpm").ValueKind);
    }

    [Fact]
    public void A_ten_second_gap_in_real_music_is_a_silence_region_within_half_a_second()
    {
        // the demo's calm section, 10 s of silence, its tense section (the CRNN on real music)
        var music = TestWav.CalmThenTense();
        var half = music.Length / 2;
        var path = Path.Combine(_dir, "gap.wav");
        TestWav.WritePcm16(path, [.. music.AsSpan(0, half), .. new float[10 * 22050], .. music.AsSpan(half)]);
        var (code, stdout, stderr) = LightmoodProcess.Run("analyze", path, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var regions = doc.RootElement.GetProperty("regions").EnumerateArray().ToList();
        var silence = Assert.Single(regions, r => r.GetProperty("mood").GetString() == "silence");
        Assert.InRange(silence.GetProperty("start_s").GetDouble(), 12 - 0.5, 12 + 0.5);
        Assert.InRange(silence.GetProperty("end_s").GetDouble(), 22 - 0.5, 22 + 0.5);
        Assert.NotEqual("silence", regions[0].GetProperty("mood").GetString());
        Assert.NotEqual("silence", regions[^1].GetProperty("mood").GetString());
        Assert.Equal(regions.Skip(1).Select(r => r.GetProperty("start_s").GetDouble()),
            doc.RootElement.GetProperty("boundaries_s").EnumerateArray().Select(b => b.GetDouble()));

        var (_, table, _) = LightmoodProcess.Run("analyze", path);
        Assert.Matches(@"silence\s+1\.00\s+\+0\.00\s+-1\.00\s+Silence", table);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "missing.wav", "not found" },
        { "empty.wav", "empty" },
        { "truncated.wav", "" },
        { "corrupt.ogg", "" },
        { "notes.txt", "unsupported" },
        { "zero.wav", "no audio" },
        { "nan.wav", "not a finite number" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_input_gives_one_line_naming_the_file_and_exit_code_2(string name, string problem)
    {
        var path = Path.Combine(_dir, name);
        switch (name)
        {
            case "empty.wav":
                File.WriteAllBytes(path, []);
                break;
            case "truncated.wav":
                TestWav.WritePcm16(path, TestWav.CalmThenTense()[..22050]);
                File.WriteAllBytes(path, File.ReadAllBytes(path)[..30]);
                break;
            case "corrupt.ogg":
                File.WriteAllBytes(path, [.. "OggS"u8.ToArray(), .. Enumerable.Range(0, 4000).Select(i => (byte)(i * 37))]);
                break;
            case "notes.txt":
                File.WriteAllText(path, "not audio at all");
                break;
            case "zero.wav":
                TestWav.WritePcm16(path, []);
                break;
            case "nan.wav":
                TestWav.WriteFloat(path, [0.1f, float.NaN, 0.2f]);
                break;
        }

        var (code, stdout, stderr) = LightmoodProcess.Run("analyze", path, "--json");
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(name, line);
        Assert.Contains(problem, line);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(2, LightmoodProcess.Run("analyze").ExitCode);
        Assert.Equal(2, LightmoodProcess.Run("analyze", "a.wav", "b.wav").ExitCode);
    }
}
