using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LightMood.Tests.Daemon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LightMood.EndToEnd.Tests;

/// <summary>The operator page in Debian's Chromium, driven by Playwright, against the real daemon on loopback.</summary>
public sealed class OperatorPageTests(ChromiumBrowser chromium, ITestOutputHelper output) : IClassFixture<ChromiumBrowser>
{

    public static string Artefacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artefacts")).FullName;

    [SkippableFact]
    public async Task The_first_paint_shows_the_state_and_the_page_updates_live_with_no_errors()
    {
        var browser = chromium.Require();
        await using var daemon = await RunningDaemon.StartAsync();
        await daemon.WaitForAsync(s => s.GetProperty("mood").ValueKind == JsonValueKind.Object, 30);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                problems.Add(m.Text);
            }
        };
        page.PageError += (_, e) => problems.Add(e);
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                problems.Add($"{r.Status} {r.Url}");
            }
        };
        var external = new List<string>();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(daemon.Address.ToString(), StringComparison.Ordinal))
            {
                external.Add(r.Url);
            }
        };

        // the live stream is held back: whatever shows comes from the state fetched at once
        await page.RouteAsync("**/api/events", route => Task.Delay(10_000).ContinueWith(_ => route.AbortAsync()));
        await page.GotoAsync(daemon.Address.ToString());
        await Assertions.Expect(page.Locator("#mood")).Not.ToHaveTextAsync("–", new() { Timeout = 8000 });
        Assert.Equal(6, await page.Locator("#fixtures .fixture").CountAsync());
        Assert.Equal(2, await page.Locator("#groups .group").CountAsync());
        Assert.Equal(1, await page.Locator("#dmx details").CountAsync());
        Assert.NotEqual(0, await page.Locator("#timeline button").CountAsync());
        await Assertions.Expect(page.Locator("#scene-intensity")).Not.ToHaveValueAsync("", new() { Timeout = 8000 });

        // region labels and labels of the page at least 14 px
        foreach (var selector in new[] { "#timeline button", ".label", ".fixture .name", ".swatch span" })
        {
            var px = await page.Locator(selector).First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
            Assert.True(px >= 14, $"{selector}: {px} px");
        }

        // every control at least 48 px high
        var small = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('button, select, input:not([type=checkbox]):not([type=hidden]), summary')]
              .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 47.5)
              .map(e => (e.id || e.className || e.tagName) + ' ' + e.getBoundingClientRect().height)
            """);
        Assert.Empty(small);

        await page.UnrouteAsync("**/api/events");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("live", new() { Timeout = 10000 });
        var frameBefore = await page.Locator("#dmx summary .sub").TextContentAsync();
        await page.ClickAsync("button[data-force=tense]");
        await Assertions.Expect(page.Locator("#mood")).ToHaveTextAsync("tense", new() { Timeout = 10000 });
        var engine = daemon.Service<Lighting.Engine.LightingEngine>();
        await WaitAsync(() => engine.GetSnapshot() is { Forced: true, Mood: "tense" });
        await Task.Delay(2500); // the crossfade
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artefacts, "operator-page-desktop.png"), FullPage = true });
        output.WriteLine($"DMX summary before: {frameBefore}");
        Assert.Empty(external);
        output.WriteLine(string.Join("\n", problems));
        Assert.DoesNotContain(problems, p => !p.Contains("/api/events", StringComparison.Ordinal)); // the held-back stream, aborted
    }

    [SkippableFact]
    public async Task The_master_sends_at_most_the_render_rate_however_fast_it_is_dragged()
    {
        var browser = chromium.Require();
        await using var daemon = await RunningDaemon.StartAsync(new Dictionary<string, string?> { ["Lighting:RateHz"] = "20" });
        var page = await browser.NewPageAsync();
        // when the page starts each master request, by the page's own clock
        await page.AddInitScriptAsync("""
            (() => {
              const send = window.fetch;
              window.masterSent = [];
              window.fetch = (url, init) => {
                if (String(url).endsWith('/api/output/master')) { window.masterSent.push(performance.now()); }
                return send(url, init);
              };
            })();
            """);
        await page.GotoAsync(daemon.Address.ToString());
        await Assertions.Expect(page.Locator("#conn")).ToHaveTextAsync("live", new() { Timeout = 10000 });

        // 400 input events in one second, as a fast drag on a touch screen gives
        await page.EvaluateAsync("""
            async () => {
              const m = document.getElementById('master');
              m.focus();
              for (let i = 0; i < 400; i++) {
                m.value = String(1 - i / 400);
                m.dispatchEvent(new Event('input', { bubbles: true }));
                if (i % 8 === 0) { await new Promise(r => setTimeout(r, 20)); }
              }
              m.value = '0.25';
              m.dispatchEvent(new Event('input', { bubbles: true }));
            }
            """);
        await WaitAsync(() => Math.Abs(daemon.Service<Lighting.Engine.LightingEngine>().GetSnapshot().Master - 0.25) < 1e-9, 5);
        var sent = await page.EvaluateAsync<double[]>("() => window.masterSent");
        var span = (sent[^1] - sent[0]) / 1000;
        var gaps = sent.Zip(sent.Skip(1), (a, b) => b - a).ToList();
        output.WriteLine($"{sent.Length} master requests over {span:0.00} s for 401 input events at 20 Hz; shortest gap {gaps.Min():0} ms");
        Assert.InRange(sent.Length, 2, (span * 20) + 2);
        Assert.True(gaps.Min() >= 45, $"two master requests {gaps.Min():0} ms apart (a frame is 50 ms)");
    }

    [SkippableFact]
    public async Task An_edited_scene_is_saved_and_survives_a_restart_and_a_bad_value_shows_next_to_its_field()
    {
        var browser = chromium.Require();
        var scenes = RunningDaemon.CopyScenes();
        var first = await RunningDaemon.StartAsync(scenesFile: scenes);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(first.Address.ToString());
        await page.SelectOptionAsync("#sceneMood", "sad");
        await Assertions.Expect(page.Locator("#scene-intensity")).ToHaveValueAsync("0.45", new() { Timeout = 10000 });
        // previewed on the rig while editing (not saved yet), then saved: the preview ends
        var engine = first.Service<Lighting.Engine.LightingEngine>();
        await page.CheckAsync("#scenePreview");
        await PageInput.SetAsync(page, "#scene-intensity", "0.42");
        await PageInput.SetAsync(page, "#scene-movement-speedHz", "0.2");
        await WaitAsync(() => engine.GetSnapshot() is { Preview: true, Look: "preview" });
        Assert.Contains("\"intensity\": 0.45", await File.ReadAllTextAsync(scenes), StringComparison.Ordinal);
        await page.ClickAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("scene sad saved");
        await WaitAsync(() => !engine.GetSnapshot().Preview);
        await Assertions.Expect(page.Locator("#scenePreview")).Not.ToBeCheckedAsync();

        // the JSON view: a value out of range comes back as a 400 naming the field; the message sits by the field
        await page.ClickAsync("#sceneJsonView summary");
        await Assertions.Expect(page.Locator("#sceneJson")).ToHaveValueAsync(new Regex("intensity"));
        var json = await page.InputValueAsync("#sceneJson");
        var look = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
        look["pulseDepth"] = JsonSerializer.SerializeToElement(7);
        await page.FillAsync("#sceneJson", JsonSerializer.Serialize(look));
        await page.ClickAsync("#sceneSave");
        await Assertions.Expect(page.Locator("[data-error-for=pulseDepth]")).ToHaveTextAsync(new Regex("outside 0..1"));
        await Assertions.Expect(page.Locator("#scene-pulseDepth")).ToHaveAttributeAsync("aria-invalid", "true");
        await first.DisposeAsync();

        await using var again = await RunningDaemon.StartAsync(scenesFile: scenes);
        var saved = await again.Http.GetFromJsonAsync<JsonElement>("/api/scenes/sad");
        Assert.Equal(0.42, saved.GetProperty("intensity").GetDouble(), 6);
        Assert.Equal(0.2, saved.GetProperty("movement").GetProperty("speedHz").GetDouble(), 6);
        Assert.Equal(0.0, saved.GetProperty("pulseDepth").GetDouble(), 6);
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
