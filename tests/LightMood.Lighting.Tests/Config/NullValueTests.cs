using System.Text.Json.Nodes;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Config;

/// <summary>
/// A <c>null</c> anywhere in scenes.json, patch.json or a fixture profile is a configuration error that names the
/// file and the field: never a crash (exit 134) at start-up or a 500 from a scene edit.
/// </summary>
public sealed class NullValueTests
{
    /// <summary>Every copy of <paramref name="json"/> with one value (object member or array element) replaced by null.</summary>
    private static IEnumerable<(string Path, string Json)> WithOneNull(string json)
    {
        var count = Paths(JsonNode.Parse(json)!, "$").Count;
        for (var i = 0; i < count; i++)
        {
            var root = JsonNode.Parse(json)!;
            var (path, set) = Paths(root, "$")[i];
            set();
            yield return (path, root.ToJsonString());
        }
    }

    private static List<(string Path, Action SetNull)> Paths(JsonNode node, string path)
    {
        var list = new List<(string, Action)>();
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    list.Add(($"{path}.{key}", () => o[key] = null));
                    if (child is not null)
                    {
                        list.AddRange(Paths(child, $"{path}.{key}"));
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var index = i;
                    list.Add(($"{path}[{i}]", () => a[index] = null));
                    if (a[i] is { } child)
                    {
                        list.AddRange(Paths(child, $"{path}[{i}]"));
                    }
                }

                break;
        }

        return list;
    }

    private static void AssertConfigError(Action load, string path)
    {
        var e = Record.Exception(load);
        Assert.True(e is LightingConfigException, $"null at {path}: {e?.GetType().Name ?? "accepted"}: {e?.Message}");
        Assert.Contains(path, e!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_anywhere_in_the_scenes_file_is_an_error_naming_it()
    {
        var json = File.ReadAllText(Path.Combine(Repo.Config, "scenes.json"));
        var patch = PatchLoader.Load(Path.Combine(Repo.Config, "patch.json"));
        var cases = 0;
        foreach (var (path, text) in WithOneNull(json))
        {
            AssertConfigError(() => SceneLoader.Parse(text, "scenes.json", patch), path);
            cases++;
        }

        Assert.True(cases > 50, $"only {cases} cases");
    }

    [Fact]
    public void A_null_in_a_scene_edit_is_an_error_naming_it()
    {
        var patch = PatchLoader.Load(Path.Combine(Repo.Config, "patch.json"));
        var scenes = SceneLoader.Load(Path.Combine(Repo.Config, "scenes.json"), patch);
        var look = SceneLoader.SerializeLook(scenes.LookFor(LightMood.Mood.Happy));
        foreach (var (path, text) in WithOneNull(look))
        {
            AssertConfigError(() => SceneLoader.ParseLook(text, "scene 'happy'", patch), path);
        }
    }

    [Fact]
    public void A_null_anywhere_in_the_patch_or_a_profile_is_an_error_naming_it()
    {
        var patchJson = File.ReadAllText(Path.Combine(Repo.Config, "patch.json"));
        foreach (var (path, text) in WithOneNull(patchJson))
        {
            AssertConfigError(() => PatchLoader.Parse(text, "patch.json", Repo.Config), path);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Config, "fixtures"), "*.json"))
        {
            foreach (var (path, text) in WithOneNull(File.ReadAllText(file)))
            {
                AssertConfigError(() => FixtureProfileJson.Parse(text, file), path);
            }
        }
    }
}
