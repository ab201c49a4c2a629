using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightMood.Lighting.Tests.Receivers;
using LightMood.Tests.Daemon;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LightMood.EndToEnd.Tests;

/// <summary>
/// The operator's phone on the venue network: the daemon serves the page on a non-loopback address (192.0.2.10, on a
/// veth inside olad's network namespace) with an access token; Debian's Chromium runs in that namespace at a phone's
/// viewport (390×844, touch). Signed in, the operator forces a mood, blacks out, releases, changes the look's colour
/// with the picker, saves and undoes, and the DMX at olad (a real Art-Net receiver) follows each step. A page from
/// another site then tries to change the lights through the same browser and cannot.
/// </summary>
public sealed class PhoneAtTheVenueTests(OlaRig ola, ITestOutputHelper output) : IClassFixture<OlaRig>
{
    private const string Token = "venue-wifi-token-0123456789";
    private const string VenueAddress = "192.0.2.10";

    [SkippableFact]
    public async Task Signed_in_on_a_phone_the_operator_runs_the_show_and_olad_follows()
    {
        Skip.If(ola.Unavailable is not null, ola.Unavailable);
        Skip.IfNot(DebianChromium.Installed, $"{DebianChromium.Path} is not installed");
        Skip.IfNot(ola.Isolated, "olad could not get a network namespace of its own (needs root): no non-loopback address to serve on");

        await using var daemon = await RunningDaemon.StartAsync(
            ArtNetToOlad.Settings(("Web:Urls", $"http://{VenueAddress}:0"), ("Web:AccessToken", Token)),
            ColourCodedScenes(),
            buildIn: ola.InNamespace,
            beforeStart: app =>
                // Kestrel's listening socket is made inside the namespace, where 192.0.2.10 is
                app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.CreateBoundListenSocket =
                    endpoint => ola.InNamespace(() => SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint)));
        Assert.Equal(VenueAddress, daemon.Address.Host);
        var url = daemon.Address.ToString();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumIn(ola.NetNamespacePath),
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var phone = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            HasTouch = true,
            IsMobile = true,
            DeviceScaleFactor = 2,
        });
        var page = await phone.NewPageAsync();
        await page.GotoAsync(url);

        // 1. sign in: the controls are locked until then
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("button[data-force=tense]")).ToBeDisabledAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(OperatorPageTests.Artefacts, "phone-sign-in.png") });
        await page.FillAsync("#token", Token);
        await page.TapAsync("#signinForm button[type=submit]");
        await Assertions.Expect(page.Locator("#signin")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("button[data-force=tense]")).ToBeEnabledAsync();
        var cookie = (await phone.CookiesAsync()).Single();
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        // 2. force a mood with one thumb: red at olad
        await page.TapAsync("button[data-force=tense]");
        Follows(new byte[] { 255, 255, 0, 0 }, "tense forced");
        await page.ScreenshotAsync(new() { Path = Path.Combine(OperatorPageTests.Artefacts, "operator-page-phone.png") });
        await page.ScreenshotAsync(new() { Path = Path.Combine(OperatorPageTests.Artefacts, "operator-page-phone-full.png"), FullPage = true });

        // 3. blackout: armed, red, and dark at olad
        await page.TapAsync("#blackout");
        Follows(new byte[] { 0, 0, 0, 0 }, "blackout");
        await Assertions.Expect(page.Locator("#blackout")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("armed"));
        Assert.Equal("rgb(224, 27, 27)", await page.Locator("#blackout").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

        // 4. released deliberately: one tap only asks, the second releases
        await page.TapAsync("#blackout");
        await Assertions.Expect(page.Locator("#blackout")).ToHaveTextAsync("tap again to release");
        await Task.Delay(1000);
        Follows(new byte[] { 0, 0, 0, 0 }, "still dark after one tap");
        await page.TapAsync("#blackout");
        Follows(new byte[] { 255, 255, 0, 0 }, "blackout released");

        // 5. the tense look's colour changed with the picker, saved: magenta at olad
        await page.SelectOptionAsync("#sceneMood", "tense");
        var picker = page.Locator("#palettes [data-palette='*'] input[type=color]").First;
        await Assertions.Expect(picker).ToHaveValueAsync("#ff0000");
        await picker.FillAsync("#ff00ff");
        await page.TapAsync("#sceneSave");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("scene tense saved");
        Follows(new byte[] { 255, 255, 0, 255 }, "tense saved as magenta");

        // 6. undo: red again at olad, and in the editor
        await page.TapAsync("#sceneUndo");
        Follows(new byte[] { 255, 255, 0, 0 }, "scene edit undone");
        await Assertions.Expect(picker).ToHaveValueAsync("#ff0000");

        // 7. another site, opened in the same browser, tries a form POST and a text/plain fetch: nothing changes
        var evil = await phone.NewPageAsync();
        await evil.RouteAsync("http://evil.example/**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = $$"""
            <form id="f" method="post" action="{{url}}api/output/blackout"><input name="on" value="true"></form>
            """ }));
        await evil.GotoAsync("http://evil.example/");
        var fetched = await evil.RunAndWaitForResponseAsync(
            () => evil.EvaluateAsync($$"""
                () => fetch("{{url}}api/mood/force", { method: "POST", mode: "no-cors", credentials: "include",
                  headers: { "Content-Type": "text/plain" }, body: '{"mood":"sad"}' }).then(() => "sent", () => "failed")
                """),
            r => r.Url.EndsWith("/api/mood/force", StringComparison.Ordinal), new() { Timeout = 20000 });
        var posted = await evil.RunAndWaitForResponseAsync(
            () => evil.EvaluateAsync("() => { setTimeout(() => document.getElementById('f').submit(), 0); }"),
            r => r.Url.EndsWith("/api/output/blackout", StringComparison.Ordinal), new() { Timeout = 20000 });
        var refused = new[] { fetched.Status, posted.Status };
        output.WriteLine($"cross-site requests answered: {string.Join(", ", refused)}");
        Assert.All(refused, status => Assert.Equal(403, status));
        await Task.Delay(500);
        Follows(new byte[] { 255, 255, 0, 0 }, "after the cross-site attempts");
        using var http = NamespaceClient();
        var lights = JsonDocument.Parse(await http.GetStringAsync(url + "api/state")).RootElement.GetProperty("lights");
        Assert.Equal("tense", lights.GetProperty("mood").GetString());
        Assert.False(lights.GetProperty("blackout").GetBoolean());

        // scripts still use the bearer token
        using var script = new HttpRequestMessage(HttpMethod.Post, url + "api/mood/release") { Content = new StringContent("", System.Text.Encoding.UTF8, "application/json") };
        script.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(script)).StatusCode);
    }

    /// <summary>Waits until par-1 at olad (dimmer, R, G, B) is <paramref name="expected"/>.</summary>
    private void Follows(byte[] expected, string step)
    {
        var took = ola.WaitFor(ArtNetToOlad.Universe, f => f.AsSpan(0, 4).SequenceEqual(expected), TimeSpan.FromSeconds(10));
        var seen = ola.GetDmx(ArtNetToOlad.Universe)[..6];
        output.WriteLine($"{step,-28} olad par-1 {string.Join(",", seen)}" + (took is null ? "  (not reached)" : $"  after {took.Value.TotalMilliseconds:0} ms"));
        Assert.True(took is not null, $"{step}: olad shows {string.Join(",", seen)}, expected {string.Join(",", expected)}");
    }

    /// <summary>An HTTP client whose connections are made inside olad's namespace.</summary>
    private HttpClient NamespaceClient() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (ctx, ct) =>
        {
            var s = ola.InNamespace(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            await s.ConnectAsync(new IPEndPoint(IPAddress.Parse(ctx.DnsEndPoint.Host), ctx.DnsEndPoint.Port), ct);
            return new NetworkStream(s, ownsSocket: true);
        },
    });

    /// <summary>A launcher that runs Debian's Chromium inside the namespace (Playwright's pipe survives the exec).</summary>
    private static string ChromiumIn(string netns)
    {
        var script = Path.Combine(Directory.CreateTempSubdirectory("lightmood-chromium-").FullName, "chromium-in-netns");
        File.WriteAllText(script, $"#!/bin/sh\nexec nsenter --net={netns} {DebianChromium.Path} \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return script;
    }

    /// <summary>The shipped scenes with each mood one colour at full intensity, fades short, no modulation.</summary>
    private static string ColourCodedScenes() =>
        RunningDaemon.ColourCodedScenes([("happy", "#ffff00"), ("tense", "#ff0000"), ("sad", "#0000ff"), ("calm", "#00ff00")], 0.2);
}
