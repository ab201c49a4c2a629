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
                    ["stepsPerBeat"] = chase.StepsPerBeat,
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
            ["modulation"] = template["modulation"]?.DeepClone(),
            ["library"] = library,
            ["presets"] = new JsonObject
            {
                ["default"] = new JsonObject { ["moods"] = moods, ["silence"] = SilenceEntry(template), ["house"] = "house" },
            },
            ["activePreset"] = "default",
        };
        var json = root.ToJsonString(Written);

        // a fixture's channel values on one line, { "1": 0, "2": 255 }, and so lists of names, colours, numbers
        json = ChannelMap().Replace(json, m => "{ " + Whitespace().Replace(m.Groups[1].Value, " ").Trim() + " }");
        return ScalarList().Replace(json, m => "[" + Whitespace().Replace(m.Groups[1].Value, " ").Trim() + "]") + "\n";
    }

    private static readonly string[] MoodNames = ["happy", "tense", "sad", "calm"];

    /// <summary>The default preset's silence entry with the template's gate settings (library or old format).</summary>
    private static JsonObject SilenceEntry(JsonObject template)
    {
        var entry = new JsonObject { ["scene"] = "silence" };
        var presets = template["presets"] as JsonObject;
        var active = template["activePreset"]?.GetValue<string>() ?? presets?.FirstOrDefault().Key;
        var source = (active is null ? null : presets?[active]?["silence"]) ?? template["silence"];
        foreach (var key in new[] { "energyThreshold", "graceSeconds", "fadeSeconds" })
        {
            if (source?[key] is JsonValue value)
            {
                entry[key] = value.DeepClone();
            }
        }

        return entry;
    }

    /// <summary>
    /// The template's mood, silence and house looks: in a library file those its active preset maps (copied under the
    /// mood's name), in an old-format file its <c>moods</c>, <c>silence.look</c> and <c>house</c>.
    /// </summary>
    private static IEnumerable<(string Name, JsonObject Look)> ShippedLooks(JsonObject template, string source)
    {
        if (template["library"] is JsonObject library)
        {
            return LibraryLooks(template, library, source);
        }

        return OldFormatLooks(template, source);
    }

    private static List<(string Name, JsonObject Look)> LibraryLooks(JsonObject template, JsonObject library, string source)
    {
        var errors = new List<string>();
        var looks = new List<(string, JsonObject)>();
        var presets = template["presets"] as JsonObject;
        var active = template["activePreset"]?.GetValue<string>() ?? presets?.FirstOrDefault().Key;
        var preset = active is null ? null : presets?[active] as JsonObject;
        if (preset is null)
        {
            throw new LightingConfigException($"{source}: presets: no active preset to copy the looks of");
        }

        void Add(string name, JsonNode? sceneName, string path)
        {
            var scene = sceneName?.GetValueKind() == JsonValueKind.String ? sceneName.GetValue<string>() : null;
            if (scene is not null && library[scene] is JsonObject look && look.ContainsKey("intensity"))
            {
                looks.Add((name, look));
            }
            else
            {
                errors.Add($"{source}: presets.{active}.{path}: no look to copy ({scene ?? "no scene named"})");
            }
        }

        foreach (var mood in MoodNames)
        {
            Add(mood, preset["moods"]?[mood]?["scenes"]?[0], $"moods.{mood}");
        }

        Add("silence", preset["silence"]?["scene"], "silence");
        Add("house", preset["house"], "house");
        return errors.Count > 0 ? throw new LightingConfigException(errors) : looks;
    }

    private static IEnumerable<(string Name, JsonObject Look)> OldFormatLooks(JsonObject template, string source)
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
