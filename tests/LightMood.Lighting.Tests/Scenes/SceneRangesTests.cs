using System.Text.Json.Nodes;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Scenes;

/// <summary>The scenes file's ranges have one source, its schema: the loader reads them from the embedded copy.</summary>
public sealed class SceneRangesTests
{
    private static readonly JsonNode Schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Config, "schemas", "scenes.schema.json")))!;

    private static JsonNode Follow(JsonNode node) =>
        node["$ref"] is { } r ? Follow(r.GetValue<string>().TrimStart('#', '/').Split('/').Aggregate(Schema, (n, step) => n[step]!)) : node;

    [Theory]
    [InlineData("crossfadeSeconds", "properties/crossfadeSeconds")]
    [InlineData("beatTimeoutSeconds", "properties/beatTimeoutSeconds")]
    [InlineData("silence.graceSeconds", "properties/silence/properties/graceSeconds")]
    [InlineData("silence.energyThreshold", "properties/silence/properties/energyThreshold")]
    [InlineData("modulation.valenceWarmth", "properties/modulation/properties/valenceWarmth")]
    [InlineData("look.intensity", "$defs/look/properties/intensity")]
    [InlineData("look.movement.speedHz", "$defs/look/properties/movement/properties/speedHz")]
    [InlineData("look.movement.panRange", "$defs/look/properties/movement/properties/panRange")]
    [InlineData("look.strobe.arousalAbove", "$defs/look/properties/strobe/properties/arousalAbove")]
    public void The_loader_uses_the_schemas_own_bounds(string path, string pointer)
    {
        var node = Follow(pointer.Split('/').Aggregate(Schema, (n, step) => n[step]!));
        Assert.Equal((node["minimum"]!.GetValue<double>(), node["maximum"]!.GetValue<double>()), SceneRanges.Of(path));
    }

    [Fact]
    public void A_value_outside_the_schemas_range_is_reported_with_its_bounds()
    {
        var errors = new List<string>();
        SceneRanges.Check(errors, "scenes.json: moods.happy.movement.speedHz", 6, "look.movement.speedHz");
        SceneRanges.Check(errors, "scenes.json: beatTimeoutSeconds", 0.5, "beatTimeoutSeconds");
        Assert.Equal(["scenes.json: moods.happy.movement.speedHz: 6 is outside 0..5"], errors);
        Assert.Throws<InvalidOperationException>(() => SceneRanges.Of("look.palette"));
    }
}
