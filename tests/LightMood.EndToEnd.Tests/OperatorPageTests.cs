using System.Net.Http.Json;
using System.Text.Json;
using LightMood.Tests.Daemon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LightMood.EndToEnd.Tests;

/// <summary>The operator page in Debian's Chromium, driven by Playwright, against the real daemon.</summary>
public sealed class OperatorPageTests : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string Artefacts { get; } = Path.Combine(AppContext.BaseDirectory, "artefacts");

    public async Task InitializeAsync()
    {
        if (!DebianChromium.Installed)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await DebianChromium.LaunchAsync(_playwright);
        Directory.CreateDirectory(Artefacts);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [SkippableFact]
    public async Task The_page_updates_live_and_forcing_a_mood_and_blackout_change_the_DMX()
    {
        Skip.If(_browser is null, $"{DebianChromium.Path} is not installed");
        await using var daemon = await RunningDaemon.StartAsync();
        var app = daemon.App;
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1400 } });
        await page.GotoAsync(daemon.Address.ToString());

        // live: the mood appears and the frame counter of the lights moves without a reload
        await page.WaitForFunctionAsync("() => document.getElementById('mood').dataset.mood !== ''", null, new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("live");
        var slotsBefore = await page.Locator("#dmx span").AllTextContentsAsync();

        // force tense by a click: the mood display and the DMX the engine sends change
        await page.ClickAsync("button[data-force=tense]");
        await Assertions.Expect(page.Locator("#mood")).ToHaveTextAsync("tense", new() { Timeout = 5000 });
        var engine = app.Services.GetRequiredService<Lighting.Engine.LightingEngine>();
        await WaitAsync(() => engine.GetSnapshot() is { Forced: true, Mood: "tense" });
        await Task.Delay(3500); // crossfade
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artefacts, "operator-page-tense.png"), FullPage = true });
        var slotsTense = await page.Locator("#dmx span").AllTextContentsAsync();
        Assert.NotEqual(slotsBefore, slotsTense);

        // blackout by a click: every fixture's intensity goes to zero, at the engine and on the page
        await page.ClickAsync("#blackout");
        await WaitAsync(() => engine.GetSnapshot().Fixtures.All(f => f.Intensity == 0));
        Assert.All(engine.GetSnapshot().Fixtures, f => Assert.Equal(0, f.Intensity));
        await Assertions.Expect(page.Locator("#blackout")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("active"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artefacts, "operator-page-blackout.png"), FullPage = true });
        await page.ClickAsync("#blackout");
        await page.ClickAsync("#release");
        await WaitAsync(() => !engine.GetSnapshot().Forced);
    }

    [SkippableFact]
    public async Task An_edited_scene_is_saved_and_survives_a_restart()
    {
        Skip.If(_browser is null, $"{DebianChromium.Path} is not installed");
        var scenes = RunningDaemon.CopyScenes();
        var first = await RunningDaemon.StartAsync(scenesFile: scenes);
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(first.Address.ToString());
        await page.SelectOptionAsync("#sceneMood", "sad");
        await page.ClickAsync("#sceneLoad");
        await page.WaitForFunctionAsync("() => document.getElementById('sceneJson').value.includes('intensity')");
        var json = await page.InputValueAsync("#sceneJson");
        var look = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
        look["intensity"] = JsonSerializer.SerializeToElement(0.42);
        await page.FillAsync("#sceneJson", JsonSerializer.Serialize(look));
        await page.ClickAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("scene sad saved");
        await first.DisposeAsync();

        await using var again = await RunningDaemon.StartAsync(scenesFile: scenes);
        var saved = await again.Http.GetFromJsonAsync<JsonElement>("/api/scenes/sad");
        Assert.Equal(0.42, saved.GetProperty("intensity").GetDouble(), 6);
    }

    private static async Task WaitAsync(Func<bool> condition, double seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "condition not met in time");
    }
}
