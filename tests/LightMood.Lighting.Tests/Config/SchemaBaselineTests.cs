using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Config;

/// <summary>
/// The hand-written schemas in config/schemas and the loaders must agree: every property a loader reads is in the
/// schema and every property the schema allows is read by a loader (the loaders reject unknown members). The options
/// schema is generated from <see cref="LightingOptions"/> and compared with its committed baseline
/// (regenerate with LIGHTMOOD_UPDATE_SCHEMAS=1).
/// </summary>
public sealed class SchemaBaselineTests
{
    private static JsonElement SchemaRoot(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Config, "schemas", name))).RootElement.Clone();

    private static JsonElement Resolve(JsonElement root, JsonElement node)
    {
        while (node.TryGetProperty("$ref", out var r))
        {
            node = root;
            foreach (var part in r.GetString()!.TrimStart('#', '/').Split('/'))
            {
                node = node.GetProperty(part);
            }
        }

        return node;
    }

    private static JsonElement At(JsonElement root, params string[] path)
    {
        var node = Resolve(root, root);
        foreach (var step in path)
        {
            node = step switch
            {
                "[]" => Resolve(root, node.GetProperty("items")),
                "*" => Resolve(root, node.GetProperty("additionalProperties")),   // any key of a map (a library scene, a preset)
                _ => Resolve(root, node.GetProperty("properties").GetProperty(step)),
            };
        }

        return node;
    }

    private static Type Dto(Type loader, string name) =>
        loader.GetNestedType(name, BindingFlags.NonPublic) ?? throw new InvalidOperationException($"{loader.Name}.{name} not found");

    private static SortedSet<string> JsonNames(Type dto) => new(
        dto.GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name)),
        StringComparer.Ordinal);

    private static SortedSet<string> SchemaNames(JsonElement node) =>
        new(node.GetProperty("properties").EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);

    public static TheoryData<string, string, string> Pairs => new()
    {
        { "patch.schema.json", "Patch:PatchDto", "" },
        { "patch.schema.json", "Patch:FixtureDto", "fixtures/[]" },
        { "fixture.schema.json", "Profile:ProfileDto", "" },
        { "fixture.schema.json", "Profile:ModeDto", "modes/[]" },
        { "fixture.schema.json", "Profile:ChannelDto", "modes/[]/channels/[]" },
        { "fixture.schema.json", "Profile:WheelSlotDto", "modes/[]/channels/[]/wheel/[]" },
        { "fixture.schema.json", "Profile:StrobeDto", "modes/[]/channels/[]/strobe" },
        { "scenes.schema.json", "Scenes:ScenesDto", "" },
        { "scenes.schema.json", "Scenes:ModulationDto", "modulation" },
        { "scenes.schema.json", "Scenes:SilenceDto", "silence" },
        { "scenes.schema.json", "Scenes:LookDto", "house" },
        { "scenes.schema.json", "Scenes:MovementDto", "house/movement" },
        { "scenes.schema.json", "Scenes:StrobeDto", "house/strobe" },
        { "scenes.schema.json", "Scenes:LookDto", "library/*" },
        { "scenes.schema.json", "Scenes:ChaseDto", "library/*/chase" },
        { "scenes.schema.json", "Scenes:PresetDto", "presets/*" },
        { "scenes.schema.json", "Scenes:MoodMappingDto", "presets/*/moods/calm" },
        { "scenes.schema.json", "Scenes:ModulationChangeDto", "presets/*/moods/calm/modulation" },
        { "scenes.schema.json", "Scenes:PresetSilenceDto", "presets/*/silence" },
        { "scenes.schema.json", "Scenes:SectionsDto", "house/sections" },
        { "scenes.schema.json", "Scenes:AccentDto", "house/sections/accent" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Schema_and_loader_know_the_same_properties(string schema, string dto, string path)
    {
        var loader = dto.Split(':')[0] switch
        {
            "Patch" => typeof(PatchLoader),
            "Profile" => typeof(FixtureProfileJson),
            _ => typeof(SceneLoader),
        };
        var root = SchemaRoot(schema);
        var node = At(root, path.Length == 0 ? [] : path.Split('/'));
        Assert.Equal(JsonNames(Dto(loader, dto.Split(':')[1])), SchemaNames(node));
    }

    [Fact]
    public void Moods_in_the_scenes_schema_are_the_mood_contract()
    {
        var moods = SchemaNames(At(SchemaRoot("scenes.schema.json"), "moods"));
        Assert.Equal(new SortedSet<string>(LightMood.MoodNames.All.Select(m => LightMood.MoodNames.ToName(m)), StringComparer.Ordinal), moods);
        var mapped = SchemaNames(At(SchemaRoot("scenes.schema.json"), "presets", "*", "moods"));
        Assert.Equal(moods, mapped);
    }

    [Fact]
    public void Channel_kinds_in_the_fixture_schema_are_the_enum()
    {
        var kinds = At(SchemaRoot("fixture.schema.json"), "modes", "[]", "channels", "[]").GetProperty("properties").GetProperty("kind").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(ChannelKinds.All.Select(k => k.ToName()), kinds);
        var patterns = At(SchemaRoot("scenes.schema.json"), "house", "movement").GetProperty("properties").GetProperty("pattern").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(Enum.GetNames<MovementPattern>().Select(n => n.ToLowerInvariant()), patterns);
    }

    [Fact]
    public void The_options_schema_matches_its_committed_baseline()
    {
        var serializer = new JsonSerializerOptions(JsonSerializerOptions.Default) { Converters = { new JsonStringEnumConverter() } };
        var node = serializer.GetJsonSchemaAsNode(typeof(LightingOptions), new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var generated = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "The Lighting section of appsettings.json (generated from LightingOptions; see docs/lighting.md)",
        };
        foreach (var (key, value) in node.AsObject())
        {
            generated[key] = value?.DeepClone();
        }

        var text = generated.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var path = Path.Combine(Repo.Config, "schemas", "lighting-options.schema.json");
        if (Environment.GetEnvironmentVariable("LIGHTMOOD_UPDATE_SCHEMAS") == "1")
        {
            File.WriteAllText(path, text);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with LIGHTMOOD_UPDATE_SCHEMAS=1 and commit it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), text);
    }
}
