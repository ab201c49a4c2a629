namespace LightMood.Tests.Cli;

/// <summary><c>lightmood fixtures import</c>, run as the real executable on real QLC+ definitions.</summary>
public sealed class FixturesCommandTests
{
    private static (int Exit, string Stdout, string Stderr) Lightmood(params string[] args) => LightmoodProcess.Run(args);

    private const string Qxf = "/usr/share/qlcplus/fixtures/Generic/Generic-Generic-RGBW.qxf";

    [SkippableFact]
    public void Import_writes_a_profile_a_patch_can_name()
    {
        Skip.IfNot(File.Exists(Qxf), $"{Qxf} is absent: install Debian's qlcplus package (CI does)");
        var dir = Directory.CreateTempSubdirectory("lightmood-import-");
        try
        {
            var (exit, stdout, stderr) = Lightmood("fixtures", "import", Qxf, "--out", dir.FullName);
            Assert.True(exit == 0, stderr);
            var file = Path.Combine(dir.FullName, "generic-generic-rgbw.json");
            Assert.True(File.Exists(file), stdout);
            Assert.Contains("\"profile\": \"Generic/Generic RGBW\"", stdout, StringComparison.Ordinal);
            var profile = LightMood.Lighting.Fixtures.FixtureProfileJson.Load(file);
            Assert.Equal(5, profile.FindMode("RGBW Dimmer")!.Footprint);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [SkippableFact]
    public void Import_print_writes_the_profile_on_stdout_only()
    {
        Skip.IfNot(File.Exists(Qxf), $"{Qxf} is absent: install Debian's qlcplus package (CI does)");
        var (exit, stdout, _) = Lightmood("fixtures", "import", Qxf, "--print");
        Assert.Equal(0, exit);
        var profile = LightMood.Lighting.Fixtures.FixtureProfileJson.Parse(stdout, "stdout");
        Assert.Equal("Generic/Generic RGBW", profile.Key);
    }

    [Fact]
    public void A_malformed_definition_exits_2_with_one_error_naming_the_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"lightmood-bad-{Guid.NewGuid():N}.qxf");
        File.WriteAllText(file, "<FixtureDefinition><Model>x</Mod");
        try
        {
            var (exit, stdout, stderr) = Lightmood("fixtures", "import", file);
            Assert.Equal(2, exit);
            Assert.Empty(stdout);
            Assert.Contains(file, stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var (usageExit, _, usage) = Lightmood("fixtures");
            Assert.Equal(2, usageExit);
            Assert.Contains("fixtures import FILE.qxf", usage, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public void Check_runs_the_lit_check_over_a_folder_and_says_the_counts()
    {
        Skip.IfNot(File.Exists(Qxf), $"{Qxf} is absent: install Debian's qlcplus package (CI does)");
        var dir = Directory.CreateTempSubdirectory("lightmood-check-");
        try
        {
            foreach (var f in new[] { Qxf, "/usr/share/qlcplus/fixtures/Martin/Martin-MAC-401-Dual-RGB.qxf", "/usr/share/qlcplus/fixtures/Clay_Paky/Clay-Paky-Sharpy-Plus.qxf" })
            {
                File.Copy(f, Path.Combine(dir.FullName, Path.GetFileName(f)));
            }

            var (exit, stdout, stderr) = Lightmood("fixtures", "check", dir.FullName);
            Assert.True(exit == 0, stdout + stderr);
            Assert.Contains("3 definitions", stdout, StringComparison.Ordinal);
            Assert.Contains("dark by a value LightMood chose: 0", stdout, StringComparison.Ordinal);
            Assert.Matches(@"lit in every mood:\s+\d+", stdout);

            Assert.Equal(2, Lightmood("fixtures", "check", Path.Combine(dir.FullName, "nowhere")).Exit);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
