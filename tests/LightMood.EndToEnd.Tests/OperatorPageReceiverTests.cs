using LightMood.Lighting.Tests.Receivers;
using LightMood.Tests.Daemon;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LightMood.EndToEnd.Tests;

/// <summary>A click in the browser reaches a real Art-Net receiver (olad): the whole chain page → API → engine → wire.</summary>
public sealed class OperatorPageReceiverTests(OlaRig ola, ITestOutputHelper output) : IClassFixture<OlaRig>
{
    [SkippableFact]
    public async Task Forcing_a_mood_and_blackout_in_the_page_change_the_DMX_at_olad()
    {
        Skip.If(ola.Unavailable is not null, ola.Unavailable);
        Skip.IfNot(DebianChromium.Installed, $"{DebianChromium.Path} is not installed");
        // the engine's Art-Net socket is made inside olad's namespace; Kestrel binds the host's loopback at start
        await using var daemon = await RunningDaemon.StartAsync(
            ArtNetToOlad.Settings(),
            buildIn: ola.InNamespace);
        var engine = daemon.Service<Lighting.Engine.LightingEngine>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(daemon.Address.ToString());
        Assert.NotNull(ola.WaitFor(ArtNetToOlad.Universe, f => f.Any(b => b > 0), TimeSpan.FromSeconds(10)));

        // the looks move (beat pulse, pan/tilt), so olad's frame is compared with the engine's frame of the same moment,
        // within a small tolerance for the frames between the two reads
        var seenAtOla = new Dictionary<string, byte[]>();
        foreach (var mood in new[] { "tense", "calm" })
        {
            await page.ClickAsync($"button[data-force={mood}]");
            await Task.Delay(3500); // crossfade
            var seen = ola.WaitFor(ArtNetToOlad.Universe, MatchesEngine, TimeSpan.FromSeconds(10));
            output.WriteLine($"{mood}: olad follows the forced look ({seen?.TotalMilliseconds:0} ms)");
            Assert.NotNull(seen);
            seenAtOla[mood] = ola.GetDmx(ArtNetToOlad.Universe);
        }

        Assert.NotEqual(seenAtOla["tense"], seenAtOla["calm"]);

        await page.ClickAsync("#blackout");
        await Task.Delay(500);
        Assert.True(engine.GetSnapshot() is { Blackout: true } s && s.Fixtures.All(f => f.Intensity == 0));
        Assert.NotNull(ola.WaitFor(ArtNetToOlad.Universe, MatchesEngine, TimeSpan.FromSeconds(10)));

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
