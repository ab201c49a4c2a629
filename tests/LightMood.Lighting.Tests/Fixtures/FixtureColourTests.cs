using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Fixtures.LitCheck;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Fixtures;

/// <summary>
/// Real QLC+ definitions (Debian's qlcplus), patched alone and rendered: colour macros and virtual wheels stay open
/// beside RGB mixing, shutters open, CMY/HSV/CTC drive colour, a wheel is used only when it is the only colour.
/// </summary>
public sealed class FixtureColourTests
{
    private static string Qxf(string relative)
    {
        var path = Path.Combine(Repo.QlcFixtures, relative);
        Skip.IfNot(File.Exists(path), $"{path} is absent: install Debian's qlcplus package (CI does)");
        return path;
    }

    /// <summary>The DMX of <paramref name="mode"/> showing <paramref name="colour"/> at full intensity, no modulation.</summary>
    private static byte[] Render(string file, string mode, string colour, double warmth = 0)
    {
        var profile = QxfImporter.Load(Qxf(file));
        var m = profile.FindMode(mode) ?? throw new ArgumentException($"no mode {mode} in {file}");
        var patch = new Patch([new PatchedFixture("f", profile, m, 0, 1, "pars", 0, 0)]);
        var look = MoodLook.Static(1.0, Rigs.Parse(colour));
        var scenes = new SceneBook(
            Enum.GetValues<Mood>().ToDictionary(x => x, _ => look),
            new SilenceSetting(0.05, 1, 1, look), look, 0, new Modulation(0, 0, warmth));
        using var engine = new LightingEngine(patch, scenes, new LightingOptions { ModulationSmoothingSeconds = 0 }, []);
        engine.UpdateMood(new MoodState(0, Mood.Happy, 0.9, 1, 0, 0, 0.5, null));   // valence 1: warmth = the modulation's k
        engine.RenderFrame();
        var frame = new byte[512];
        engine.CopyFrame(0, frame);
        return frame[..m.Footprint];
    }

    private static ModeReading Read(string file, string mode, byte[] dmx) =>
        ModeReading.Read(QxfDefinition.Load(Qxf(file))!.Modes.Single(x => x.Name == mode).Channels, dmx);

    [SkippableFact]
    public void A_colour_macro_beside_RGB_stays_at_None_so_the_mix_shows()
    {
        // ADJ Mega PAR Profile, 5 channels: Red, Green, Blue, Dimmer, Color Macros (0 "None", then "Bastard amber"...)
        const string file = "American_DJ/American-DJ-Mega-PAR-Profile.qxf";
        var pink = Render(file, "5 Channel", "#ff3c78");
        Assert.Equal(new byte[] { 255, 60, 120, 255, 0 }, pink);
        // where the macros are the only colour (1 channel), the nearest one is chosen
        var macroOnly = Render(file, "1 Channel", "#ff3c78");
        Assert.NotEqual(0, macroOnly[0]);
    }

    [SkippableFact]
    public void A_virtual_colour_wheel_beside_RGBW_stays_at_no_function()
    {
        const string file = "Robe/Robe-ParFect-150.qxf";
        var dmx = Render(file, "17 Channel", "#ffe000");
        Assert.Equal(0, dmx[1]);                                            // "Virtual Color Wheel" 0: No function
        var reading = Read(file, "17 Channel", dmx);
        Assert.True(reading.Lit, reading.Dark);
        Assert.Null(reading.Override);
        Assert.True(ModeReading.Distance(reading.Colour!.Value, Rigs.Parse("#ffe000")) < 0.05);
    }

    [SkippableFact]
    public void A_shutter_without_a_ShutterOpen_tag_opens_where_its_names_say_open()
    {
        // Martin MAC 401 Dual RGB: 0-19 "Shutter closed", 20-49 "Shuuter open", 50-64 "Strobe (fast ->slow)"
        const string file = "Martin/Martin-MAC-401-Dual-RGB.qxf";
        var shutter = QxfImporter.Load(Qxf(file)).Modes[0].Channels[0];
        Assert.Equal(ChannelKind.Strobe, shutter.Kind);
        Assert.Equal(20, shutter.Default);
        Assert.Equal(new StrobeRange(20, 64, 50, 1, 20), shutter.StrobeRange);   // no ramp preset: read from the name
        var dmx = Render(file, "RGB 1", "#1030ff");
        Assert.Equal(20, dmx[0]);
        Assert.True(Read(file, "RGB 1", dmx).Lit);
    }

    [SkippableFact]
    public void HSV_modes_get_hue_and_saturation()
    {
        const string file = "Martin/Martin-MAC-401-Dual-RGB.qxf";
        var mode = QxfImporter.Load(Qxf(file)).FindMode("HSV All")!;
        var hue = mode.OffsetOf(ChannelKind.Hue);
        var dmx = Render(file, "HSV All", "#0000ff");                      // blue: 240° of 360°
        Assert.Equal(170, dmx[hue]);
        Assert.Equal(255, dmx[mode.OffsetOf(ChannelKind.Saturation)]);
        var reading = Read(file, "HSV All", dmx);
        Assert.True(reading.Lit, reading.Dark);
        Assert.True(ModeReading.Distance(reading.Colour!.Value, Rigs.Parse("#0000ff")) < 0.02);
    }

    [SkippableFact]
    public void CMY_flags_subtract_the_colour_and_the_wheels_stay_open()
    {
        // Clay Paky Sharpy Plus: Cyan, Magenta, Yellow, three wheels ("Empty position" at 0), Strobe (104 "Light ON")
        const string file = "Clay_Paky/Clay-Paky-Sharpy-Plus.qxf";
        var dmx = Render(file, "Standard", "#ff8000");
        Assert.Equal(new byte[] { 0, 127, 255 }, dmx[..3]);               // C = 1 − R, M = 1 − G (0x80), Y = 1 − B
        Assert.Equal(new byte[] { 0, 0, 0 }, dmx[3..6]);
        Assert.Equal(104, dmx[6]);
        var reading = Read(file, "Standard", dmx);
        Assert.True(reading.Lit, reading.Dark);
        Assert.Equal(ColourSystem.Mixing, reading.System);
    }

    [SkippableFact]
    public void A_wheel_that_is_the_only_colour_goes_to_the_nearest_slot()
    {
        const string file = "Clay_Paky/Clay-Paky-Sharpy.qxf";
        var red = Render(file, "Standard", "#ff0000");
        var reading = Read(file, "Standard", red);
        Assert.True(reading.Lit, reading.Dark);
        Assert.Equal(ColourSystem.Wheel, reading.System);
        Assert.True(reading.Colour!.Value.R > 0.9 && reading.Colour.Value.G < 0.3 && reading.Colour.Value.B < 0.3, $"{reading.Colour}");
    }

    [SkippableFact]
    public void CTC_sits_neutral_and_warms_with_valence()
    {
        const string file = "Martin/Martin-ELP-CL-Profile.qxf";
        var mode = QxfImporter.Load(Qxf(file)).FindMode("10 Channel")!;
        var ctc = mode.OffsetOf(ChannelKind.Ctc);
        Assert.True(ctc >= 0);
        Assert.Equal(128, Render(file, "10 Channel", "#ffffff")[ctc]);
        Assert.True(Render(file, "10 Channel", "#ffffff", warmth: 0.8)[ctc] < 64);
    }
}
