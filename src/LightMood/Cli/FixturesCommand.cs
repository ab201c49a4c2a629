using System.CommandLine;
using LightMood.Hosting;
using LightMood.Lighting.Fixtures;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood fixtures import FILE.qxf [--print | --out DIR] [--force]</c>: converts a QLC+ fixture definition into
/// a LightMood profile, written as <c>Manufacturer-Model.json</c> to the state directory's <c>fixtures/</c> folder (the
/// folder the daemon reads imported profiles from, <see cref="DaemonPaths"/>), or to DIR, or printed on stdout. An
/// existing profile is never replaced unless <c>--force</c> is given. Exit codes: 0 done, 2 bad arguments, an
/// unreadable or malformed definition, or a profile that exists (one error per line on stderr).
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
        return new Command("fixtures", "fixture profiles: import QLC+ definitions") { import };
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

        var path = Path.Combine(outDir ?? DaemonPaths.ForCommandLine().Fixtures, Slug(profile.Manufacturer) + "-" + Slug(profile.Model) + ".json");
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

    private static string Slug(string text)
    {
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray();
        return string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}
