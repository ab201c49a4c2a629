using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Scenes;

public sealed class SceneLoaderTests
{
    [Fact]
    public void A_scene_naming_an_unknown_group_and_other_faults_are_all_reported()
    {
        var json = """
            {
              "silence": { "graceSeconds": -1, "look": { "intensity": 0.1 } },
              "moods": {
                "happy": { "palette": { "stage-left": ["#ff0000"] } },
                "tense": { "intensity": 1.5, "strobe": { "allowed": true, "maxRateHz": 0 } },
                "sad": { "palette": { "pars": ["red"] }, "movement": { "pattern": "spin" } }
              }
            }
            """;
        var e = Assert.Throws<LightingConfigException>(() => SceneLoader.Parse(json, "scenes.json", Rigs.Small()));
        Assert.Contains(e.Errors, x => x == "scenes.json: moods.happy.palette.stage-left: group 'stage-left' is not in the patch (groups: pars, movers)");
        Assert.Contains(e.Errors, x => x.StartsWith("scenes.json: moods.tense.intensity: 1.5", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.StartsWith("scenes.json: moods.tense.strobe.maxRateHz", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.StartsWith("scenes.json: moods.sad.palette.pars[0]", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.StartsWith("scenes.json: moods.sad.movement.pattern", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x == "scenes.json: moods.calm: missing (every mood needs a look)");
        Assert.Contains(e.Errors, x => x.StartsWith("scenes.json: silence.graceSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public void The_any_group_palette_applies_to_groups_not_named()
    {
        var look = new MoodLook(1, new Dictionary<string, IReadOnlyList<Rgb>> { ["*"] = [Rgb.Black], ["pars"] = [Rgb.White] }, Movement.Still);
        Assert.Equal(Rgb.White, look.PaletteFor("pars")[0]);
        Assert.Equal(Rgb.Black, look.PaletteFor("movers")[0]);
        SceneLoader.Validate(look, "x", Rigs.Small());
    }

    [Fact]
    public void Shipped_scenes_load_against_the_shipped_patch()
    {
        var patch = PatchLoader.Load(Path.Combine(Repo.Config, "patch.json"));
        var scenes = SceneLoader.Load(Path.Combine(Repo.Config, "scenes.json"), patch);
        Assert.Equal(MovementPattern.Circle, scenes.LookFor(Mood.Happy).Movement.Pattern);
        Assert.Equal(8, scenes.LookFor(Mood.Tense).StrobeOrOff.MaxRateHz);
        Assert.Equal(3.0, scenes.Silence.FadeSeconds);
    }

    [Fact]
    public void A_scene_book_round_trips_through_the_file_format_and_validates_against_the_schema()
    {
        var patch = PatchLoader.Load(Path.Combine(Repo.Config, "patch.json"));
        var scenes = SceneLoader.Load(Path.Combine(Repo.Config, "scenes.json"), patch);
        var json = SceneLoader.Serialize(scenes);
        var again = SceneLoader.Parse(json, "round-trip", patch);
        Assert.Equal(SceneLoader.Serialize(again), json);
        Assert.Equal(scenes.LookFor(Mood.Tense).Movement, again.LookFor(Mood.Tense).Movement);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Empty(Config.ConfigFilesTests.Schema("scenes.schema.json").Validate(doc.RootElement));
    }

    [Fact]
    public void A_look_edit_parses_with_every_error_reported()
    {
        var patch = Rigs.Small();
        var look = SceneLoader.ParseLook("""{ "intensity": 0.5, "palette": { "pars": ["#00ff00"] }, "movement": { "pattern": "circle" } }""", "edit", patch);
        Assert.Equal(MovementPattern.Circle, look.Movement.Pattern);
        Assert.Contains("\"pars\"", SceneLoader.SerializeLook(look), StringComparison.Ordinal);
        var e = Assert.Throws<LightingConfigException>(() => SceneLoader.ParseLook("""{ "intensity": 3, "palette": { "nope": ["#00ff00"] } }""", "edit", patch));
        Assert.Equal(2, e.Errors.Count);
        Assert.Throws<LightingConfigException>(() => SceneLoader.ParseLook("{ \"colour\": 1 }", "edit", patch));
    }
}
