using System.Collections.Concurrent;
using System.Text.Json;

namespace LightMood.Lighting.Scenes;

/// <summary>
/// The numeric ranges of the scenes file, read from <c>config/schemas/scenes.schema.json</c> (embedded in this
/// assembly at build time): the schema is their one source, so the loader and the schema cannot disagree. A path names a property as the file nests it (<c>silence.fadeSeconds</c>);
/// a path that starts with a name of <c>$defs</c> names a property of that definition (<c>look.…</c>: of any look or
/// library scene, <c>$defs/look</c>; <c>presetSilence.…</c>: of a preset's silence).
/// </summary>
internal static class SceneRanges
{
    private const string ResourceName = "LightMood.Lighting.scenes.schema.json";
    private static readonly JsonElement Schema = LoadSchema();
    private static readonly ConcurrentDictionary<string, (double Min, double Max)> Cache = new(StringComparer.Ordinal);

    /// <summary>The schema's <c>minimum</c> and <c>maximum</c> of <paramref name="path"/>; throws when the schema has none (a programming error).</summary>
    public static (double Min, double Max) Of(string path) => Cache.GetOrAdd(path, Resolve);

    /// <summary>Adds "<paramref name="field"/>: value is outside min..max" to <paramref name="errors"/> unless <paramref name="value"/> is in range.</summary>
    public static void Check(List<string> errors, string field, double value, string path)
    {
        var (min, max) = Of(path);
        if (!(value >= min && value <= max))
        {
            errors.Add($"{field}: {value} is outside {min}..{max}");
        }
    }

    private static (double Min, double Max) Resolve(string path)
    {
        var parts = path.Split('.');
        var defs = Schema.GetProperty("$defs");
        var node = defs.TryGetProperty(parts[0], out var def) ? def : Follow(Schema.GetProperty("properties").GetProperty(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            node = Follow(Follow(node).GetProperty("properties").GetProperty(part));
        }

        node = Follow(node);
        return node.TryGetProperty("minimum", out var min) && node.TryGetProperty("maximum", out var max)
            ? (min.GetDouble(), max.GetDouble())
            : throw new InvalidOperationException($"scenes.schema.json gives no minimum and maximum for {path}");
    }

    /// <summary>Follows a local <c>$ref</c> (<c>#/$defs/…</c>).</summary>
    private static JsonElement Follow(JsonElement node)
    {
        while (node.TryGetProperty("$ref", out var reference))
        {
            node = Schema;
            foreach (var step in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                node = node.GetProperty(step);
            }
        }

        return node;
    }

    private static JsonElement LoadSchema()
    {
        using var stream = typeof(SceneRanges).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded {ResourceName} is missing from the build");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }
}
