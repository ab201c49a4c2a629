namespace LightMood.Tests.Cli;

public sealed class EvaluateSegmentsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Prints_boundary_error_and_per_mood_precision_recall_for_a_folder()
    {
        TestWav.WritePcm16(Path.Combine(_dir, "edit.wav"), TestWav.CalmThenTense());
        File.WriteAllText(Path.Combine(_dir, "edit.regions.json"),
            """{"regions":[{"start_s":0,"end_s":12,"mood":"sad"},{"start_s":12,"end_s":24,"mood":"happy"}],"boundaries_s":[12.0]}""");
        var (code, stdout, stderr) = LightmoodProcess.Run("evaluate-segments", _dir, "--tolerance", "0.5");
        Assert.True(code == 0, stderr);
        Assert.Contains("boundaries: 1 matched of 1 true, 0 missed, 0 false", stdout);
        Assert.Contains("timing error (ms): min", stdout);
        Assert.Contains("mood    true_s  predicted_s  precision  recall", stdout);
        Assert.Contains("happy", stdout);
    }

    [Fact]
    public void Bad_truth_names_the_file_and_field()
    {
        TestWav.WritePcm16(Path.Combine(_dir, "a.wav"), new float[22050]);
        var truth = Path.Combine(_dir, "a.regions.json");
        File.WriteAllText(truth, """{"regions":[{"start_s":0,"end_s":1,"mood":"angry"}]}""");
        var (code, _, stderr) = LightmoodProcess.Run("evaluate-segments", Path.Combine(_dir, "a.wav"), truth);
        Assert.Equal(2, code);
        Assert.Contains("a.regions.json: regions[0].mood", stderr);
    }
}
