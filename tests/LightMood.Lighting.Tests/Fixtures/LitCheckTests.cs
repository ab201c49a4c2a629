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

        Assert.Equal(0, report.ImportFailures);
        Assert.True(report.Checked > 3500, $"{report.Checked} modes checked");
        // no mode is dark by a value LightMood chose; the rest have a channel whose definition offers only closed,
        // strobe or programme ranges (a bound, so that a regression in the importer shows)
        Assert.Equal(report.DarkByDefinition, report.Dark);
        Assert.InRange(report.DarkByDefinition, 0, 90);
        Assert.True(report.MixingWithin >= 0.96 * report.Mixing, $"{report.MixingWithin} of {report.Mixing} mixing modes within {report.ColourTolerance}");
        Assert.True(report.WheelNearest >= 0.9 * report.Wheel, $"{report.WheelNearest} of {report.Wheel} wheel-only modes on the nearest slot");
        Assert.True(report.Took < TimeSpan.FromSeconds(60), $"took {report.Took}");
    }

    [Fact]
    public void The_decoder_sees_a_closed_shutter_a_zero_dimmer_and_a_macro_over_the_mix()
    {
        QxfCapability Cap(int min, int max, string name, string? preset = null, string? colour = null) => new((byte)min, (byte)max, name, preset, colour, null);
        var shutter = new QxfChannel("Shutter", null, "Shutter", null, false, [Cap(0, 19, "Shutter closed"), Cap(20, 49, "Shuuter open"), Cap(50, 64, "Strobe (fast ->slow)")]);
        var dimmer = new QxfChannel("Dimmer", "IntensityDimmer", null, null, false, []);
        var red = new QxfChannel("Red", "IntensityRed", null, null, false, []);
        var green = new QxfChannel("Green", "IntensityGreen", null, null, false, []);
        var blue = new QxfChannel("Blue", "IntensityBlue", null, null, false, []);
        var macro = new QxfChannel("Macro", null, "Colour", null, false, [Cap(0, 7, "No function"), Cap(8, 15, "Light red", "ColorMacro", "#ff8080")]);
        QxfChannel[] mode = [shutter, dimmer, red, green, blue, macro];

        var lit = ModeReading.Read(mode, [20, 255, 255, 0, 0, 0]);
        Assert.True(lit.Lit);
        Assert.Equal(ColourSystem.Mixing, lit.System);
        Assert.Equal(Rigs.Parse("#ff0000"), lit.Colour);
        Assert.Null(lit.Override);

        var closed = ModeReading.Read(mode, [0, 255, 255, 0, 0, 0]);
        Assert.False(closed.Lit);
        Assert.Contains("Shutter closed", closed.Dark, StringComparison.Ordinal);
        Assert.False(closed.DarkByDefinition);                       // "Shuuter open" was there to choose
        Assert.False(ModeReading.Read(mode, [20, 0, 255, 0, 0, 0]).Lit);
        Assert.True(ModeReading.Read(mode, [55, 255, 255, 0, 0, 0]).Lit);   // strobing is lit
        Assert.Contains("Light red", ModeReading.Read(mode, [20, 255, 255, 0, 0, 9]).Override, StringComparison.Ordinal);
    }
}
