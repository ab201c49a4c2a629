using LightMood.Lighting.Fixtures;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood fixtures import FILE.qxf [--print | --out DIR]</c>: converts a QLC+ fixture definition into a
/// LightMood profile, written to <c>config/fixtures/Manufacturer-Model.json</c> (or DIR), or printed on stdout.
/// Exit codes: 0 done, 2 bad arguments or an unreadable/malformed definition (one error per line on stderr).
/// </summary>
internal static class FixturesCommand
{
    public const string Usage = "fixtures import FILE.qxf [--print|--out DIR]";

    public static Task<int> Run(string[] args) => Task.FromResult(Execute(args, Console.Out, Console.Error));

    internal static int Execute(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length < 2 || args[0] != "import")
        {
            stderr.WriteLine($"usage: lightmood {Usage}");
            return 2;
        }

        var file = args[1];
        var print = false;
        var outDir = Path.Combine("config", "fixtures");
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--print":
                    print = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    outDir = args[++i];
                    break;
                default:
                    stderr.WriteLine($"lightmood fixtures: unknown option '{args[i]}'; usage: lightmood {Usage}");
                    return 2;
            }
        }

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

        Directory.CreateDirectory(outDir);
        var name = Slug(profile.Manufacturer) + "-" + Slug(profile.Model) + ".json";
        var path = Path.Combine(outDir, name);
        File.WriteAllText(path, json);
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
