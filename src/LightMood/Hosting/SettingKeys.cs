using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace LightMood.Hosting;

/// <summary>
/// Finds configuration keys under the daemon's own sections that no setting reads: a typo (<c>Web__Url</c> for
/// <c>Web__Urls</c>) is otherwise silently ignored. Known keys are the public settable properties of each section's
/// options class, recursively (case-insensitive, as the binder matches them); the entries of a list or dictionary
/// setting are the setting's own. Other sections (<c>Serilog</c>, <c>Kestrel</c>, <c>Logging</c>...) are not looked at.
/// </summary>
public static class SettingKeys
{
    /// <summary>An unknown key, and the known key it most resembles (or null).</summary>
    public sealed record UnknownKey(string Path, string? Suggestion);

    /// <summary>The daemon's sections and the options each binds to.</summary>
    public static IReadOnlyList<(string Section, Type Options)> DaemonSections { get; } =
    [
        (AudioOptions.SectionName, typeof(AudioOptions)),
        (AnalysisOptions.SectionName, typeof(AnalysisOptions)),
        (WebOptions.SectionName, typeof(WebOptions)),
        (Lighting.Engine.LightingOptions.SectionName, typeof(Lighting.Engine.LightingOptions)),
        (Osc.OscOptions.SectionName, typeof(Osc.OscOptions)),
        (DaemonPaths.SectionName, typeof(PathSettings)),
    ];

    /// <summary>Every key under <paramref name="sections"/> that no setting reads, in configuration order.</summary>
    public static IReadOnlyList<UnknownKey> Unknown(IConfiguration configuration, IEnumerable<(string Section, Type Options)> sections)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var unknown = new List<UnknownKey>();
        foreach (var (section, type) in sections)
        {
            Walk(configuration.GetSection(section), type, unknown);
        }

        return unknown;
    }

    private static void Walk(IConfigurationSection section, Type type, List<UnknownKey> unknown)
    {
        var settings = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var child in section.GetChildren())
        {
            var setting = settings.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (setting is null)
            {
                unknown.Add(new UnknownKey(child.Path, Closest(child.Key, settings.Select(p => p.Name))?.Insert(0, section.Path + ":")));
            }
            else if (IsSection(setting.PropertyType))
            {
                Walk(child, setting.PropertyType, unknown);
            }
        }
    }

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary>The name within two edits of <paramref name="key"/> (case-insensitive), the nearest first; null when none.</summary>
    private static string? Closest(string key, IEnumerable<string> names) =>
        names.Select(n => (Name: n, Distance: Distance(key.ToUpperInvariant(), n.ToUpperInvariant())))
            .Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance)
            .Select(x => x.Name)
            .FirstOrDefault();

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    /// <summary>The keys <see cref="DaemonPaths.Resolve"/> reads under <c>Paths</c>.</summary>
    private sealed class PathSettings
    {
        public string? StateDirectory { get; set; }

        public string? LogDirectory { get; set; }
    }
}
