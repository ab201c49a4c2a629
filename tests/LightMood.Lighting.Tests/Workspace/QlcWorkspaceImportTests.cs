using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Workspace;

namespace LightMood.Lighting.Tests.Workspace;

/// <summary>A hand-made QLC+ 4.12-style workspace (namespace, Hold on steps, a sequence, every function type) and bad files.</summary>
public sealed class QlcWorkspaceImportTests : IDisposable
{
    private const string Mover = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE FixtureDefinition>
        <FixtureDefinition xmlns="http://www.qlcplus.org/FixtureDefinition">
         <Manufacturer>Test</Manufacturer>
         <Model>Mover</Model>
         <Type>Moving Head</Type>
         <Channel Name="Pan" Preset="PositionPan"/>
         <Channel Name="Tilt" Preset="PositionTilt"/>
         <Channel Name="Dimmer" Preset="IntensityDimmer"/>
         <Mode Name="3ch">
          <Channel Number="0">Pan</Channel>
          <Channel Number="1">Tilt</Channel>
          <Channel Number="2">Dimmer</Channel>
         </Mode>
        </FixtureDefinition>
        """;

    private const string Workspace = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE Workspace>
        <Workspace xmlns="http://www.qlcplus.org/Workspace" CurrentWindow="FunctionManager">
         <Creator><Name>Q Light Controller Plus</Name><Version>4.12.7</Version></Creator>
         <Engine>
          <InputOutputMap/>
          <Fixture><Manufacturer>Test</Manufacturer><Model>Mover</Model><Mode>3ch</Mode><ID>0</ID><Name>Spot</Name><Universe>1</Universe><Address>10</Address><Channels>3</Channels></Fixture>
          <Fixture><Manufacturer>Test</Manufacturer><Model>Mover</Model><Mode>3ch</Mode><ID>1</ID><Name>Spot</Name><Universe>1</Universe><Address>13</Address><Channels>3</Channels></Fixture>
          <Fixture><Manufacturer>Nobody</Manufacturer><Model>Nothing</Model><Mode>x</Mode><ID>2</ID><Name>Ghost</Name><Universe>0</Universe><Address>0</Address><Channels>2</Channels></Fixture>
          <Fixture><Manufacturer>Generic</Manufacturer><Model>Generic</Model><Mode>Generic</Mode><ID>3</ID><Name>Dimmers</Name><Universe>0</Universe><Address>100</Address><Channels>2</Channels></Fixture>
          <FixtureGroup ID="0"><Name>Stage left</Name><Size X="1" Y="1"/><Head X="0" Y="0" Fixture="0">0</Head></FixtureGroup>
          <Function ID="0" Type="Scene" Name="Look"><Speed FadeIn="500" FadeOut="0" Duration="0"/><FixtureVal ID="0">0,10,2,255</FixtureVal><FixtureVal ID="2">0,1</FixtureVal><FixtureVal ID="3">1,128</FixtureVal><FixtureVal ID="1"/></Function>
          <Function ID="1" Type="Scene" Name="Look"><Speed FadeIn="0" FadeOut="0" Duration="0"/><FixtureVal ID="1">2,200</FixtureVal></Function>
          <Function ID="2" Type="Chaser" Name="Back"><Speed FadeIn="0" FadeOut="0" Duration="2000"/><Direction>Backward</Direction><RunOrder>Loop</RunOrder>
           <SpeedModes FadeIn="PerStep" FadeOut="Default" Duration="PerStep"/>
           <Step Number="0" FadeIn="100" Hold="1000" FadeOut="0">0</Step><Step Number="1" FadeIn="300" Hold="3000" FadeOut="0">1</Step></Function>
          <Function ID="3" Type="EFX" Name="Circle"><Algorithm>Circle</Algorithm></Function>
          <Function ID="4" Type="Chaser" Name="Mixed"><Speed FadeIn="0" FadeOut="0" Duration="1000"/><Step Number="0" FadeIn="0" Hold="0" FadeOut="0">0</Step><Step Number="1" FadeIn="0" Hold="0" FadeOut="0">3</Step></Function>
          <Function ID="5" Type="Sequence" Name="Seq" BoundScene="6"><Speed FadeIn="0" FadeOut="0" Duration="500"/><Direction>Forward</Direction><RunOrder>Loop</RunOrder>
           <SpeedModes FadeIn="Common" FadeOut="Common" Duration="Common"/>
           <Step Number="0" FadeIn="0" Hold="0" FadeOut="0" Values="3">0,2,255</Step><Step Number="1" FadeIn="0" Hold="0" FadeOut="0" Values="3">1,2,100</Step></Function>
          <Function ID="6" Type="Scene" Name="Seq scene"><Speed FadeIn="0" FadeOut="0" Duration="0"/><FixtureVal ID="0">2,0</FixtureVal><FixtureVal ID="1">2,0</FixtureVal></Function>
          <Function ID="7" Type="RGBMatrix" Name="Matrix"/>
          <Function ID="8" Type="Collection" Name="Both"/>
          <Function ID="9" Type="Show" Name="Timeline"/>
          <Function ID="10" Type="Script" Name="Macro"/>
          <Function ID="11" Type="Audio" Name="Intro.wav"/>
          <Function ID="12" Type="Video" Name="Clip"/>
          <Function ID="13" Type="Chaser" Name="Cue list"><Speed FadeIn="0" FadeOut="0" Duration="4294967294"/><SpeedModes FadeIn="Default" FadeOut="Default" Duration="Common"/><Step Number="0" FadeIn="0" Hold="0" FadeOut="0">0</Step></Function>
         </Engine>
         <VirtualConsole><Frame Caption=""><AudioTriggers Caption="Bass kick" ID="3"/></Frame></VirtualConsole>
        </Workspace>
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lightmood-qxw-");

    public void Dispose() => _dir.Delete(true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private WorkspaceImportResult Import()
    {
        Write("Test-Mover.qxf", Mover);
        var path = Write("show.qxw", Workspace);
        return WorkspaceImport.Run(QlcWorkspace.Load(path), path, [Path.Combine(_dir.FullName, "no-library")]);
    }

    [Fact]
    public void Fixtures_come_from_definitions_next_to_the_workspace_with_unique_names_groups_and_addresses_from_1()
    {
        var r = Import();
        Assert.Equal(
            [("Spot", "Test/Mover", 1, 11, "Stage left"), ("Spot (2)", "Test/Mover", 1, 14, "movers"), ("Dimmers", "Generic/Dimmer 2ch", 0, 101, "dimmers")],
            r.Fixtures.Select(f => (f.Name, f.Profile.Key, f.Universe, f.Address, f.Group)));
        Assert.Contains(r.Warnings, w => w.Contains("'Ghost'", StringComparison.Ordinal) && w.Contains("Nobody/Nothing", StringComparison.Ordinal) && w.Contains("not imported", StringComparison.Ordinal));
    }

    [Fact]
    public void Scenes_carry_values_by_patch_name_and_channel_from_1_and_duplicate_names_get_a_number()
    {
        var r = Import();
        Assert.Equal(["Look", "Look (2)", "Seq scene", "Seq step 1", "Seq step 2"], r.Scenes.Select(s => s.Name));
        var look = r.Scenes[0].Channels;
        Assert.Equal(["Dimmers", "Spot"], look.Keys.Order());
        Assert.Equal([(1, (byte)10), (3, (byte)255)], look["Spot"].Select(v => (v.Key, v.Value)));
        Assert.Equal([(2, (byte)128)], look["Dimmers"].Select(v => (v.Key, v.Value)));
        Assert.Equal((byte)200, r.Scenes[1].Channels["Spot (2)"][3]);
        Assert.Contains(r.Warnings, w => w.Contains("'Ghost' (ID 2) is not imported: 1 scene value(s) dropped", StringComparison.Ordinal));

        // a sequence: one scene per step, the bound scene's channels at 0 under the step's values
        Assert.Equal((byte)255, r.Scenes[3].Channels["Spot"][3]);
        Assert.Equal((byte)0, r.Scenes[3].Channels["Spot (2)"][3]);
        Assert.Equal((byte)100, r.Scenes[4].Channels["Spot (2)"][3]);
    }

    [Fact]
    public void Chasers_of_scenes_become_chases_and_everything_else_is_skipped_by_name_type_and_why()
    {
        var r = Import();
        Assert.Equal(2, r.Chases.Count);
        var back = r.Chases[0];
        Assert.Equal(("Back", 2.0, 0.2), (back.Name, back.HoldSeconds, back.FadeSeconds));   // per step: mean of 1 s and 3 s, 0.1 s and 0.3 s
        Assert.Equal(["Look (2)", "Look"], back.Steps);                                        // Backward
        Assert.Contains(r.Warnings, w => w.Contains("'Back': its steps' holds differ", StringComparison.Ordinal));
        var seq = r.Chases[1];
        Assert.Equal(("Seq", 0.5), (seq.Name, seq.HoldSeconds));
        Assert.Equal(["Seq step 1", "Seq step 2"], seq.Steps);

        Assert.Equal(
            [("Circle", "EFX"), ("Mixed", "Chaser"), ("Matrix", "RGBMatrix"), ("Both", "Collection"), ("Timeline", "Show"), ("Macro", "Script"),
             ("Intro.wav", "Audio"), ("Clip", "Video"), ("Cue list", "Chaser"), ("Bass kick", "AudioTriggers")],
            r.Skipped.Select(s => (s.Name, s.Type)));
        Assert.All(r.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Why)));
        Assert.Contains("step 2 runs 'Circle' (EFX), not a scene", r.Skipped[1].Why, StringComparison.Ordinal);
        Assert.Contains("infinite hold", r.Skipped[8].Why, StringComparison.Ordinal);
    }

    [Fact]
    public void The_written_patch_loads_and_the_palettes_name_only_imported_groups()
    {
        var r = Import();
        var written = _dir.CreateSubdirectory("out");
        foreach (var (path, text) in WorkspaceImportJson.Files(r, File.ReadAllText(Path.Combine(Repo.Config, "scenes.json")), "config/scenes.json"))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(written.FullName, path))!);
            File.WriteAllText(Path.Combine(written.FullName, path), text);
        }

        var patch = PatchLoader.Load(Path.Combine(written.FullName, "patch.json"));
        Assert.Equal(["Spot", "Spot (2)", "Dimmers"], patch.Fixtures.Select(f => f.Name));
        var scenes = File.ReadAllText(Path.Combine(written.FullName, "scenes.json"));
        Assert.Contains("\"Stage left\": [\"#ffffff\", \"#ffcc40\"]", scenes, StringComparison.Ordinal);   // a group of movers takes the movers' colours
        Assert.DoesNotContain("\"pars\"", scenes, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_truncated_and_non_workspace_files_are_one_error_each_naming_the_file()
    {
        var cases = new[]
        {
            Write("garbage.qxw", "this is not XML"),
            Write("truncated.qxw", Workspace[..(Workspace.Length / 2)]),
            Write("definition.qxw", Mover),
            Write("empty.qxw", ""),
        };
        foreach (var path in cases)
        {
            var e = Assert.Throws<LightingConfigException>(() => QlcWorkspace.Load(path));
            var error = Assert.Single(e.Errors);
            Assert.StartsWith(path, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Malformed_entries_are_each_one_error_with_their_line()
    {
        var bad = Workspace
            .Replace("<Address>13</Address>", "<Address>thirteen</Address>", StringComparison.Ordinal)
            .Replace("<FixtureVal ID=\"1\">2,200</FixtureVal>", "<FixtureVal ID=\"1\">2,200,7</FixtureVal>", StringComparison.Ordinal);
        var path = Write("bad.qxw", bad);
        var e = Assert.Throws<LightingConfigException>(() => QlcWorkspace.Load(path));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains($"{path}:8: <Fixture>: <Address> 'thirteen' is not a whole number", e.Errors);
        Assert.Contains(e.Errors, x => x.StartsWith($"{path}:13: <Function> 'Look' (ID 1)", StringComparison.Ordinal) && x.Contains("odd count 3", StringComparison.Ordinal));
    }

    [Fact]
    public void An_external_entity_is_never_resolved()
    {
        var secret = Write("secret.txt", "TOP-SECRET");
        var xxe = $"""
            <?xml version="1.0"?>
            <!DOCTYPE Workspace [ <!ENTITY x SYSTEM "file://{secret}"> ]>
            <Workspace><Engine><Fixture><Manufacturer>&x;</Manufacturer></Fixture></Engine></Workspace>
            """;
        var path = Write("xxe.qxw", xxe);
        var e = Assert.Throws<LightingConfigException>(() => QlcWorkspace.Load(path));
        Assert.DoesNotContain("TOP-SECRET", string.Join("\n", e.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_workspace_withwrittena_namespace_reads_as_one_with_it()
    {
        var path = Write("old.qxw", Workspace.Replace(" xmlns=\"http://www.qlcplus.org/Workspace\"", "", StringComparison.Ordinal));
        var ws = QlcWorkspace.Load(path);
        Assert.Equal(4, ws.Fixtures.Count);
        Assert.Equal(14, ws.Functions.Count);
        Assert.Equal(["Bass kick"], ws.AudioTriggers);
    }
}
