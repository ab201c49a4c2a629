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
        // the dark modes are the strobe lights (light only by flashing) and the five definitions docs/lighting.md
        // names, whose shutter has no steady open range at all
        string[] documented =
        [
            "High_End_Systems/High-End-Systems-Xspot-Xtreme.qxf", "Pro-Lights/Pro-Lights-XP250.qxf", "Pro-Lights/Pro-Lights-XP575-Spot.qxf",
            "Proel/Proel-Dreamlight-250-Eclipse-Spot.qxf", "beamZ/beamZ-MHL108-Wash-MKII.qxf",
        ];
        var darkFiles = report.Failures.Where(f => f.Problem.StartsWith("dark", StringComparison.Ordinal)).Select(f => f.File).Distinct().ToList();
        Assert.All(darkFiles.Where(f => !f.Contains("Thunder", StringComparison.Ordinal) && !f.Contains("Stormy", StringComparison.Ordinal) &&
                                        !f.Contains("Atomic", StringComparison.Ordinal) && !f.Contains("Explo", StringComparison.Ordinal)),
            f => Assert.Contains(f, documented));
        Assert.InRange(report.DarkByDefinition - report.StrobeLights, 0, documented.Length);
        Assert.InRange(report.StrobeLights, 0, 16);
        Assert.Equal(report.StrobeLights, report.StrobeLightsFlashing);   // each flashes, decoded lit, when a look strobes
        Assert.All(report.Inferences, i => Assert.NotEmpty(i.Problem));
    }

    [Fact]
    public void The_decoder_reads_an_LED_strobe_bottom_as_steady_and_a_programme_blackout_as_off_only_beside_emitters()
    {
        QxfCapability Cap(int min, int max, string name, string? preset = null) => new((byte)min, (byte)max, name, preset, null, null);
        var red = new QxfChannel("Red", "IntensityRed", null, null, false, []);
        var green = new QxfChannel("Green", "IntensityGreen", null, null, false, []);
        var blue = new QxfChannel("Blue", "IntensityBlue", null, null, false, []);
        var dimmer = new QxfChannel("Dimmer", "IntensityDimmer", null, null, false, []);
        var strobe = new QxfChannel("Strobe Speed", null, "Shutter", null, false, [Cap(0, 15, "Black Out", "ShutterClose"), Cap(16, 255, "Speed Slow -> Fast", "StrobeSlowToFast")]);

        // an LED par: the strobe channel's "Black Out" is its steady light
        var par = ModeReading.Read([red, green, blue, strobe], [255, 0, 0, 0], "Color Changer");
        Assert.True(par.Lit, par.Dark);
        Assert.True(par.LitByInference);
        Assert.Contains("Black Out", Assert.Single(par.Inferred!), StringComparison.Ordinal);
        // a strobe light, or a lamp head without emitters (a mechanical shutter), stays dark there
        Assert.False(ModeReading.Read([red, green, blue, strobe], [255, 0, 0, 0], "Strobe").Lit);
        var lamp = ModeReading.Read([dimmer, strobe], [255, 0], "Moving Head");
        Assert.False(lamp.Lit);
        Assert.True(lamp.DarkByDefinition);
        // a shutter whose other range is not a strobe ("See manual") is not read as steady
        var unknown = new QxfChannel("Shutter", null, "Shutter", null, false, [Cap(0, 23, "Close", "ShutterClose"), Cap(24, 255, "See manual")]);
        Assert.False(ModeReading.Read([red, green, blue, unknown], [255, 0, 0, 0], "Moving Head").Lit);

        // a show channel at "Blackout": programme off beside emitters, dark without them
        var shows = new QxfChannel("Shows", null, "Effect", null, false, [Cap(0, 7, "Blackout"), Cap(8, 37, "1"), Cap(38, 67, "2")]);
        var beside = ModeReading.Read([red, green, blue, shows], [0, 0, 255, 0], "Color Changer");
        Assert.True(beside.Lit, beside.Dark);
        Assert.Contains("programme off", Assert.Single(beside.Inferred!), StringComparison.Ordinal);
        Assert.False(ModeReading.Read([dimmer, shows], [255, 0], "Flower").Lit);
        var running = ModeReading.Read([dimmer, shows], [255, 8], "Flower");
        Assert.True(running.Lit);
        Assert.False(running.LitByInference);
    }

    [Fact]
    public void A_strobe_light_whose_intensity_is_a_flash_intensity_is_lit_only_while_a_rate_is_set()
    {
        QxfCapability Cap(int min, int max, string name) => new((byte)min, (byte)max, name, null, null, null);
        var intensity = new QxfChannel("Intensity", null, "Intensity", null, false, [Cap(0, 5, "Blackout"), Cap(6, 255, "Flash intensity")]);
        var duration = new QxfChannel("Duration", null, "Speed", null, false, []);
        var rate = new QxfChannel("Rate", null, "Speed", null, false, [Cap(0, 5, "Single flash"), Cap(6, 255, "0.5 to 25/30Hz")]);
        QxfChannel[] atomic = [intensity, duration, rate];

        var steady = ModeReading.Read(atomic, [200, 0, 0], "Strobe");
        Assert.False(steady.Lit);
        Assert.True(steady.DarkByDefinition);
        Assert.Contains("not flashing", steady.Dark, StringComparison.Ordinal);
        Assert.True(ModeReading.Read(atomic, [200, 0, 40], "Strobe").Lit);
        Assert.False(ModeReading.Read(atomic, [0, 0, 40], "Strobe").Lit);   // flashing at intensity "Blackout"
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
