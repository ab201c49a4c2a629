using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightMood.Tests.Daemon;

/// <summary>
/// The desk's controls over HTTP through the real daemon (demo audio, real engine): house lights, group overrides, the
/// fade time, the scene preview; bad input is a 400 whose <c>errors</c> name the field, and changes nothing.
/// par-1 (6 channels: dimmer, R, G, B, W, strobe) is at address 1 of universe 0.
/// </summary>
public sealed class DeskApiTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ErrorsOf(HttpResponseMessage res)
    {
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        return (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    /// <summary>The desk as the daemon starts: no group override, no house lights, not forced, 2 s fade, master 1.</summary>
    private static void AssertNothingChanged(JsonElement state)
    {
        Assert.All(state.GetProperty("groups").EnumerateArray(), g => Assert.Equal(JsonValueKind.Null, g.GetProperty("intensity").ValueKind));
        Assert.False(state.GetProperty("lights").GetProperty("house").GetBoolean());
        Assert.False(state.GetProperty("lights").GetProperty("forced").GetBoolean());
        Assert.Equal(2.0, state.GetProperty("lights").GetProperty("crossfade_s").GetDouble());
        Assert.Equal(1.0, state.GetProperty("lights").GetProperty("master").GetDouble());
    }

    [Fact]
    public async Task House_lights_and_group_overrides_reach_the_DMX()
    {
        await using var d = await RunningDaemon.StartAsync();
        await d.WaitForAsync(s => s.GetProperty("lights").GetProperty("frame").GetInt64() > 5);
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/output/house", new { on = true })).StatusCode);
        var house = await d.WaitForAsync(s => s.GetProperty("lights").GetProperty("look").GetString() == "house", 5);
        Assert.True(house.GetProperty("lights").GetProperty("house").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/output/house", new { on = false })).StatusCode);

        var set = await d.Http.PostAsJsonAsync("/api/groups/pars/override", new { intensity = 0.1, colour = "#0000ff" });
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        // dimmer 0.1 -> 25, blue only; the movers are left to the look
        var dim = await d.WaitForAsync(s => RunningDaemon.Slots(s)[..4].SequenceEqual(new byte[] { 25, 0, 0, 255 }), 5);
        Assert.Equal(new byte[] { 25, 0, 0, 255 }, RunningDaemon.Slots(dim)[..4]);
        var pars = dim.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "pars");
        Assert.Equal(0.1, pars.GetProperty("intensity").GetDouble(), 6);
        Assert.Equal("#0000ff", pars.GetProperty("colour").GetString());
        var movers = dim.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "movers");
        Assert.Equal(JsonValueKind.Null, movers.GetProperty("intensity").ValueKind);

        using var clear = new HttpRequestMessage(HttpMethod.Delete, "/api/groups/pars/override") { Content = Json("") };
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.SendAsync(clear)).StatusCode);
        var back = await d.WaitForAsync(s => s.GetProperty("groups")[0].GetProperty("colour").ValueKind == JsonValueKind.Null, 5);
        Assert.Equal(JsonValueKind.Null, back.GetProperty("groups")[0].GetProperty("colour").ValueKind);
    }

    [Fact]
    public async Task A_JSON_value_of_the_wrong_type_is_a_400_naming_the_field_and_changes_nothing()
    {
        // the framework's binding used to answer these with a bare "Bad Request": no field, nothing for the page to show
        (string Path, string Body, string Field)[] cases =
        [
            ("/api/output/house", "{\"on\":\"yes\"}", "on"),
            ("/api/output/fade", "{\"seconds\":\"2\"}", "seconds"),
            ("/api/groups/pars/override", "{\"intensity\":\"0.5\"}", "intensity"),
            ("/api/groups/pars/override", "{\"intensity\":0.5,\"colour\":255}", "colour"),
            ("/api/output/master", "{\"level\":true}", "level"),
            ("/api/output/blackout", "{\"on\":1}", "on"),
            ("/api/mood/force", "{\"mood\":\"sad\",\"seconds\":\"30\"}", "seconds"),
            ("/api/output/master", "{\"level\":0.5,\"volume\":1}", "volume"),
        ];
        await using var d = await RunningDaemon.StartAsync();
        foreach (var (path, body, field) in cases)
        {
            var res = await d.Http.PostAsync(path, Json(body));
            var errors = await ErrorsOf(res);
            Assert.True(errors.TryGetProperty(field, out var messages), $"{path} {body}: {errors}");
            Assert.Contains($"'{field}'", messages[0].GetString(), StringComparison.Ordinal);
            var state = await d.StateAsync();
            AssertNothingChanged(state);
            Assert.False(state.GetProperty("lights").GetProperty("blackout").GetBoolean());
        }

        // a body that is not JSON at all, or none, is a 400 that says so (no field to name)
        var notJson = await d.Http.PostAsync("/api/output/house", Json("on"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("not valid JSON", await notJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var none = await d.Http.PostAsync("/api/output/fade", Json(""));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("needs a JSON body", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_desk_input_is_a_400_naming_the_field_and_changes_nothing()
    {
        (string Path, string Body, string Field)[] cases =
        [
            ("/api/groups/pars/override", "{\"intensity\":1.5}", "intensity"),
            ("/api/groups/pars/override", "{\"colour\":\"red\"}", "colour"),
            ("/api/groups/lasers/override", "{\"intensity\":0.5}", "group"),
            ("/api/groups/pars/override", "{}", "$"),
            ("/api/output/house", "{}", "on"),
            ("/api/output/fade", "{\"seconds\":-1}", "seconds"),
            ("/api/output/fade", "{\"seconds\":601}", "seconds"),
            ("/api/output/master", "{\"level\":1.5}", "level"),
            ("/api/mood/force", "{\"mood\":\"angry\"}", "mood"),
        ];
        await using var d = await RunningDaemon.StartAsync(); // one daemon for every case: each must leave it as it was
        foreach (var (path, body, field) in cases)
        {
            var errors = await ErrorsOf(await d.Http.PostAsync(path, Json(body)));
            Assert.True(errors.TryGetProperty(field, out var messages), $"{path} {body}: {errors}");
            Assert.NotEmpty(messages.EnumerateArray());
            AssertNothingChanged(await d.StateAsync());
        }
    }

    [Fact]
    public async Task The_fade_time_is_live_and_saved_with_the_scenes()
    {
        await using var d = await RunningDaemon.StartAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/output/fade", new { seconds = 0.5 })).StatusCode);
        Assert.Equal(0.5, (await d.StateAsync()).GetProperty("lights").GetProperty("crossfade_s").GetDouble());
        Assert.Equal(0.5, JsonNode.Parse(await File.ReadAllTextAsync(d.ScenesFile))!["crossfadeSeconds"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_look_is_previewed_on_the_rig_without_saving_and_its_errors_name_the_field()
    {
        await using var d = await RunningDaemon.StartAsync();
        var saved = await File.ReadAllTextAsync(d.ScenesFile);
        var look = JsonNode.Parse(await d.Http.GetStringAsync("/api/scenes/sad"))!;
        look["palette"] = new JsonObject { ["*"] = new JsonArray("#ff00ff") };
        look["intensity"] = 1;
        look["pulseDepth"] = 0;
        look["movement"]!["pattern"] = "none";
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsync("/api/scenes/preview", Json(look.ToJsonString()))).StatusCode);
        // magenta on par-1 (valence may warm or cool it a little, arousal dim it a little)
        static bool Magenta(byte[] slots) => slots[0] > 100 && slots[1] > 150 && slots[2] < 60 && slots[3] > 150;
        var shown = await d.WaitForAsync(s => Magenta(RunningDaemon.Slots(s)), 5);
        Assert.True(Magenta(RunningDaemon.Slots(shown)), string.Join(",", RunningDaemon.Slots(shown)[..6]));
        Assert.Equal("preview", shown.GetProperty("lights").GetProperty("look").GetString());
        Assert.True(shown.GetProperty("lights").GetProperty("preview").GetBoolean());
        Assert.Equal(saved, await File.ReadAllTextAsync(d.ScenesFile));

        using var end = new HttpRequestMessage(HttpMethod.Delete, "/api/scenes/preview") { Content = Json("") };
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.SendAsync(end)).StatusCode);
        var after = await d.WaitForAsync(s => !s.GetProperty("lights").GetProperty("preview").GetBoolean() && s.GetProperty("lights").GetProperty("look").GetString() != "preview", 5);
        Assert.NotEqual("preview", after.GetProperty("lights").GetProperty("look").GetString());

        // every problem of a look, by its path in the look: for the editor to show next to the field
        look["intensity"] = 3;
        look["movement"]!["speedHz"] = 9;
        look["palette"] = new JsonObject { ["lasers"] = new JsonArray("#ff00ff"), ["pars"] = new JsonArray("#ff00ff", "pink") };
        foreach (var path in new[] { "/api/scenes/preview", "/api/scenes/sad" })
        {
            using var request = new HttpRequestMessage(path.EndsWith("sad", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post, path) { Content = Json(look.ToJsonString()) };
            var errors = await ErrorsOf(await d.Http.SendAsync(request));
            foreach (var field in new[] { "intensity", "movement.speedHz", "palette.lasers", "palette.pars[1]" })
            {
                Assert.True(errors.TryGetProperty(field, out _), $"{path}: {field} not in {errors}");
            }
        }

        var nulls = await ErrorsOf(await d.Http.PutAsync("/api/scenes/sad", Json("{\"intensity\":null}")));
        Assert.True(nulls.TryGetProperty("intensity", out _), nulls.ToString());
        var typed = await ErrorsOf(await d.Http.PutAsync("/api/scenes/sad", Json("{\"movement\":{\"speedHz\":\"fast\"}}")));
        Assert.True(typed.TryGetProperty("movement.speedHz", out _), typed.ToString());
        Assert.Equal(saved, await File.ReadAllTextAsync(d.ScenesFile));
    }
}
