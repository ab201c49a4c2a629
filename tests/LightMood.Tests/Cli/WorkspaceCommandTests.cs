using System.Text.Json;

namespace LightMood.Tests.Cli;

/// <summary><c>lightmood workspace import</c>, run as the real executable on Debian's QLC+ sample workspace and on bad files.</summary>
public sealed class WorkspaceCommandTests : IDisposable
{
    private const string Sample = "/usr/share/qlcplus/Sample.qxw";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lightmood-workspace-cli-");

    public void Dispose() => _dir.Delete(true);

    private static (int Exit, string Stdout, string Stderr) Lightmood(params string[] args) => LightmoodProcess.Run(args);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [SkippableFact]
    public void Sample_imports_13_fixtures_96_scenes_13_chases_and_lists_each_skipped_function_as_json()
    {
        Skip.IfNot(File.Exists(Sample), $"{Sample} is absent: install Debian's qlcplus package (CI does)");
        var (exit, stdout, stderr) = Lightmood("workspace", "import", Sample, "--out", _dir.FullName, "--json");
        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["fixtures", "scenes", "chases", "skipped"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(13, json.GetProperty("fixtures").GetInt32());
        Assert.Equal(96, json.GetProperty("scenes").GetInt32());
        Assert.Equal(13, json.GetProperty("chases").GetInt32());
        var skipped = json.GetProperty("skipped").EnumerateArray().ToList();
        Assert.Equal(["SC Circle 1", "SC Lissajous", "SC Diamond", "SC Circle 3", "SC Circle 2"], skipped.Select(s => s.GetProperty("name").GetString()));
        Assert.All(skipped, s => Assert.Equal(["name", "type", "why"], s.EnumerateObject().Select(p => p.Name)));
        Assert.All(skipped, s => Assert.Equal("EFX", s.GetProperty("type").GetString()));
        Assert.All(skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("why").GetString())));
        Assert.All(Lines(stderr), l => Assert.StartsWith("lightmood workspace: warning: ", l, StringComparison.Ordinal));

        // the files: the patch loads with today's loader, its profiles resolve from fixtures/
        var patch = LightMood.Lighting.Fixtures.PatchLoader.Load(Path.Combine(_dir.FullName, "patch.json"));
        Assert.Equal(13, patch.Fixtures.Count);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(_dir.FullName, "fixtures"), "*.json").Length);
        var scenes = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.FullName, "scenes.json"))).RootElement;
        var red = scenes.GetProperty("library").GetProperty("Led All Red").GetProperty("channels");
        Assert.Equal(255, red.GetProperty("Stairville Led Par Group 1").GetProperty("2").GetInt32());   // <FixtureVal ID="0">0,0,1,255,...: channel 1 from 0 = 2 from 1
        Assert.Equal(255, red.GetProperty("Eurolite Led par Group 2").GetProperty("1").GetInt32());
        Assert.Equal("default", scenes.GetProperty("activePreset").GetString());
    }

    [SkippableFact]
    public void Nothing_existing_is_replaced_without_force_and_each_file_is_named()
    {
        Skip.IfNot(File.Exists(Sample), $"{Sample} is absent: install Debian's qlcplus package (CI does)");
        Assert.Equal(0, Lightmood("workspace", "import", Sample, "--out", _dir.FullName).Exit);
        var patch = Path.Combine(_dir.FullName, "patch.json");
        var scenes = Path.Combine(_dir.FullName, "scenes.json");
        File.WriteAllText(patch, "edited");
        File.AppendAllText(Path.Combine(_dir.FullName, "fixtures", "stairville-led-par56.json"), " ");

        var (exit, stdout, stderr) = Lightmood("workspace", "import", Sample, "--out", _dir.FullName);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var errors = Lines(stderr).Where(l => !l.Contains("warning:", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, errors.Count);   // stairville-led-par56.json, patch.json, scenes.json, "nothing written"
        Assert.Contains(errors, l => l.Contains(patch, StringComparison.Ordinal) && l.Contains("--force", StringComparison.Ordinal));
        Assert.Contains(errors, l => l.Contains(scenes, StringComparison.Ordinal));
        Assert.Contains(errors, l => l.Contains("stairville-led-par56.json", StringComparison.Ordinal));
        Assert.Equal("edited", File.ReadAllText(patch));   // written nothing, not even the files that did not exist
        Assert.DoesNotContain(errors, l => l.Contains("futurelight-djscan250.json", StringComparison.Ordinal));   // a profile with the same text is no conflict

        Assert.Equal(0, Lightmood("workspace", "import", Sample, "--out", _dir.FullName, "--force").Exit);
        Assert.StartsWith("{", File.ReadAllText(patch), StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_truncated_and_non_workspace_files_exit_2_with_one_line_per_problem()
    {
        var garbage = Path.Combine(_dir.FullName, "garbage.qxw");
        File.WriteAllText(garbage, "\u0001\u0002 not xml");
        var truncated = Path.Combine(_dir.FullName, "truncated.qxw");
        File.WriteAllText(truncated, "<?xml version=\"1.0\"?>\n<!DOCTYPE Workspace>\n<Workspace><Engine><Fixture><Manufacturer>Generic</Manu");
        var definition = Path.Combine(_dir.FullName, "definition.qxw");
        File.WriteAllText(definition, "<FixtureDefinition xmlns=\"http://www.qlcplus.org/FixtureDefinition\"><Model>x</Model></FixtureDefinition>");
        var twoProblems = Path.Combine(_dir.FullName, "two.qxw");
        File.WriteAllText(twoProblems, """
            <Workspace>
             <Engine>
              <Fixture><Manufacturer>Generic</Manufacturer><Model>Generic</Model><Mode>Generic</Mode><ID>0</ID><Name>D</Name><Universe>0</Universe><Address>x</Address><Channels>2</Channels></Fixture>
              <Function Type="Scene" Name="S" ID="0"><FixtureVal ID="0">0</FixtureVal></Function>
             </Engine>
            </Workspace>
            """);
        foreach (var (file, problems) in new[] { (garbage, 1), (truncated, 1), (definition, 1), (twoProblems, 2), (Path.Combine(_dir.FullName, "absent.qxw"), 1) })
        {
            var (exit, stdout, stderr) = Lightmood("workspace", "import", file, "--out", Path.Combine(_dir.FullName, "out"), "--json");
            Assert.Equal(2, exit);
            Assert.Equal("", stdout);
            var lines = Lines(stderr);
            Assert.Equal(problems, lines.Length);
            Assert.All(lines, l => Assert.StartsWith($"lightmood workspace: {file}", l, StringComparison.Ordinal));
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(Path.Combine(_dir.FullName, "out")));
    }

    [SkippableFact]
    public void A_fixture_whose_definition_is_missing_is_a_warning_and_the_others_import()
    {
        Skip.IfNot(File.Exists(Sample), $"{Sample} is absent: install Debian's qlcplus package (CI does)");
        var copy = Path.Combine(_dir.FullName, "Sample.qxw");
        File.Copy(Sample, copy);
        var empty = _dir.CreateSubdirectory("no-definitions").FullName;
        var (exit, stdout, stderr) = Lightmood("workspace", "import", copy, "--out", Path.Combine(_dir.FullName, "out"), "--json", "--qlc-fixtures", empty);
        Assert.True(exit == 0, stderr);
        Assert.Equal(3, JsonDocument.Parse(stdout).RootElement.GetProperty("fixtures").GetInt32());   // the three generic dimmers need no definition
        foreach (var missing in new[] { "Stairville/LED PAR56", "Eurolite/LED PAR56", "Futurelight/DJScan250" })
        {
            Assert.Contains(Lines(stderr), l => l.StartsWith("lightmood workspace: warning: ", StringComparison.Ordinal) && l.Contains($"no definition of {missing}", StringComparison.Ordinal));
        }

        Assert.Equal(6, Lines(stderr).Count(l => l.Contains("no definition of Futurelight/DJScan250", StringComparison.Ordinal)));   // each scanner named

        // with the definition next to the workspace, it is found there
        File.Copy("/usr/share/qlcplus/fixtures/Stairville/Stairville-LED-PAR56.qxf", Path.Combine(_dir.FullName, "Stairville-LED-PAR56.qxf"));
        var again = Lightmood("workspace", "import", copy, "--out", Path.Combine(_dir.FullName, "out2"), "--json", "--qlc-fixtures", empty);
        Assert.Equal(5, JsonDocument.Parse(again.Stdout).RootElement.GetProperty("fixtures").GetInt32());
    }

    [Fact]
    public void Without_a_verb_it_shows_the_usage()
    {
        var (exit, _, usage) = Lightmood("workspace");
        Assert.Equal(2, exit);
        Assert.Contains("workspace import FILE.qxw", usage, StringComparison.Ordinal);
    }
}
