using System.Text;
using System.Text.Json.Nodes;
using LightMood.Lighting.Tests.Receivers;
using LightMood.Tests.Daemon;
using Xunit.Abstractions;

namespace LightMood.EndToEnd.Tests;

/// <summary>
/// The scene library and show presets at a real Art-Net receiver (olad, issue 18): a static channel scene in the
/// library (as <c>lightmood workspace import</c> writes one) is mapped to calm through the API, calm is forced, and
/// olad's DMX equals the scene's values on every channel it names (no modulation, no pulse); switching the preset
/// through the API changes the look at olad (to another preset whose calm is a second imported scene, again exactly,
/// then to the shipped "wedding" preset's rendered calm look).
/// </summary>
public sealed class PresetAtReceiverTests(OlaRig ola, ITestOutputHelper output) : IClassFixture<OlaRig>
{
    /// <summary>Patch addresses of the shipped rig's fixtures.</summary>
    private static readonly Dictionary<string, int> Address = new()
    {
        ["par-1"] = 1, ["par-2"] = 7, ["par-3"] = 13, ["par-4"] = 19, ["mover-left"] = 101, ["mover-right"] = 114,
    };

    /// <summary>An imported static scene: odd values on purpose, so no rendered look could produce them.</summary>
    private static readonly JsonObject Imported = new()
    {
        ["fadeSeconds"] = 0.5,
        ["channels"] = new JsonObject
        {
            ["par-1"] = new JsonObject { ["1"] = 211, ["2"] = 13, ["3"] = 157, ["4"] = 99, ["5"] = 7 },
            ["par-3"] = new JsonObject { ["1"] = 255, ["4"] = 201 },
            ["mover-left"] = new JsonObject { ["1"] = 33, ["2"] = 44, ["3"] = 55, ["6"] = 177, ["7"] = 255, ["11"] = 123 },
        },
    };

    /// <summary>A second imported scene, the calm of the preset "imported night".</summary>
    private static readonly JsonObject Teal = new()
    {
        ["fadeSeconds"] = 0.5,
        ["channels"] = new JsonObject
        {
            ["par-1"] = new JsonObject { ["1"] = 200, ["2"] = 0, ["3"] = 180, ["4"] = 160, ["5"] = 0 },
            ["par-2"] = new JsonObject { ["1"] = 190, ["3"] = 120, ["4"] = 200 },
            ["mover-right"] = new JsonObject { ["1"] = 128, ["3"] = 96, ["6"] = 150, ["7"] = 255, ["8"] = 40, ["9"] = 160, ["10"] = 255 },
        },
    };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The channels <paramref name="scene"/> names that olad does not show at their values ("" when all do).</summary>
    private static string Differences(JsonObject scene, byte[] dmx) => string.Join(", ",
        scene["channels"]!.AsObject().SelectMany(f => f.Value!.AsObject().Select(c => (Fixture: f.Key, Channel: int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture), Value: c.Value!.GetValue<int>())))
            .Where(c => dmx[Address[c.Fixture] + c.Channel - 2] != c.Value)
            .Select(c => $"{c.Fixture}.{c.Channel}: {dmx[Address[c.Fixture] + c.Channel - 2]} (want {c.Value})"));

    private async Task<byte[]> WaitAtOlad(Func<byte[], bool> until, double seconds)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        byte[] dmx;
        do
        {
            dmx = ola.GetDmx(ArtNetToOlad.Universe);
            if (until(dmx))
            {
                return dmx;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < end);
        return dmx;
    }

    [SkippableFact]
    public async Task A_static_scene_mapped_to_calm_arrives_exactly_and_a_preset_switch_changes_the_look_at_olad()
    {
        Skip.If(ola.Unavailable is not null, ola.Unavailable);
        var scenesFile = RunningDaemon.CopyScenes();
        var show = JsonNode.Parse(await File.ReadAllTextAsync(scenesFile))!.AsObject();
        // as an import writes them: scenes in the library, and a preset that uses one
        show["library"]!["imported calm"] = Imported.DeepClone();
        show["library"]!["imported teal"] = Teal.DeepClone();
        var night = show["presets"]!["default"]!.DeepClone();
        night["moods"]!["calm"] = new JsonObject { ["scenes"] = new JsonArray("imported teal") };
        show["presets"]!["imported night"] = night;
        await File.WriteAllTextAsync(scenesFile, show.ToJsonString());

        await using var daemon = await RunningDaemon.StartAsync(
            ArtNetToOlad.Settings(),
            scenesFile: scenesFile,
            buildIn: ola.InNamespace);

        // map calm to the imported scene in the active preset, through the API
        var mapping = JsonNode.Parse(await daemon.Http.GetStringAsync("/api/presets/default"))!.AsObject();
        mapping["moods"]!["calm"] = new JsonObject { ["scenes"] = new JsonArray("imported calm") };
        var put = await daemon.Http.PutAsync("/api/presets/default", Json(mapping.ToJsonString()));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var force = await daemon.Http.PostAsync("/api/mood/force", Json("""{ "mood": "calm" }"""));
        Assert.True(force.IsSuccessStatusCode, await force.Content.ReadAsStringAsync());

        var dmx = await WaitAtOlad(d => Differences(Imported, d).Length == 0, 15);
        Assert.True(Differences(Imported, dmx).Length == 0, "olad: " + Differences(Imported, dmx));
        // held: ten readings over two seconds, every one exact (no pulse, no modulation moving it)
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(200);
            var again = ola.GetDmx(ArtNetToOlad.Universe);
            Assert.True(Differences(Imported, again).Length == 0, $"reading {i}: " + Differences(Imported, again));
        }

        output.WriteLine($"olad, imported calm: par-1 {string.Join(",", dmx[0..6])}, mover-left {string.Join(",", dmx[100..113])}");

        // switch the preset through the API: "imported night" shows the other imported scene for calm
        var activate = await daemon.Http.PostAsync("/api/presets/imported%20night/activate", RunningDaemon.EmptyJson());
        Assert.True(activate.IsSuccessStatusCode, await activate.Content.ReadAsStringAsync());
        dmx = await WaitAtOlad(d => Differences(Teal, d).Length == 0, 15);
        Assert.True(Differences(Teal, dmx).Length == 0, "olad after the switch: " + Differences(Teal, dmx));
        Assert.NotEqual(0, Differences(Imported, dmx).Length);
        output.WriteLine($"olad, imported night (imported teal): par-1 {string.Join(",", dmx[0..6])}, mover-right {string.Join(",", dmx[113..126])}");

        // and to a shipped preset: wedding's calm is a rendered look, neither imported scene
        activate = await daemon.Http.PostAsync("/api/presets/wedding/activate", RunningDaemon.EmptyJson());
        Assert.True(activate.IsSuccessStatusCode, await activate.Content.ReadAsStringAsync());
        static int Differing(JsonObject scene, byte[] d) => Differences(scene, d).Split(", ", StringSplitOptions.RemoveEmptyEntries).Length;
        dmx = await WaitAtOlad(d => Differing(Teal, d) >= 5 && Differing(Imported, d) >= 5, 15);
        Assert.True(Differing(Teal, dmx) >= 5 && Differing(Imported, dmx) >= 5, "olad still shows an imported scene: " + Differences(Teal, dmx));
        output.WriteLine($"olad, wedding: par-1 {string.Join(",", dmx[0..6])}");
    }
}
