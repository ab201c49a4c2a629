using System.Text;

namespace LightMood.Tests.Service;

/// <summary>
/// The repository's unit file as systemd reads it (for what these tests need): the <c>[Service]</c> settings, in
/// order, with repeated keys kept (<c>Environment=</c>), comments and blank lines skipped, an empty assignment kept as "".
/// </summary>
public sealed class SystemdUnit
{
    private readonly List<(string Section, string Key, string Value)> _settings;

    private SystemdUnit(List<(string, string, string)> settings) => _settings = settings;

    public static string RepoRoot { get; } = FindRoot();

    public static SystemdUnit Shipped => Load(Path.Combine(RepoRoot, "systemd", "lightmood.service"));

    public static SystemdUnit Load(string path)
    {
        var settings = new List<(string, string, string)>();
        var section = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                settings.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
            }
        }

        return new SystemdUnit(settings);
    }

    /// <summary>Every value of <paramref name="key"/> in [Service], in order.</summary>
    public IReadOnlyList<string> All(string key, string section = "Service") =>
        [.. _settings.Where(s => s.Section == section && s.Key == key).Select(s => s.Value)];

    /// <summary>The last value of <paramref name="key"/> (the one systemd uses), or null.</summary>
    public string? this[string key] => All(key).LastOrDefault();

    /// <summary><c>Environment=</c> assignments (space-separated, double quotes allowed), later ones winning.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in All("Environment"))
        {
            foreach (var word in Words(value))
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    env[word[..eq]] = word[(eq + 1)..];
                }
            }
        }

        return env;
    }

    /// <summary>Splits a command line or an assignment list the way systemd does for unquoted and double-quoted words.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    words.Add(word.ToString());
                }

                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }

        if (any)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>The command in the README's "Install as a service" block that starts with <paramref name="program"/>, as words.</summary>
    public static IReadOnlyList<string> ReadmeInstallCommand(string program)
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
        var section = readme.IndexOf("## Install as a service", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no 'Install as a service' section");
        var fence = readme.IndexOf("```sh", section, StringComparison.Ordinal);
        var end = readme.IndexOf("```", fence + 5, StringComparison.Ordinal);
        var line = readme[(fence + 5)..end].Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(program + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"README.md's install block has no '{program}' command");
        var comment = line.IndexOf(" #", StringComparison.Ordinal);
        return Words(comment < 0 ? line : line[..comment]);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LightMood.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LightMood.sln not found above " + AppContext.BaseDirectory);
    }
}
