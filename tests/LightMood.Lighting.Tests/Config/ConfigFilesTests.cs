using System.Text.Json;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Config;

/// <summary>Every file in config/ is checked against its schema, and the shipped config loads.</summary>
public sealed class ConfigFilesTests
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static string SchemaFor(string relative) => relative.Replace('\\', '/') switch
    {
        "patch.json" => "patch.schema.json",
        "scenes.json" => "scenes.schema.json",
        var f when f.StartsWith("fixtures/", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal) => "fixture.schema.json",
        var f when f.StartsWith("schemas/", StringComparison.Ordinal) => "",
        var f => throw new Xunit.Sdk.XunitException($"config/{f} has no schema: add one in config/schemas and map it here"),
    };

    internal static JsonSchemaSubset Schema(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Config, "schemas", name)));
        return new JsonSchemaSubset(doc.RootElement.Clone());
    }

    [Fact]
    public void Every_file_in_config_validates_against_its_schema()
    {
        var files = Directory.EnumerateFiles(Repo.Config, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var checkedFiles = 0;
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(Repo.Config, file);
            var schema = SchemaFor(relative);
            using var doc = JsonDocument.Parse(File.ReadAllText(file), Lenient);
            if (schema.Length == 0)
            {
                continue;
            }

            var errors = Schema(schema).Validate(doc.RootElement);
            Assert.True(errors.Count == 0, $"config/{relative}:\n" + string.Join("\n", errors));
            checkedFiles++;
        }

        Assert.True(checkedFiles >= 4, $"only {checkedFiles} config files checked");
    }

    [Fact]
    public void The_lighting_section_of_appsettings_and_the_documented_example_validate_against_the_options_schema()
    {
        var schema = Schema("lighting-options.schema.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "appsettings.json")), Lenient);
        if (settings.RootElement.TryGetProperty(LightingOptions.SectionName, out var section))
        {
            var errors = schema.Validate(section);
            Assert.True(errors.Count == 0, "appsettings.json Lighting:\n" + string.Join("\n", errors));
        }

        // the example in docs/lighting.md
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "lighting.md"));
        var start = doc.IndexOf("```json\n{\n  \"Lighting\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/lighting.md has no Lighting example");
        var json = doc[(start + 8)..doc.IndexOf("```", start + 8, StringComparison.Ordinal)];
        using var example = JsonDocument.Parse(json);
        var exampleErrors = schema.Validate(example.RootElement.GetProperty("Lighting"));
        Assert.True(exampleErrors.Count == 0, string.Join("\n", exampleErrors));
        var bound = example.RootElement.GetProperty("Lighting").Deserialize<LightingOptions>(
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } })!;
        Assert.Empty(bound.Validate());
        Assert.Equal(SafeLook.Hold, bound.SafeLook);
        var bad = JsonDocument.Parse("""{ "RateHz": "fast", "SafeLook": "Panic", "ArtNet": { "Nodes": 3 } }""").RootElement;
        Assert.Equal(3, schema.Validate(bad).Count);
    }

    [Fact]
    public void The_schemas_catch_what_the_loader_rejects()
    {
        var patch = JsonDocument.Parse("""
            { "fixtures": [ { "name": "a", "profile": "X", "mode": "m", "universe": 40000, "address": 0, "group": "g", "colour": 1 } ] }
            """).RootElement;
        var errors = Schema("patch.schema.json").Validate(patch);
        Assert.Contains(errors, e => e.Contains("universe", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("address", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("profile", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("colour", StringComparison.Ordinal));

        var scenes = JsonDocument.Parse("""
            { "silence": { "look": { "intensity": 2 } }, "moods": { "happy": { "movement": { "pattern": "spin" } } } }
            """).RootElement;
        var sceneErrors = Schema("scenes.schema.json").Validate(scenes);
        Assert.Contains(sceneErrors, e => e.Contains("intensity", StringComparison.Ordinal));
        Assert.Contains(sceneErrors, e => e.Contains("pattern", StringComparison.Ordinal));
        Assert.Contains(sceneErrors, e => e.Contains("'tense'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_patch_and_scenes_load_with_the_default_options()
    {
        var options = new LightingOptions();
        Assert.Empty(options.Validate());
        var patch = PatchLoader.Load(Path.Combine(Repo.Root, options.PatchFile));
        Assert.Equal(6, patch.Fixtures.Count);
        Assert.Equal([0], patch.Universes);
        Assert.Equal(["pars", "movers"], patch.Groups);
        var scenes = SceneLoader.Load(Path.Combine(Repo.Root, options.ScenesFile), patch);
        Assert.Equal(4, scenes.Moods.Count);
        Assert.True(scenes.LookFor(LightMood.Mood.Tense).StrobeOrOff.Allowed);
    }

    [Fact]
    public void Fixture_profiles_round_trip_through_json()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Config, "fixtures"), "*.json"))
        {
            var profile = FixtureProfileJson.Load(file);
            var again = FixtureProfileJson.Parse(FixtureProfileJson.Serialize(profile), "round-trip");
            Assert.Equal(profile.Key, again.Key);
            Assert.Equal(profile.Modes.Select(m => (m.Name, string.Join(",", m.Channels.Select(c => $"{c.Kind}:{c.Default}:{c.StrobeRange}")))),
                again.Modes.Select(m => (m.Name, string.Join(",", m.Channels.Select(c => $"{c.Kind}:{c.Default}:{c.StrobeRange}")))));
        }
    }
}
