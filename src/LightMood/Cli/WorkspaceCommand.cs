using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightMood.Hosting;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Workspace;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood workspace import FILE.qxw [--out DIR] [--json] [--force] [--qlc-fixtures DIR]</c>: a QLC+ workspace's
/// fixtures into <c>DIR/patch.json</c> and <c>DIR/fixtures/*.json</c>, its scenes and chasers into
/// <c>DIR/scenes.json</c> (<see cref="WorkspaceImport"/>, <see cref="WorkspaceImportJson"/>); DIR is the state
/// directory unless given. What is not carried is listed by name, type and reason. Nothing that exists is replaced
/// without <c>--force</c> (a profile file with exactly the text it would get is left as it is). Exit codes: 0 imported
/// (fixtures left out, e.g. a definition not found, are warning lines on stderr), 2 the file is unusable (not XML,
/// truncated, not a workspace, malformed entries, no fixture importable) or files exist: one line per problem.
/// </summary>
internal static class WorkspaceCommand
{
    private const string Prefix = "lightmood workspace";

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "a QLC+ workspace, e.g. /usr/share/qlcplus/Sample.qxw", HelpName = "FILE.qxw" };
        var output = new Option<string?>("--out") { Description = "write patch.json, scenes.json and fixtures/ into DIR instead of the state directory", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "print {\"fixtures\", \"scenes\", \"chases\", \"skipped\": [{\"name\", \"type\", \"why\"}]}" };
        var force = new Option<bool>("--force") { Description = "replace files that exist" };
        var qlc = new Option<string>("--qlc-fixtures") { Description = "the QLC+ fixture library searched after the workspace's folder", HelpName = "DIR", DefaultValueFactory = _ => WorkspaceImport.DefaultQlcLibrary };
        var import = new Command("import", "import a QLC+ workspace: fixtures into a patch, scenes and chasers into a scene library") { file, output, json, force, qlc };
        import.SetAction(parse => Import(
            parse.GetRequiredValue(file), parse.GetValue(output), parse.GetValue(json), parse.GetValue(force), parse.GetValue(qlc) ?? WorkspaceImport.DefaultQlcLibrary, Console.Out, Console.Error));
        return new Command("workspace", "QLC+ workspaces (.qxw): import a rig and its scenes") { import };
    }

    internal static int Import(string path, string? outDir, bool json, bool force, string qlcFixtures, TextWriter stdout, TextWriter stderr)
    {
        var took = Stopwatch.StartNew();
        WorkspaceImportResult result;
        IReadOnlyList<(string RelativePath, string Text)> files;
        try
        {
            var workspace = QlcWorkspace.Load(path);
            result = WorkspaceImport.Run(workspace, path, [qlcFixtures]);
            foreach (var warning in result.Warnings)
            {
                stderr.WriteLine($"{Prefix}: warning: {path}: {warning}");
            }

            if (result.Fixtures.Count == 0)
            {
                stderr.WriteLine($"{Prefix}: {path}: no fixture could be imported ({workspace.Fixtures.Count} in the workspace): nothing written");
                return 2;
            }

            var template = Path.Combine(AppContext.BaseDirectory, "config", "scenes.json");
            files = WorkspaceImportJson.Files(result, ReadTemplate(template), template);
        }
        catch (LightingConfigException e)
        {
            foreach (var error in e.Errors)
            {
                stderr.WriteLine($"{Prefix}: {error}");
            }

            return 2;
        }

        var dir = outDir ?? DaemonPaths.ForCommandLine().State;
        var targets = files.Select(f => (Path: Path.GetFullPath(Path.Combine(dir, f.RelativePath)), f.Text)).ToList();
        var unchanged = targets.Where(t => t.Path.EndsWith(".json", StringComparison.Ordinal) && Path.GetFileName(Path.GetDirectoryName(t.Path)) == WorkspaceImportJson.ProfileFolder
            && File.Exists(t.Path) && SameText(t.Path, t.Text)).Select(t => t.Path).ToHashSet(StringComparer.Ordinal);
        var existing = targets.Where(t => !unchanged.Contains(t.Path) && File.Exists(t.Path)).ToList();
        if (existing.Count > 0 && !force)
        {
            foreach (var t in existing)
            {
                stderr.WriteLine($"{Prefix}: {t.Path} exists (imported before, perhaps edited since); --force replaces it");
            }

            stderr.WriteLine($"{Prefix}: nothing written");
            return 2;
        }

        try
        {
            foreach (var t in targets.Where(t => !unchanged.Contains(t.Path)))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(t.Path)!);
                AtomicFile.WriteAllText(t.Path, t.Text);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{Prefix}: {dir}: cannot be written ({e.Message.TrimEnd('.')})");
            return 2;
        }

        if (json)
        {
            stdout.WriteLine(Summary(result).ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            Report(result, dir, took.Elapsed, stdout);
        }

        return 0;
    }

    internal static JsonObject Summary(WorkspaceImportResult result) => new()
    {
        ["fixtures"] = result.Fixtures.Count,
        ["scenes"] = result.Scenes.Count,
        ["chases"] = result.Chases.Count,
        ["skipped"] = new JsonArray(result.Skipped.Select(s => (JsonNode?)new JsonObject { ["name"] = s.Name, ["type"] = s.Type, ["why"] = s.Why }).ToArray()),
    };

    private static void Report(WorkspaceImportResult result, string dir, TimeSpan took, TextWriter stdout)
    {
        var groups = result.Fixtures.GroupBy(f => f.Group).Select(g => $"{g.Key} {g.Count()}");
        stdout.WriteLine($"{Path.Combine(dir, WorkspaceImportJson.PatchFile)}: {result.Fixtures.Count} fixtures ({string.Join(", ", groups)}), {result.Profiles.Count} profiles in {Path.Combine(dir, WorkspaceImportJson.ProfileFolder)}");
        stdout.WriteLine($"{Path.Combine(dir, WorkspaceImportJson.ScenesFile)}: {result.Scenes.Count} scenes, {result.Chases.Count} chases, the looks {string.Join(", ", WorkspaceImport.ShippedLooks)} and preset 'default' (each mood on its shipped look: map them to the imported scenes)");
        stdout.WriteLine($"skipped: {result.Skipped.Count}{(result.Skipped.Count == 0 ? "" : " (" + string.Join(", ", result.Skipped.GroupBy(s => s.Type).Select(g => $"{g.Count()} {g.Key}")) + ")")}");
        foreach (var s in result.Skipped)
        {
            stdout.WriteLine($"  {s.Type} '{s.Name}': {s.Why}");
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({took.TotalSeconds:0.00} s)"));
    }

    private static string ReadTemplate(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LightingConfigException($"{path}: cannot read the shipped looks: {e.Message}", e);
        }
    }

    private static bool SameText(string path, string text)
    {
        try
        {
            return File.ReadAllText(path) == text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
