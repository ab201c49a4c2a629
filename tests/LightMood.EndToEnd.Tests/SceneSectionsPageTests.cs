using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Scenes;
using LightMood.Tests.Daemon;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LightMood.EndToEnd.Tests;

/// <summary>
/// The scene editor's section variation of the soft cut (palette step, chase speeds in turn, variation fade), in
/// Debian's Chromium at a phone's viewport (390×844, touch) against the real daemon on loopback: edited in the form,
/// previewed, saved to the scenes file and live in the engine, undone; bad values shown next to their field and
/// nothing changed.
/// </summary>
public sealed class SceneSectionsPageTests(ChromiumBrowser chromium, ITestOutputHelper output) : IClassFixture<ChromiumBrowser>
{
    private const string Step = "#scene-sections-paletteStep";
    private const string Chases = "#scene-sections-chases";
    private const string Fade = "#scene-sections-fadeSeconds";
    private const string Accent = "#scene-sections-accent-intensity";
    private const string AccentSeconds = "#scene-sections-accent-seconds";
    private static readonly LocatorAssertionsToHaveValueOptions Loaded = new() { Timeout = 10000 };


    [SkippableFact]
    public async Task A_moods_section_variation_is_edited_in_the_form_saved_undone_and_a_bad_value_shows_by_its_field()
    {
        var browser = chromium.Require();
        await using var daemon = await RunningDaemon.StartAsync();
        var engine = daemon.Service<LightingEngine>();
        await using var phone = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            HasTouch = true,
            IsMobile = true,
        });
        var page = await phone.NewPageAsync();
        var sceneWrites = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Method is "PUT" or "POST" && r.Url.Contains("/api/scenes/", StringComparison.Ordinal))
            {
                sceneWrites.Add($"{r.Method} {r.Url}");
            }
        };
        await page.GotoAsync(daemon.Address.ToString());

        // the shipped tense look varies: one palette step, chases 4, 1, 2 in turn, half a second's fade
        await page.SelectOptionAsync("#sceneMood", "tense");
        await Assertions.Expect(page.Locator(Chases)).ToHaveValueAsync("4, 1, 2", Loaded);
        await Assertions.Expect(page.Locator(Step)).ToHaveValueAsync("1");
        await Assertions.Expect(page.Locator(Fade)).ToHaveValueAsync("0.5");
        var shipped = await daemon.Http.GetStringAsync("/api/scenes/tense");

        // folded on a phone like the other scene fields; open, it is readable and every control a 48 px target, and
        // the editor is no wider than the phone
        await Assertions.Expect(page.Locator(Chases)).ToBeHiddenAsync();
        await page.TapAsync("#sceneSections summary");
        await Assertions.Expect(page.Locator(Chases)).ToBeVisibleAsync();
        foreach (var selector in new[] { Step, Chases, Fade, "#sceneSections summary" })
        {
            var px = await page.Locator(selector).EvaluateAsync<double>("e => e.getBoundingClientRect().height");
            Assert.True(px >= 47.5, $"{selector}: {px} px high");
        }

        foreach (var selector in new[] { $"label[for={Step[1..]}]", $"label[for={Chases[1..]}]", $"label[for={Fade[1..]}]", "#sectionStrip .chase" })
        {
            var px = await page.Locator(selector).First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
            Assert.True(px >= 14, $"{selector}: {px} px");
        }

        var beyond = await page.EvaluateAsync<string[]>("""
            () => {
              const card = document.getElementById('sceneEditor').getBoundingClientRect();
              return [...document.querySelectorAll('#sceneEditor *')]
                .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > card.right + 0.5)
                .map(e => `${e.tagName}#${e.id}.${e.className} right ${e.getBoundingClientRect().right} > ${card.right}`);
            }
            """);
        Assert.True(beyond.Length == 0, "wider than the scene editor's card at 390 px: " + string.Join("; ", beyond));

        // the page previews the next sections as the daemon will show them
        await Assertions.Expect(page.Locator("#sectionStrip [data-section='2'] .chase")).ToHaveTextAsync("chase 4/beat");
        await Assertions.Expect(page.Locator("#sectionStrip [data-section='3'] .chase")).ToHaveTextAsync("chase 1/beat");

        // edited with the rig previewing it: nothing saved until "save"
        await page.CheckAsync("#scenePreview");
        await page.FillAsync(Step, "2");
        await page.FillAsync(Chases, "0.5, 3");
        await page.FillAsync(Fade, "4");
        await Assertions.Expect(page.Locator("#sectionStrip [data-section='2'] .chase")).ToHaveTextAsync("chase 0.5/beat");
        await Assertions.Expect(page.Locator("#sectionStrip [data-section='3'] .chase")).ToHaveTextAsync("chase 3/beat");
        await Assertions.Expect(page.Locator("#sectionStrip [data-section='4'] .chase")).ToHaveTextAsync("chase 0.5/beat");
        await WaitAsync(() => engine.GetSnapshot() is { Preview: true, Look: "preview" });
        Assert.Equal(shipped, await daemon.Http.GetStringAsync("/api/scenes/tense"));
        await page.Locator("#sceneSections").ScreenshotAsync(new() { Path = Path.Combine(OperatorPageTests.Artefacts, "scene-sections-phone.png") });

        // saved: the scenes file, the API and the engine's tense look have the new variation; the preview ends
        await page.TapAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("scene tense saved");
        await WaitAsync(() => !engine.GetSnapshot().Preview);
        var inFile = Sections(JsonNode.Parse(await File.ReadAllTextAsync(daemon.ScenesFile))!["library"]!["tense"]!);
        Assert.Equal("2 | 0.5, 3 | 4", inFile);
        Assert.Equal("2 | 0.5, 3 | 4", Sections(JsonNode.Parse(await daemon.Http.GetStringAsync("/api/scenes/tense"))!));
        var live = engine.Scenes.LookFor(Mood.Tense).Sections!;
        Assert.Equal(2, live.PaletteStep);
        Assert.Equal(new[] { 0.5, 3 }, live.Chases!);
        Assert.Equal(4.0, live.FadeSeconds);
        var savedLook = JsonNode.Parse(await daemon.Http.GetStringAsync("/api/scenes/tense"))!.AsObject();
        var shippedLook = JsonNode.Parse(shipped)!.AsObject();
        savedLook.Remove("sections");
        shippedLook.Remove("sections");
        Assert.True(JsonNode.DeepEquals(shippedLook, savedLook), "the rest of the tense look changed");

        // the JSON view shows the same variation
        await page.TapAsync("#sceneJsonView summary");
        await Assertions.Expect(page.Locator("#sceneJson")).ToHaveValueAsync(new Regex("\"paletteStep\": 2"));
        await page.TapAsync("#sceneJsonView summary");

        // undone: the shipped variation is back in the file, the API and the form
        await page.TapAsync("#sceneUndo");
        await Assertions.Expect(page.Locator(Chases)).ToHaveValueAsync("4, 1, 2", Loaded);
        await Assertions.Expect(page.Locator(Step)).ToHaveValueAsync("1");
        await Assertions.Expect(page.Locator(Fade)).ToHaveValueAsync("0.5");
        Assert.Equal(shipped, await daemon.Http.GetStringAsync("/api/scenes/tense"));
        Assert.Equal("1 | 4, 1, 2 | 0.5", Sections(JsonNode.Parse(await File.ReadAllTextAsync(daemon.ScenesFile))!["library"]!["tense"]!));
        Assert.Equal(new[] { 4.0, 1, 2 }, engine.Scenes.LookFor(Mood.Tense).Sections!.Chases!);

        // out of range: the daemon's message next to the field, the field marked, and nothing changed
        var fileBefore = await File.ReadAllTextAsync(daemon.ScenesFile);
        await page.FillAsync(Chases, "2, 17");
        await page.TapAsync("#sceneSave");
        await Assertions.Expect(page.Locator("[data-error-for='sections.chases']")).ToHaveTextAsync(new Regex("17 is outside 0..16"));
        await Assertions.Expect(page.Locator(Chases)).ToHaveAttributeAsync("aria-invalid", "true");
        await page.FillAsync(Chases, "4, 1, 2");
        await page.FillAsync(Step, "40");
        await page.TapAsync("#sceneSave");
        await Assertions.Expect(page.Locator("[data-error-for='sections.paletteStep']")).ToHaveTextAsync(new Regex("40 is outside 0..16"));
        await Assertions.Expect(page.Locator(Step)).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("[data-error-for='sections.chases']")).ToBeHiddenAsync();
        await page.FillAsync(Fade, "601");
        await page.FillAsync(Step, "1");
        await page.TapAsync("#sceneSave");
        await Assertions.Expect(page.Locator("[data-error-for='sections.fadeSeconds']")).ToHaveTextAsync(new Regex("601 is outside 0..600"));

        // a word in the chase list, a palette step between two colours: marked as typed, and not sent at all
        await page.FillAsync(Fade, "0.5");
        var writes = sceneWrites.Count;
        await page.FillAsync(Chases, "2, fast");
        await Assertions.Expect(page.Locator("[data-error-for='sections.chases']")).ToHaveTextAsync("not a number: 'fast'");
        await page.TapAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync(new Regex("not saved"));
        await page.FillAsync(Chases, "4, 1, 2");
        await Assertions.Expect(page.Locator("[data-error-for='sections.chases']")).ToBeHiddenAsync();
        await page.FillAsync(Step, "1.5");
        await Assertions.Expect(page.Locator("[data-error-for='sections.paletteStep']")).ToHaveTextAsync("1.5 is not a whole number of colours");
        await page.TapAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync(new Regex("not saved"));
        await Task.Delay(500);
        Assert.Equal(writes, sceneWrites.Count);

        Assert.Equal(fileBefore, await File.ReadAllTextAsync(daemon.ScenesFile));
        Assert.Equal(shipped, await daemon.Http.GetStringAsync("/api/scenes/tense"));
        Assert.Equal(new[] { 4.0, 1, 2 }, engine.Scenes.LookFor(Mood.Tense).Sections!.Chases!);
        output.WriteLine(string.Join("\n", sceneWrites));
    }

    [SkippableFact]
    public async Task A_variation_cleared_in_the_form_is_saved_as_none_and_one_added_to_a_static_look_is_saved()
    {
        var browser = chromium.Require();
        await using var daemon = await RunningDaemon.StartAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(daemon.Address.ToString());

        // happy: palette step 0, no chases, no fade, no accent: the saved look has no "sections" and every section shows the look
        await Assertions.Expect(page.Locator(Chases)).ToHaveValueAsync("2, 0.5, 1", Loaded);
        await Assertions.Expect(page.Locator(Accent)).ToHaveValueAsync("1");
        await Assertions.Expect(page.Locator(AccentSeconds)).ToHaveValueAsync("0.3");
        await page.FillAsync(Step, "0");
        await page.FillAsync(Chases, "");
        await page.FillAsync(Fade, "");
        await page.FillAsync(Accent, "");
        await Assertions.Expect(page.Locator("#sectionStrip")).ToHaveTextAsync("every section shows the look itself");
        await page.ClickAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("scene happy saved");
        var happy = JsonNode.Parse(await File.ReadAllTextAsync(daemon.ScenesFile))!["library"]!["happy"]!.AsObject();
        Assert.False(happy.ContainsKey("sections"), happy.ToJsonString());
        Assert.Null(daemon.Service<LightingEngine>().Scenes.LookFor(Mood.Happy).Sections);

        // sad (a palette step and a fade, no chases): chases added in the form
        await page.SelectOptionAsync("#sceneMood", "sad");
        await Assertions.Expect(page.Locator(Fade)).ToHaveValueAsync("3", Loaded);
        await Assertions.Expect(page.Locator(Chases)).ToHaveValueAsync("");
        await page.FillAsync(Chases, "0 0.25");
        await Assertions.Expect(page.Locator(Accent)).ToHaveValueAsync("");        // sad ships without an accent
        await page.FillAsync(Accent, "0.8");
        await page.ClickAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("scene sad saved");
        var sad = JsonNode.Parse(await daemon.Http.GetStringAsync("/api/scenes/sad"))!;
        Assert.Equal("1 | 0, 0.25 | 3", Sections(sad));
        Assert.Equal(0.8, sad["sections"]!["accent"]!["intensity"]!.GetValue<double>());
        Assert.Equal(new SectionAccent(0.8, 0.3), daemon.Service<LightingEngine>().Scenes.LookFor(Mood.Sad).Sections!.Accent);
        Assert.Equal("1 | 0, 0.25 | 3", Sections(JsonNode.Parse(await File.ReadAllTextAsync(daemon.ScenesFile))!["library"]!["sad"]!));
    }

    /// <summary>A look's "sections" as "paletteStep | chases | fadeSeconds".</summary>
    private static string Sections(JsonNode look)
    {
        var s = look["sections"] ?? throw new InvalidOperationException($"no sections in {look.ToJsonString()}");
        var chases = s["chases"]?.AsArray().Select(c => c!.GetValue<double>().ToString(CultureInfo.InvariantCulture)) ?? [];
        return FormattableString.Invariant($"{s["paletteStep"]!.GetValue<int>()} | {string.Join(", ", chases)} | {s["fadeSeconds"]!.GetValue<double>()}");
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
