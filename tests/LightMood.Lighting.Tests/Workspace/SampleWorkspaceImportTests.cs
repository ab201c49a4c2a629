using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;
using LightMood.Lighting.Workspace;

namespace LightMood.Lighting.Tests.Workspace;

/// <summary>
/// Debian's QLC+ sample workspace (/usr/share/qlcplus/Sample.qxw, qlcplus package) imported, and its scenes checked
/// against the XML read by a separate tiny reader (regular expressions over the text, not the importer's parser).
/// </summary>
public sealed partial class SampleWorkspaceImportTests
{
    private const string Sample = "/usr/share/qlcplus/Sample.qxw";

    private static WorkspaceImportResult Import()
    {
        Skip.IfNot(File.Exists(Sample), $"{Sample} is absent: install Debian's qlcplus package (CI does)");
        return WorkspaceImport.Run(QlcWorkspace.Load(Sample), Sample, [Repo.QlcFixtures]);
    }

    [SkippableFact]
    public void Sample_gives_13_fixtures_96_scenes_13_chases_and_names_the_5_EFX_it_skips()
    {
        var r = Import();
        var text = File.ReadAllText(Sample);

        // the issue's "43 fixtures" counts every <Fixture> element: 13 patched fixtures in <Engine> and 30 fixture
        // references inside the 5 EFX (6 scanners each). The rig is the 13.
        Assert.Equal(43, FixtureElement().Matches(text).Count);
        Assert.Equal(13, PatchedFixture().Matches(text).Count);
        Assert.Equal(13, r.Fixtures.Count);
        Assert.Equal(96, r.Scenes.Count);
        Assert.Equal(13, r.Chases.Count);
        Assert.Equal(["SC Circle 1", "SC Lissajous", "SC Diamond", "SC Circle 3", "SC Circle 2"], r.Skipped.Select(s => s.Name));
        Assert.All(r.Skipped, s => Assert.Equal("EFX", s.Type));
        Assert.All(r.Skipped, s => Assert.Contains("pan/tilt", s.Why, StringComparison.Ordinal));
        Assert.DoesNotContain(r.Warnings, w => w.Contains("not imported", StringComparison.Ordinal));

        Assert.Equal(["pars", "pars", "pars", "pars", "scanners", "scanners", "scanners", "scanners", "scanners", "scanners", "dimmers", "dimmers", "dimmers"],
            r.Fixtures.Select(f => f.Group));
        Assert.Equal([1, 6, 11, 17, 23, 29, 35, 41, 47, 53, 59, 65, 71], r.Fixtures.Select(f => f.Address));
        var dimmer = r.Fixtures.Single(f => f.Name == "4 ch dimmer");
        Assert.Equal("Generic/Dimmer 4ch", dimmer.Profile.Key);
        Assert.Equal(Enumerable.Repeat(ChannelKind.Intensity, 4), dimmer.Profile.FindMode(dimmer.Mode)!.Channels.Select(c => c.Kind));

        var pan = r.Chases.Single(c => c.Name == "SC Pan");
        Assert.Equal(["SC Pan 1", "SC Pan 2", "SC Pan 3"], pan.Steps);
        Assert.Equal(1.0, pan.HoldSeconds);   // <Speed Duration="1000" FadeIn="0"/>, common
        Assert.Equal(1.0, pan.FadeSeconds);   // FadeIn="Default": the scenes' own FadeIn="1000"
        var pingPong = r.Chases.Single(c => c.Name == "Par Chaser 2");
        Assert.Equal(["par 1", "par 2", "par 3", "par 4", "par 5", "par 6", "par 5", "par 4", "par 3", "par 2"], pingPong.Steps);
    }

    [SkippableTheory]
    [InlineData("Led All Violet")]
    [InlineData("Led 2 Yellow")]
    [InlineData("SC Col C Red")]
    [InlineData("SC Tilt 2")]
    [InlineData("par g5")]
    public void Scene_values_are_the_workspace_values_by_patch_name_and_channel_from_1(string scene)
    {
        var r = Import();
        var expected = ReadSceneFromXml(File.ReadAllText(Sample), scene);
        Assert.NotEmpty(expected);
        var imported = r.Scenes.Single(s => s.Name == scene).Channels;
        Assert.Equal(expected.Keys.Order(), imported.Keys.Order());
        foreach (var (fixture, values) in expected)
        {
            Assert.Equal(values, imported[fixture].OrderBy(v => v.Key).Select(v => (v.Key, v.Value)));
        }

        // and the written scenes.json says the same
        var json = JsonDocument.Parse(WorkspaceImportJson.Scenes(r, File.ReadAllText(Path.Combine(Repo.Config, "scenes.json")), "config/scenes.json"));
        var channels = json.RootElement.GetProperty("library").GetProperty(scene).GetProperty("channels");
        foreach (var (fixture, values) in expected)
        {
            var written = channels.GetProperty(fixture).EnumerateObject().Select(p => (int.Parse(p.Name, CultureInfo.InvariantCulture), (byte)p.Value.GetInt32()));
            Assert.Equal(values, written.OrderBy(v => v.Item1));
        }
    }

    [SkippableFact]
    public void The_written_patch_loads_with_PatchLoader_and_its_profiles_resolve()
    {
        var r = Import();
        var dir = Directory.CreateTempSubdirectory("lightmood-workspace-");
        try
        {
            foreach (var (path, text) in WorkspaceImportJson.Files(r, File.ReadAllText(Path.Combine(Repo.Config, "scenes.json")), "config/scenes.json"))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir.FullName, path))!);
                File.WriteAllText(Path.Combine(dir.FullName, path), text);
            }

            var patch = PatchLoader.Load(Path.Combine(dir.FullName, "patch.json"));
            Assert.Equal(13, patch.Fixtures.Count);
            Assert.Equal(["pars", "scanners", "dimmers"], patch.Groups);
            Assert.Equal(5, Directory.GetFiles(Path.Combine(dir.FullName, "fixtures"), "*.json").Length);
            var scanner = patch.Fixtures.Single(f => f.Name == "DJScan250 #6");
            Assert.Equal(("Futurelight/DJScan250", 53, 58), (scanner.Profile.Key, scanner.Address, scanner.LastAddress));
            Assert.True(scanner.Mode.Has(ChannelKind.Pan));
            Assert.Equal(6, patch.Fixtures.Single(f => f.Name == "6 ch dimmer #2").Footprint);

            // the written scenes file loads with the daemon's loader against the written patch: every imported scene
            // and chase is a library scene, the default preset maps the shipped looks
            var show = SceneLoader.LoadShow(Path.Combine(dir.FullName, "scenes.json"), patch);
            Assert.Equal(6 + 96 + 13, show.Library.Count);
            Assert.Equal("default", show.ActivePreset);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [SkippableFact]
    public void The_scenes_file_has_the_library_shape_and_the_default_preset_maps_every_mood()
    {
        var r = Import();
        var json = WorkspaceImportJson.Scenes(r, File.ReadAllText(Path.Combine(Repo.Config, "scenes.json")), "config/scenes.json");
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["$schema", "crossfadeSeconds", "beatTimeoutSeconds", "modulation", "library", "presets", "activePreset"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.02, root.GetProperty("presets").GetProperty("default").GetProperty("silence").GetProperty("energyThreshold").GetDouble());
        Assert.Equal("default", root.GetProperty("activePreset").GetString());
        var library = root.GetProperty("library");
        Assert.Equal(6 + 96 + 13, library.EnumerateObject().Count());

        var preset = root.GetProperty("presets").GetProperty("default");
        foreach (var mood in new[] { "happy", "tense", "sad", "calm" })
        {
            var look = preset.GetProperty("moods").GetProperty(mood).GetProperty("scenes")[0].GetString()!;
            Assert.True(library.GetProperty(look).TryGetProperty("intensity", out _), $"{mood} -> {look} is a look");
            var palette = library.GetProperty(look).GetProperty("palette").EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(["pars", "scanners", "dimmers"], palette);   // the shipped groups moved onto the imported ones
        }

        Assert.True(library.GetProperty(preset.GetProperty("silence").GetProperty("scene").GetString()!).TryGetProperty("intensity", out _));
        Assert.True(library.GetProperty(preset.GetProperty("house").GetString()!).TryGetProperty("intensity", out _));

        var chases = library.EnumerateObject().Where(e => e.Value.TryGetProperty("chase", out _)).ToList();
        Assert.Equal(13, chases.Count);
        foreach (var chase in chases)
        {
            var c = chase.Value.GetProperty("chase");
            Assert.Equal(["steps", "holdSeconds", "fadeSeconds", "stepsPerBeat"], c.EnumerateObject().Select(p => p.Name));
            Assert.All(c.GetProperty("steps").EnumerateArray(), s => Assert.True(library.GetProperty(s.GetString()!).TryGetProperty("channels", out _)));
        }
    }

    /// <summary>The scene's &lt;FixtureVal&gt; lines, by the workspace fixture's name, channels from 1: read with regular expressions only.</summary>
    private static Dictionary<string, List<(int Channel, byte Value)>> ReadSceneFromXml(string xml, string scene)
    {
        var names = PatchedFixture().Matches(xml).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["name"].Value);
        var body = Regex.Match(xml, $"<Function Type=\"Scene\" Name=\"{Regex.Escape(scene)}\" ID=\"\\d+\">(?<body>.*?)</Function>", RegexOptions.Singleline);
        var result = new Dictionary<string, List<(int, byte)>>();
        foreach (Match v in FixtureVal().Matches(body.Groups["body"].Value))
        {
            var numbers = v.Groups["values"].Value.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
            result[names[v.Groups["id"].Value]] = Enumerable.Range(0, numbers.Length / 2).Select(i => (numbers[2 * i] + 1, (byte)numbers[(2 * i) + 1])).OrderBy(x => x.Item1).ToList();
        }

        return result;
    }

    [GeneratedRegex("<Fixture>")]
    private static partial Regex FixtureElement();

    [GeneratedRegex(@"<Fixture>\s*<Manufacturer>[^<]*</Manufacturer>\s*<Model>[^<]*</Model>\s*<Mode>[^<]*</Mode>\s*<ID>(?<id>\d+)</ID>\s*<Name>(?<name>[^<]*)</Name>")]
    private static partial Regex PatchedFixture();

    [GeneratedRegex(@"<FixtureVal ID=""(?<id>\d+)"">(?<values>[0-9,]+)</FixtureVal>")]
    private static partial Regex FixtureVal();
}
