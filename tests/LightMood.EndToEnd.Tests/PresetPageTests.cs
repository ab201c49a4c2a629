using System.Text.Json.Nodes;
using LightMood.Lighting.Engine;
using LightMood.Tests.Daemon;
using Microsoft.Playwright;

namespace LightMood.EndToEnd.Tests;

/// <summary>
/// The scene editor's preset selector in Debian's Chromium against the real daemon: it lists the show's presets with
/// the active one chosen, switching it activates the preset in the engine (live) and in the scenes file, and the
/// editor then edits the scene the new preset maps the mood to.
/// </summary>
public sealed class PresetPageTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private static readonly LocatorAssertionsToHaveTextOptions Loaded = new() { Timeout = 10000 };

    [SkippableFact]
    public async Task The_preset_selector_switches_the_show_preset_and_the_editor_follows_its_mapping()
    {
        var browser = chromium.Require();
        await using var daemon = await RunningDaemon.StartAsync();
        var engine = daemon.Service<LightingEngine>();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(daemon.Address.ToString());

        await page.SelectOptionAsync("#sceneMood", "calm");
        await Assertions.Expect(page.Locator("#sceneName")).ToHaveTextAsync("scene: calm", Loaded);
        Assert.Equal("default", await page.Locator("#scenePreset").InputValueAsync());
        var options = await page.Locator("#scenePreset option").AllTextContentsAsync();
        Assert.Superset(new HashSet<string> { "default", "rock night", "wedding", "unattended demo" }, options.ToHashSet());

        await page.SelectOptionAsync("#scenePreset", "wedding");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("preset wedding active", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#sceneName")).ToHaveTextAsync("scene: teal-wash", Loaded);
        Assert.Equal("wedding", engine.Scenes.Preset);
        Assert.Equal("wedding", JsonNode.Parse(await File.ReadAllTextAsync(daemon.ScenesFile))!["activePreset"]!.GetValue<string>());

        // switched elsewhere (the API, as OSC or another page would): the selector follows the live state
        var res = await daemon.Http.PostAsync("/api/presets/rock%20night/activate", RunningDaemon.EmptyJson());
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        await Assertions.Expect(page.Locator("#scenePreset")).ToHaveValueAsync("rock night", new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator("#sceneName")).ToHaveTextAsync("scene: calm", Loaded);

        // a preset whose calm is a static channel scene: the editor says so and edits it as JSON, saved as it is
        var put = await daemon.Http.PutAsync("/api/library/raw%20blue", Json("""{ "channels": { "par-1": { "1": 255, "4": 200 } } }"""));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var mapping = JsonNode.Parse(await daemon.Http.GetStringAsync("/api/presets/default"))!;
        mapping["moods"]!["calm"] = new JsonObject { ["scenes"] = new JsonArray("raw blue") };
        put = await daemon.Http.PutAsync("/api/presets/raw", Json(mapping.ToJsonString()));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        await page.ReloadAsync();
        await page.SelectOptionAsync("#sceneMood", "calm");
        await page.SelectOptionAsync("#scenePreset", "raw");
        await Assertions.Expect(page.Locator("#sceneName")).ToHaveTextAsync("scene: raw blue", Loaded);
        await Assertions.Expect(page.Locator("#sceneKind")).ToContainTextAsync("static channel scene");
        await page.ClickAsync("#sceneJsonView summary");
        // the JSON view is filled once the scene has loaded (it can lag the name on a loaded machine)
        await Assertions.Expect(page.Locator("#sceneJson")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"channels\""), new() { Timeout = 10000 });
        var json = await page.Locator("#sceneJson").InputValueAsync();
        await page.Locator("#sceneJson").FillAsync(json.Replace("200", "201", StringComparison.Ordinal));
        await page.ClickAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("scene calm saved", new() { Timeout = 10000 });
        Assert.Equal(201, JsonNode.Parse(await daemon.Http.GetStringAsync("/api/library/raw%20blue"))!["channels"]!["par-1"]!["4"]!.GetValue<int>());
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
