using LightMood.Hosting;
using LightMood.Lighting.Tests.Receivers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LightMood.EndToEnd.Tests;

/// <summary>A click in the browser reaches a real Art-Net receiver (olad): the whole chain page → API → engine → wire.</summary>
public sealed class OperatorPageReceiverTests(OlaRig ola, ITestOutputHelper output) : IClassFixture<OlaRig>
{
    private const int OlaArtNetUniverse = 1; // olad's Art-Net input port: Port-Address 0:0:1

    [SkippableFact]
    public async Task Forcing_a_mood_and_blackout_in_the_page_change_the_DMX_at_olad()
    {
        Skip.If(ola.Unavailable is not null, ola.Unavailable);
        Skip.IfNot(File.Exists("/usr/bin/chromium"), "/usr/bin/chromium is not installed");
        var scenes = Path.Combine(Path.GetTempPath(), $"lightmood-scenes-{Guid.NewGuid():N}.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "scenes.json"), scenes);
        // the engine's Art-Net socket is made inside olad's namespace; Kestrel binds the host's loopback at start
        var app = ola.InNamespace(() => DaemonHost.Build([], c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Web:Urls"] = "http://127.0.0.1:0",
            ["Lighting:ScenesFile"] = scenes,
            ["Lighting:ArtNet:Nodes:0"] = "127.0.0.1",
            ["Lighting:ArtNet:BindAddress"] = "127.0.0.2",
            ["Lighting:ArtNet:ReuseAddress"] = "true",
            ["Lighting:ArtNet:UniverseOffset"] = "1",
            ["Web:FeedbackFile"] = Path.Combine(Path.GetTempPath(), $"lightmood-feedback-{Guid.NewGuid():N}.jsonl"),
        })));
        await app.StartAsync();
        await using var _ = app;
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var engine = app.Services.GetRequiredService<Lighting.Engine.LightingEngine>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(url);
        Assert.NotNull(ola.WaitFor(OlaArtNetUniverse, f => f.Any(b => b > 0), TimeSpan.FromSeconds(10)));

        // the looks move (beat pulse, pan/tilt), so olad's frame is compared with the engine's frame of the same moment,
        // within a small tolerance for the frames between the two reads
        var seenAtOla = new Dictionary<string, byte[]>();
        foreach (var mood in new[] { "tense", "calm" })
        {
            await page.ClickAsync($"button[data-force={mood}]");
            await Task.Delay(3500); // crossfade
            var seen = ola.WaitFor(OlaArtNetUniverse, MatchesEngine, TimeSpan.FromSeconds(5));
            output.WriteLine($"{mood}: olad follows the forced look ({seen?.TotalMilliseconds:0} ms)");
            Assert.NotNull(seen);
            seenAtOla[mood] = ola.GetDmx(OlaArtNetUniverse);
        }

        Assert.NotEqual(seenAtOla["tense"], seenAtOla["calm"]);

        await page.ClickAsync("#blackout");
        await Task.Delay(500);
        Assert.True(engine.GetSnapshot() is { Blackout: true } s && s.Fixtures.All(f => f.Intensity == 0));
        Assert.NotNull(ola.WaitFor(OlaArtNetUniverse, MatchesEngine, TimeSpan.FromSeconds(5)));

        bool MatchesEngine(byte[] atOla)
        {
            var rendered = new byte[512];
            engine.CopyFrame(0, rendered);
            for (var i = 0; i < 512; i++)
            {
                if (Math.Abs(atOla[i] - rendered[i]) > 12)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
