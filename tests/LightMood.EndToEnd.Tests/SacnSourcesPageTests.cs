using System.Net;
using System.Text.RegularExpressions;
using LightMood.Tests.Daemon;
using Microsoft.Playwright;

namespace LightMood.EndToEnd.Tests;

/// <summary>The page lists the other sACN sources the daemon hears, with their state as it changes.</summary>
public sealed class SacnSourcesPageTests
{
    [SkippableFact]
    public async Task A_console_on_the_daemons_universe_shows_active_over_LightMood_then_timed_out_and_a_terminated_one_says_so()
    {
        Skip.IfNot(DebianChromium.Installed, $"{DebianChromium.Path} is not installed");
        var port = FakeSacnConsole.FreeUdpPort();
        await using var d = await RunningDaemon.StartAsync(FakeSacnConsole.DaemonListening(port));
        var to = new IPEndPoint(IPAddress.Loopback, port);
        using var console = new FakeSacnConsole(to, "console-7", 150, 1);
        using var old = new FakeSacnConsole(to, "old desk", 50, 1);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true });
        await page.GotoAsync(d.Address.ToString());

        var item = page.Locator("#sources li.source", new() { HasText = "console-7" });
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Assertions.Expect(item).ToHaveAttributeAsync("data-state", "active");
        await Assertions.Expect(item).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(item).ToContainTextAsync("priority 150 over LightMood's 100");
        await Assertions.Expect(item).ToContainTextAsync("universes 1");
        await Assertions.Expect(item).ToContainTextAsync(new Regex(@"seen \d+ s ago"));

        old.Terminate();
        var terminated = page.Locator("#sources li.source", new() { HasText = "old desk" });
        await Assertions.Expect(terminated).ToHaveAttributeAsync("data-state", "terminated", new() { Timeout = 10000 });

        console.Silence();   // E1.31's 2.5 s timeout, then the page's next refresh (1 s)
        await Assertions.Expect(item).ToHaveAttributeAsync("data-state", "timed out", new() { Timeout = 10000 });
        await Assertions.Expect(item).Not.ToContainTextAsync("over LightMood");
        // LightMood's own packets (sent to this very listener) are not listed as another source
        await Assertions.Expect(page.Locator("#sources li.source")).ToHaveCountAsync(2);
    }
}
