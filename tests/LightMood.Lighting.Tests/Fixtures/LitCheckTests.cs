using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Fixtures.LitCheck;
using LightMood.Lighting.Scenes;
using Xunit.Abstractions;

namespace LightMood.Lighting.Tests.Fixtures;

/// <summary>The lit-check over Debian's QLC+ fixture library: every mode with a light channel, every mood's look.</summary>
public sealed class LitCheckTests(ITestOutputHelper output)
{
    private static SceneBook ShippedScenes()
    {
        var patch = PatchLoader.Load(Path.Combine(Repo.Config, "patch.json"));
        return SceneLoader.Load(Path.Combine(Repo.Config, "scenes.json"), patch);
    }

    [SkippableFact]
    public void Every_mode_of_the_whole_QLC_library_is_lit_in_every_mood()
    {
        Skip.IfNot(Directory.Exists(Repo.QlcFixtures), "QLC+ fixture library absent: install Debian's qlcplus package (CI does)");
        var report = FixtureLitCheck.Run(Repo.QlcFixtures, ShippedScenes());
        output.WriteLine(report with { Failures = [] } + "");
        foreach (var g in report.Failures.GroupBy(f => System.Text.RegularExpressions.Regex.Replace(f.Problem, @"[0-9.]+|'[^']*'|""[^""]*""|#[0-9a-f]{6}", "_")).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"{g.Count(),5} × {g.Key}   e.g. {g.First().File} [{g.First().Mode}] {g.First().Mood}: {g.First().Problem}");
        }

        if (Environment.GetEnvironmentVariable("LIGHTMOOD_LITCHECK_DUMP") is { } dump)
        {
            File.WriteAllLines(dump, report.Failures.Select(f => $"{f.File}\t{f.Mode}\t{f.Mood}\t{f.Problem}"));
        }

        Assert.Equal(0, report.Dark);
    }
}
