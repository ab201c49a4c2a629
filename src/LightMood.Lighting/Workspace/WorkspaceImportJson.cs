using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Workspace;

/// <summary>
/// The files of a workspace import: <c>patch.json</c> (today's patch format, profiles from <c>fixtures/</c>),
/// <c>fixtures/*.json</c> (<see cref="FixtureProfileJson"/>) and <c>scenes.json</c> in the library format
/// (<c>library</c> of scenes, chases and looks; <c>presets</c>; <c>activePreset</c>). The shipped looks are copied from
/// a scenes file's <c>moods</c>, <c>silence.look</c> and <c>house</c> (config/scenes.json), their palettes moved onto
/// the imported groups, and the default preset maps each mood to them.
/// </summary>
public static partial class WorkspaceImportJson
{
    public const string PatchFile = "patch.json";
    public const string ScenesFile = "scenes.json";
    public const string ProfileFolder = "fixtures";

    /// <summary>Every file, relative to the output folder, with its text.</summary>
    public static IReadOnlyList<(string RelativePath, string Text)> Files(WorkspaceImportResult result, string looksTemplateJson, string templateSource) =>
    [
        .. result.Profiles.Select(p => (Path.Combine(ProfileFolder, FixtureProfileJson.FileName(p)), FixtureProfileJson.Serialize(p))),
        (PatchFile, Patch(result)),
        (ScenesFile, Scenes(result, looksTemplateJson, templateSource)),
    ];

    public static string Patch(WorkspaceImportResult result)
    {
        var s = new StringBuilder();
        s.Append("{\n  \"$schema\": \"schemas/patch.schema.json\",\n  \"profileFolders\": [\"").Append(ProfileFolder).Append("\"],\n  \"fixtures\": [\n");
        for (var i = 0; i < result.Fixtures.Count; i++)
        {
            var f = result.Fixtures[i];
            s.Append(CultureInfo.InvariantCulture,
                $"    {{ \"name\": {Str(f.Name)}, \"profile\": {Str(f.Profile.Key)}, \"mode\": {Str(f.Mode)}, \"universe\": {f.Universe}, \"address\": {f.Address}, \"group\": {Str(f.Group)} }}");
            s.Append(i + 1 < result.Fixtures.Count ? ",\n" : "\n");
        }

        return s.Append("  ]\n}\n").ToString();
    }

    public static string Scenes(WorkspaceImportResult result, string looksTemplateJson, string templateSource)
    {
        JsonObject template;
        try
        {
            template = JsonNode.Parse(looksTemplateJson, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new LightingConfigException($"{templateSource}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new LightingConfigException($"{templateSource}: not valid JSON: {e.Message}", e);
        }

        var groups = result.Fixtures.GroupBy(f => f.Group, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Any(f => f.Moves), StringComparer.Ordinal);
        var library = new JsonObject();
        foreach (var (name, look) in ShippedLooks(template, templateSource))
        {
            library[name] = Retarget(look, groups);
        }

        foreach (var scene in result.Scenes)
        {
            var channels = new JsonObject();
            foreach (var (fixture, values) in scene.Channels)
            {
                channels[fixture] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)JsonValue.Create((int)v.Value))));
            }

            library[scene.Name] = new JsonObject { ["channels"] = channels };
        }

        foreach (var chase in result.Chases)
        {
            library[chase.Name] = new JsonObject
            {
                ["chase"] = new JsonObject
                {
                    ["steps"] = new JsonArray(chase.Steps.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                    ["holdSeconds"] = chase.HoldSeconds,
                    ["fadeSeconds"] = chase.FadeSeconds,
                    ["stepsPerBeat"] = 0,
                },
            };
        }

        var moods = new JsonObject();
        foreach (var mood in MoodNames)
        {
            moods[mood] = new JsonObject { ["scenes"] = new JsonArray(JsonValue.Create(mood)) };
        }

        var root = new JsonObject
        {
            ["$schema"] = "schemas/scenes.schema.json",
            ["crossfadeSeconds"] = template["crossfadeSeconds"]?.DeepClone() ?? 2.0,
            ["beatTimeoutSeconds"] = template["beatTimeoutSeconds"]?.DeepClone() ?? 3.0,
            ["library"] = library,
            ["presets"] = new JsonObject
            {
                ["default"] = new JsonObject { ["moods"] = moods, ["silence"] = new JsonObject { ["scene"] = "silence" }, ["house"] = "house" },
            },
            ["activePreset"] = "default",
        };
        var json = root.ToJsonString(Written);

        // a fixture's channel values on one line, { "1": 0, "2": 255 }, and so lists of names, colours, numbers
        json = ChannelMap().Replace(json, m => "{ " + Whitespace().Replace(m.Groups[1].Value, " ").Trim() + " }");
        return ScalarList().Replace(json, m => "[" + Whitespace().Replace(m.Groups[1].Value, " ").Trim() + "]") + "\n";
    }

    private static readonly string[] MoodNames = ["happy", "tense", "sad", "calm"];

    private static IEnumerable<(string Name, JsonObject Look)> ShippedLooks(JsonObject template, string source)
    {
        var errors = new List<string>();
        foreach (var mood in MoodNames)
        {
            if (template["moods"]?[mood] is JsonObject look)
            {
                yield return (mood, look);
            }
            else
            {
                errors.Add($"{source}: moods.{mood}: no look to copy");
            }
        }

        if (template["silence"]?["look"] is JsonObject silence)
        {
            yield return ("silence", silence);
        }
        else
        {
            errors.Add($"{source}: silence.look: no look to copy");
        }

        if (template["house"] is JsonObject house)
        {
            yield return ("house", house);
        }
        else
        {
            errors.Add($"{source}: house: no look to copy");
        }

        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }
    }

    /// <summary>
    /// A copy of a shipped look whose palette names the imported groups: a group the template names keeps its colours,
    /// a group of moving fixtures takes the template's <c>movers</c> colours, any other its <c>pars</c> colours (else
    /// <c>*</c>'s); <c>*</c> stays; template groups absent from the patch go.
    /// </summary>
    private static JsonObject Retarget(JsonObject look, Dictionary<string, bool> groups)
    {
        var copy = (JsonObject)look.DeepClone();
        if (copy["palette"] is not JsonObject palette)
        {
            return copy;
        }

        var retargeted = new JsonObject();
        foreach (var (group, moves) in groups)
        {
            var colours = palette[group] ?? palette[moves ? "movers" : "pars"] ?? palette["*"];
            if (colours is not null && !group.Equals("*", StringComparison.Ordinal))
            {
                retargeted[group] = colours.DeepClone();
            }
        }

        if (palette["*"] is { } any)
        {
            retargeted["*"] = any.DeepClone();
        }

        copy["palette"] = retargeted;
        return copy;
    }

    // names as typed in QLC+ (accents, '&'), escaped only where JSON needs it: the files are read by people too
    private static readonly JsonSerializerOptions Written = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Str(string s) => JsonSerializer.Serialize(s, Written);

    [GeneratedRegex(@"\{(\s*""\d+"": \d+(?:,\s*""\d+"": \d+)*)\s*\}")]
    private static partial Regex ChannelMap();

    [GeneratedRegex(@"\[(\s*(?:""[^""\\\n]*""|-?[0-9.]+)(?:,\s*(?:""[^""\\\n]*""|-?[0-9.]+))*)\s*\]")]
    private static partial Regex ScalarList();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
