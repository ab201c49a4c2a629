using System.Net;
using System.Text.RegularExpressions;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Tests.Receivers;
using LightMood.Tests.Daemon;
using Microsoft.Playwright;

namespace LightMood.EndToEnd.Tests;

/// <summary>The page lists the Art-Net nodes the daemon found by ArtPoll (a node answering in a namespace of the test's own).</summary>
public sealed class NodeListPageTests
{
    [SkippableFact]
    public async Task A_node_found_by_ArtPoll_shows_on_the_page_with_what_it_gets_and_when_it_was_seen()
    {
        Skip.IfNot(DebianChromium.Installed, $"{DebianChromium.Path} is not installed");
        using var ns = NetNamespace.TryCreate(out var whyNot);
        Skip.If(ns is null, whyNot);
        using var node = ns.Run(() => new FakeArtNetNode(IPAddress.Parse("127.0.0.5"), IPAddress.Parse("127.255.255.255"), "fake-5", new PortAddress(0), new PortAddress(9)));
        await using var d = await RunningDaemon.StartAsync(
            new Dictionary<string, string?> { ["Lighting:ArtNet:ListenPort"] = "6454" },
            buildIn: build => ns.Run(build));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(d.Address.ToString());
        var item = page.Locator("#nodes li.node", new() { HasText = "fake-5" });
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Assertions.Expect(item).ToContainTextAsync("127.0.0.5");
        await Assertions.Expect(item).ToContainTextAsync("outputs 0:0:0, 0:0:9");
        await Assertions.Expect(item).ToContainTextAsync("gets 0:0:0");
        await Assertions.Expect(item.Locator(".fresh")).ToHaveTextAsync(new Regex(@"seen \d+ s ago"));
    }
}
