using System.CommandLine;
using System.Globalization;
using LightMood.Hosting;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Fixtures.LitCheck;
using LightMood.Lighting.Scenes;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood fixtures import FILE.qxf [--print | --out DIR] [--force]</c>: converts a QLC+ fixture definition into
/// a LightMood profile, written as <c>Manufacturer-Model.json</c> to the state directory's <c>fixtures/</c> folder (the
/// folder the daemon reads imported profiles from, <see cref="DaemonPaths"/>), or to DIR, or printed on stdout. An
/// existing profile is never replaced unless <c>--force</c> is given. Exit codes: 0 done, 2 bad arguments, an
/// unreadable or malformed definition, or a profile that exists (one error per line on stderr).
/// <c>lightmood fixtures check [DIR] [--scenes FILE] [--patch FILE] [--all]</c>: the lit-check
/// (<see cref="FixtureLitCheck"/>) over a QLC+ fixture folder (default /usr/share/qlcplus/fixtures) with the shipped
/// looks (config/scenes.json). Exit codes: 0 no mode dark by a value LightMood chose, 1 some are, 2 bad arguments.
/// </summary>
internal static class FixturesCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "a QLC+ fixture definition (.qxf), e.g. from /usr/share/qlcplus/fixtures", HelpName = "FILE.qxf" };
        var print = new Option<bool>("--print") { Description = "print the profile on stdout instead of writing it" };
        var output = new Option<string?>("--out") { Description = "write to DIR instead of the state directory's fixtures/ folder", HelpName = "DIR" };
        var force = new Option<bool>("--force") { Description = "replace a profile of the same name" };
        var import = new Command("import", "convert a QLC+ .qxf fixture definition to a LightMood profile the daemon reads") { file, print, output, force };
        import.SetAction(parse => Import(parse.GetRequiredValue(file), parse.GetValue(print), parse.GetValue(output), parse.GetValue(force), Console.Out, Console.Error));

        var dir = new Argument<string>("DIR") { Description = "a QLC+ fixture folder", HelpName = "DIR", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultLibrary };
        var scenes = new Option<string?>("--scenes") { Description = "the looks to render (default: the shipped config/scenes.json)", HelpName = "FILE" };
        var patch = new Option<string?>("--patch") { Description = "the patch whose groups the looks name (default: the shipped config/patch.json)", HelpName = "FILE" };
        var all = new Option<bool>("--all") { Description = "list every failing mode and mood, colour ones too" };
        var check = new Command("check", "lit-check: every mode of every definition, each mood's look, decoded back through its capabilities") { dir, scenes, patch, all };
        check.SetAction(parse => Check(parse.GetValue(dir) ?? DefaultLibrary, parse.GetValue(scenes), parse.GetValue(patch), parse.GetValue(all), Console.Out, Console.Error));
        return new Command("fixtures", "fixture profiles: import QLC+ definitions, check the library is lit") { import, check };
    }

    public const string DefaultLibrary = "/usr/share/qlcplus/fixtures";

    internal static int Check(string folder, string? scenesFile, string? patchFile, bool all, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(folder))
        {
            stderr.WriteLine($"lightmood fixtures check: {folder} is not a folder (Debian: apt-get install qlcplus)");
            return 2;
        }

        SceneBook scenes;
        try
        {
            var install = AppContext.BaseDirectory;
            var rig = PatchLoader.Load(patchFile ?? Path.Combine(install, "config", "patch.json"));
            scenes = SceneLoader.Load(scenesFile ?? Path.Combine(install, "config", "scenes.json"), rig);
        }
        catch (LightingConfigException e)
        {
            foreach (var error in e.Errors)
            {
                stderr.WriteLine($"lightmood fixtures check: {error}");
            }

            return 2;
        }

        var r = FixtureLitCheck.Run(folder, scenes);
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"lit-check of {folder}: {r.Files} definitions, {r.Modes} modes, each mood's look (happy, tense, sad, calm) ({r.Took.TotalSeconds:0.0} s)"));
        stdout.WriteLine($"  import failures:              {r.ImportFailures}");
        stdout.WriteLine($"  checked modes:                {r.Checked} (with an intensity, shutter or colour channel; {r.NoLightChannels} without)");
        stdout.WriteLine($"  lit in every mood:            {r.Lit}");
        stdout.WriteLine($"  of them lit by an inference:  {r.LitByInference} (a range named closed read as an LED strobe's steady range, a programme off beside emitters, a reset channel's idle range)");
        stdout.WriteLine($"  dark by definition:           {r.DarkByDefinition} (a channel offers only closed, strobe or programme ranges; {r.StrobeLights} of them strobe lights, which give light only by flashing; {r.StrobeLightsFlashing} of those flash in a strobing look)");
        stdout.WriteLine($"  dark by a value LightMood chose: {r.Dark - r.DarkByDefinition}");
        stdout.WriteLine(string.Create(c, $"  colour, mixing (RGB/CMY/HSV): {r.MixingWithin} of {r.Mixing} within {r.ColourTolerance} of the look's colour (normalised RGB)"));
        stdout.WriteLine($"  colour, wheel or macro only:  {r.WheelNearest} of {r.Wheel} on the slot nearest the look's colour");
        stdout.WriteLine($"  no colour system:             {r.NoColourSystem}");
        foreach (var f in all ? r.Inferences : [])
        {
            stdout.WriteLine($"  {f.File} [{f.Mode}]: lit by inference: {f.Problem}");
        }

        var shown = all ? r.Failures : r.Failures.Where(f => f.Problem.StartsWith("dark:", StringComparison.Ordinal)).Take(50).ToList();
        foreach (var f in shown)
        {
            stdout.WriteLine($"  {f.File} [{f.Mode}] {f.Mood}: {f.Problem}");
        }

        return r.NoneDarkByLightMood ? 0 : 1;
    }

    internal static int Import(string file, bool print, string? outDir, bool force, TextWriter stdout, TextWriter stderr)
    {
        FixtureProfile profile;
        try
        {
            profile = QxfImporter.Load(file);
        }
        catch (LightingConfigException e)
        {
            foreach (var error in e.Errors)
            {
                stderr.WriteLine($"lightmood fixtures: {error}");
            }

            return 2;
        }

        var json = FixtureProfileJson.Serialize(profile);
        if (print)
        {
            stdout.Write(json);
            return 0;
        }

        var path = Path.Combine(outDir ?? DaemonPaths.ForCommandLine().Fixtures, FixtureProfileJson.FileName(profile));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (force)
            {
                AtomicFile.WriteAllText(path, json);
            }
            else
            {
                // CreateNew: an existing profile (an earlier import, maybe edited since) is an error, never replaced
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                stream.Write(System.Text.Encoding.UTF8.GetBytes(json));
                stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException) when (!force && File.Exists(path))
        {
            stderr.WriteLine($"lightmood fixtures: {path} exists (imported before, perhaps edited since); --force replaces it");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"lightmood fixtures: {path}: cannot be written ({e.Message.TrimEnd('.')})");
            return 2;
        }

        stdout.WriteLine($"{path}: {profile.Key}, {profile.Modes.Count} mode(s): {string.Join(", ", profile.Modes.Select(m => $"{m.Name} ({m.Footprint} ch)"))}");
        stdout.WriteLine($"patch it as \"profile\": \"{profile.Key}\"");
        return 0;
    }
}
