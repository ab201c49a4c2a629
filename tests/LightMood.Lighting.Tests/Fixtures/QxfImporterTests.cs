using System.Xml.Linq;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Tests.Fixtures;

/// <summary>Import of real QLC+ definitions from Debian's qlcplus package (/usr/share/qlcplus/fixtures).</summary>
public sealed class QxfImporterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Qxf(string relative)
    {
        var path = Path.Combine(Repo.QlcFixtures, relative);
        Skip.IfNot(File.Exists(path), $"{path} is absent: install Debian's qlcplus package (CI does)");
        return path;
    }

    [SkippableFact]
    public void Generic_RGBW_imports_every_mode_with_typed_channels()
    {
        var profile = QxfImporter.Load(Qxf("Generic/Generic-Generic-RGBW.qxf"));
        Assert.Equal("Generic/Generic RGBW", profile.Key);
        var rgbw = profile.FindMode("RGBW")!;
        Assert.Equal([ChannelKind.Red, ChannelKind.Green, ChannelKind.Blue, ChannelKind.White], rgbw.Channels.Select(c => c.Kind));
        var dimmerFirst = profile.FindMode("Dimmer RGBW")!;
        Assert.Equal(5, dimmerFirst.Footprint);
        Assert.Equal(ChannelKind.Intensity, dimmerFirst.Channels[0].Kind);
    }

    [SkippableFact]
    public void A_moving_head_gets_pan_tilt_with_fine_channels_a_dimmer_and_a_strobe()
    {
        var profile = QxfImporter.Load(Qxf("Martin/Martin-MAC-250-Wash.qxf"));
        var mode = profile.Modes.First(m => m.Has(ChannelKind.PanFine));
        Assert.True(mode.OffsetOf(ChannelKind.PanFine) == mode.OffsetOf(ChannelKind.Pan) + 1);
        Assert.True(mode.OffsetOf(ChannelKind.TiltFine) == mode.OffsetOf(ChannelKind.Tilt) + 1);
        Assert.True(mode.Has(ChannelKind.Intensity));
        var shutter = mode.Channels[0];
        Assert.Equal(ChannelKind.Strobe, shutter.Kind);
        Assert.NotNull(shutter.StrobeRange);
        // "Strobe, fast -> slow" 50..72: slow end at 72, fast end at 50; closed 0..19, open from 20
        Assert.Equal(new StrobeRange(20, 72, 50, 1, 20), shutter.StrobeRange);
        Assert.Equal(20, shutter.Default);
        // a colour wheel with colours read from the capabilities
        Assert.Contains(mode.Channels, c => c.Kind == ChannelKind.ColourWheel && c.Slots.Count >= 3);
    }

    [SkippableFact]
    public void Old_style_definitions_are_typed_from_group_and_colour()
    {
        var profile = QxfImporter.Load(Qxf("Lanta/Lanta-Orion-Link-V2.qxf"));
        var kinds = profile.Modes.SelectMany(m => m.Channels).Select(c => c.Kind).ToHashSet();
        Assert.Contains(ChannelKind.Red, kinds);
        Assert.Contains(ChannelKind.Green, kinds);
        Assert.Contains(ChannelKind.Blue, kinds);
    }

    [SkippableFact]
    public void The_whole_QLC_library_imports_without_a_single_failure()
    {
        Skip.IfNot(Directory.Exists(Repo.QlcFixtures), "QLC+ fixture library absent");
        var files = Directory.GetFiles(Repo.QlcFixtures, "*.qxf", SearchOption.AllDirectories);
        Assert.True(files.Length > 500, $"only {files.Length} definitions");
        var failures = new List<string>();
        var pans = 0;
        foreach (var file in files)
        {
            try
            {
                var p = QxfImporter.Load(file);
                Assert.All(p.Modes, m => Assert.InRange(m.Footprint, 1, 512));
                pans += p.Modes.Any(m => m.Has(ChannelKind.Pan)) ? 1 : 0;
            }
            catch (LightingConfigException e)
            {
                failures.Add(e.Message);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {files.Length} failed:\n" + string.Join("\n", failures.Take(20)));
        Assert.True(pans > 100, $"only {pans} definitions with pan");
    }

    [Fact]
    public void Malformed_definitions_give_one_clear_error_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("lightmood-qxf-");
        try
        {
            var notXml = Path.Combine(dir.FullName, "broken.qxf");
            File.WriteAllText(notXml, "<FixtureDefinition><Manufacturer>X</Manu");
            var e1 = Assert.Throws<LightingConfigException>(() => QxfImporter.Load(notXml));
            Assert.Contains("broken.qxf", e1.Message, StringComparison.Ordinal);

            var wrongRoot = Path.Combine(dir.FullName, "root.qxf");
            File.WriteAllText(wrongRoot, "<Workspace xmlns=\"http://www.qlcplus.org/Workspace\"/>");
            var e2 = Assert.Throws<LightingConfigException>(() => QxfImporter.Load(wrongRoot));
            Assert.Contains("FixtureDefinition", e2.Message, StringComparison.Ordinal);

            var dangling = Path.Combine(dir.FullName, "dangling.qxf");
            File.WriteAllText(dangling, """
                <?xml version="1.0" encoding="UTF-8"?>
                <FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
                 <Model>Par</Model>
                 <Channel Name="Red" Preset="IntensityRed"/>
                 <Mode Name="2ch"><Channel Number="0">Red</Channel><Channel Number="1">Green</Channel></Mode>
                </FixtureDefinition>
                """);
            var e3 = Assert.Throws<LightingConfigException>(() => QxfImporter.Load(dangling));
            Assert.Equal(2, e3.Errors.Count);
            Assert.Contains(e3.Errors, e => e.Contains("<Manufacturer> is missing", StringComparison.Ordinal));
            Assert.Contains(e3.Errors, e => e.Contains("'Green', which is not defined", StringComparison.Ordinal) && e.Contains("dangling.qxf", StringComparison.Ordinal));

            Assert.Throws<LightingConfigException>(() => QxfImporter.Load(Path.Combine(dir.FullName, "missing.qxf")));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Imported_profile_serialises_to_the_lightmood_format()
    {
        var doc = XDocument.Parse("""
            <FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
             <Manufacturer>Acme</Manufacturer><Model>Spot 1</Model>
             <Channel Name="Pan" Preset="PositionPan"/>
             <Channel Name="Shutter"><Group Byte="0">Shutter</Group>
              <Capability Min="0" Max="7" Preset="ShutterClose">Closed</Capability>
              <Capability Min="8" Max="15" Preset="ShutterOpen">Open</Capability>
              <Capability Min="16" Max="131" Preset="StrobeSlowToFast">Strobe</Capability>
             </Channel>
             <Channel Name="Colour"><Group Byte="0">Colour</Group>
              <Capability Min="0" Max="9" Preset="ColorMacro" Res1="#ffffff">White</Capability>
              <Capability Min="10" Max="19" Preset="ColorMacro" Res1="#ff0000">Red</Capability>
             </Channel>
             <Mode Name="3ch"><Channel Number="0">Pan</Channel><Channel Number="1">Shutter</Channel><Channel Number="2">Colour</Channel></Mode>
            </FixtureDefinition>
            """);
        var profile = QxfImporter.Parse(doc, "inline");
        var json = FixtureProfileJson.Serialize(profile);
        var back = FixtureProfileJson.Parse(json, "json");
        var mode = back.Modes.Single();
        Assert.Equal(ChannelKind.Pan, mode.Channels[0].Kind);
        Assert.Equal(ChannelKind.Strobe, mode.Channels[1].Kind);
        Assert.Equal(8, mode.Channels[1].Default);
        Assert.Equal(new StrobeRange(8, 16, 131, 1, 20), mode.Channels[1].StrobeRange);
        Assert.Equal(ChannelKind.ColourWheel, mode.Channels[2].Kind);
        Assert.Equal([4, 14], mode.Channels[2].Slots.Select(s => (int)s.Value));
    }

    [SkippableFact]
    public void Strobe_channels_whose_ramp_is_only_named_keep_their_strobe()
    {
        Skip.IfNot(Directory.Exists(Repo.QlcFixtures), "QLC+ fixture library absent");
        int tagged = 0, strobes = 0, shutters = 0;
        foreach (var file in Directory.GetFiles(Repo.QlcFixtures, "*.qxf", SearchOption.AllDirectories))
        {
            var doc = XDocument.Load(file);
            XNamespace ns = "http://www.qlcplus.org/FixtureDefinition";
            foreach (var ch in doc.Root!.Elements(ns + "Channel"))
            {
                var shutter = ch.Element(ns + "Group")?.Value == "Shutter" || ((string?)ch.Attribute("Preset"))?.StartsWith("Shutter", StringComparison.Ordinal) == true;
                shutters += shutter ? 1 : 0;
                tagged += shutter && ch.Elements(ns + "Capability").Any(c => (string?)c.Attribute("Preset") is "StrobeSlowToFast" or "StrobeFastToSlow" or "StrobeFreqRange" or "StrobeFrequency") ? 1 : 0;
            }

            var profile = QxfImporter.Load(file);
            strobes += profile.Modes.SelectMany(m => m.Channels).Where(c => c.Kind == ChannelKind.Strobe).Select(c => c.Name).Distinct().Count();
        }

        output.WriteLine($"{shutters} shutter channels; {tagged} with a tagged strobe ramp; {strobes} imported as strobe");
        Assert.True(strobes > tagged + 200, $"{strobes} strobe channels, {tagged} tagged");   // ramps read from names too
    }
    [SkippableFact]
    public void Channels_whose_definition_offers_no_open_range_get_the_value_that_lights()
    {
        FixtureChannel Channel(string file, string mode, string name) =>
            QxfImporter.Load(Qxf(file)).FindMode(mode)!.Channels.Single(c => c.Name == name);

        // a derby's chase channel, "Blackout" then chases, in a mode without emitters: its first chase
        Assert.Equal(10, Channel("American_DJ/American-DJ-Quad-Gem-DMX.qxf", "Standard Chase", "Chase").Default);
        // the same programme channel beside RGBW emitters stays at "Blackout", the value that hands them to DMX
        Assert.Equal(5, Channel("Ledj/Ledj-59-7Q5-RGBW.qxf", "2 Channel", "Colours").Default);
        Assert.Equal(0, Channel("Ledj/Ledj-59-7Q5-RGBW.qxf", "7 Channel", "Colours").Default);
        // a mode-select range that names the emitters ("Dimmer RGBA") is open
        Assert.Equal(6, Channel("Cameo/Cameo-CLBARL10RGBA.qxf", "19-Channel", "Color Mode").Default);
        // "Blackout, Strobe, Intensity": the intensity range is the dimmer
        var splash = Channel("Chauvet/Chauvet-LEDSplash-Jr.qxf", "All", "Shutter/Strobe/Dimmer");
        Assert.Equal((ChannelKind.Intensity, new DimmerRange(128, 255)), (splash.Kind, splash.DimmerRange));
        // "Blackout, Master dimmer (0-100%), sound mode, strobe": the master dimmer range
        var cob = Channel("JB_Systems/JB-Systems-COB-4BAR.qxf", "18 Channel", "Dim strobe music mode 1");
        Assert.Equal((ChannelKind.Intensity, new DimmerRange(8, 190)), (cob.Kind, cob.DimmerRange));
        // a multi-function channel named for its emitter, "0 - 100%/15 colour macro 1": that emitter
        Assert.Equal(ChannelKind.Red, Channel("Cameo/Cameo-Multi-PAR-3.qxf", "9-Channel", "Red/Colour Macro1 (Flow 8/9)").Kind);
        // a strobe light: its flash intensity is its dimmer, its flash rate on a speed channel a strobe channel
        var flash = Channel("Martin/Martin-Atomic-3000.qxf", "Mode 2", "Intensity");
        Assert.Equal((ChannelKind.Intensity, new DimmerRange(6, 255)), (flash.Kind, flash.DimmerRange));
        var rate = Channel("Martin/Martin-Atomic-3000.qxf", "Mode 2", "Rate");
        Assert.Equal((ChannelKind.Strobe, (byte)0, (byte)6, (byte)255), (rate.Kind, rate.Default, rate.StrobeRange!.Slow, rate.StrobeRange.Fast));
        var explo = Channel("Pro-Lights/Pro-Lights-Explo-3000D.qxf", "Ch3 Mode", "Flash Rate").StrobeRange!;
        Assert.Equal((0.5, 17.0), (explo.SlowHz, explo.FastHz));
        // a programme ("Dark->Bright from selected") is not a dimmer ramp
        Assert.Equal(ChannelKind.Generic, Channel("Stage_Right/Stage-Right-StageLight-12Wx7-LED-PAR.qxf", "10-Channel", "Built-in Programs").Kind);
    }

    [Fact]
    public void A_range_tagged_open_but_named_closed_is_open_only_when_nothing_else_is()
    {
        QxfCapability Cap(int min, int max, string name, string? preset) => new((byte)min, (byte)max, name, preset, null, null);
        IReadOnlyList<QxfCapability> alone = [Cap(0, 12, "Closed", "ShutterOpen"), Cap(13, 255, "Strobe, slow to fast", "StrobeSlowToFast")];
        Assert.Equal(CapabilityEffect.Open, alone[0].EffectIn(alone));
        IReadOnlyList<QxfCapability> beside = [Cap(0, 9, "Closed", "ShutterOpen"), Cap(10, 19, "Open", "ShutterOpen"), Cap(20, 255, "Strobe", "StrobeSlowToFast")];
        Assert.Equal(CapabilityEffect.Closed, beside[0].EffectIn(beside));
        // blackout while moving is an option of the movement, not a closed beam
        Assert.Equal(CapabilityEffect.Unknown, Cap(0, 29, "Moving Blackout Closed", null).Effect);
        Assert.Equal(CapabilityEffect.Unknown, Cap(253, 255, "Blackout during movement", null).Effect);
        Assert.Equal(CapabilityEffect.Closed, Cap(0, 9, "Blackout", null).Effect);
    }
}
