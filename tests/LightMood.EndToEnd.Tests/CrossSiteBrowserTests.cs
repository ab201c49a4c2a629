using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightMood.Tests.Daemon;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace LightMood.EndToEnd.Tests;

/// <summary>
/// Issue 16, item 2, in a real browser (Debian's Chromium): a page from another origin — served by a second Kestrel
/// on another loopback port or address — tries every way a web page can send a request to the daemon's mutating
/// endpoints, and a page on a rebinding-like host name tries to read the state; nothing changes, nothing is read.
/// The browser's own local-network protections are switched off, so what is tested is the daemon's defence.
/// </summary>
public sealed class CrossSiteBrowserTests
{
    private const string AttackerPage = "<!doctype html><title>not the lights</title>";

    /// <summary>Chromium's own guards against public pages reaching local addresses: off, as in an older browser.</summary>
    private static readonly string[] NoBrowserGuards = ["--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests"];

    /// <summary>The body each endpoint would need to change something.</summary>
    private static readonly (string Method, string Path, string Body)[] Mutations =
    [
        ("POST", "/api/output/master", "{\"level\":0}"),
        ("POST", "/api/output/blackout", "{\"on\":true}"),
        ("POST", "/api/mood/force", "{\"mood\":\"sad\"}"),
        ("POST", "/api/mood/release", ""),
        ("POST", "/api/mood/mode", "{\"mode\":\"auto\"}"),
        ("POST", "/api/mood/correct", "{\"start_s\":0,\"end_s\":2,\"mood\":\"sad\"}"),
        ("POST", "/api/scenes/undo", ""),
    ];

    [SkippableTheory]
    [InlineData("127.0.0.1")]   // another port: cross-origin, same site
    [InlineData("127.0.0.2")]   // another address: cross-site
    public async Task A_page_from_another_origin_changes_nothing_by_form_no_cors_or_CORS_requests(string attackerHost)
    {
        Skip.IfNot(DebianChromium.Installed, $"{DebianChromium.Path} is not installed");
        await using var daemon = await RunningDaemon.StartAsync();
        var before = await PrepareStageAsync(daemon);
        await using var attacker = await ServeAsync(attackerHost, AttackerPage);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright, NoBrowserGuards);
        var page = await browser.NewPageAsync();
        var seen = Record(page, daemon.Address);
        await page.GotoAsync(attacker.ToString());
        var api = daemon.Address.ToString().TrimEnd('/');

        // 1. HTML forms (no pre-flight, no CORS): url-encoded, multipart, and text/plain shaped into JSON
        var forms = new List<(string Path, string EncType, string[][] Fields)>
        {
            ("/api/mood/release", "application/x-www-form-urlencoded", [["a", "1"]]),
            ("/api/scenes/undo", "multipart/form-data", [["a", "1"]]),
            ("/api/output/blackout", "application/x-www-form-urlencoded", [["on", "true"]]),
            ("/api/output/master", "text/plain", [["{\"level\":0,\"x\":\"", "\"}"]]),
            ("/api/mood/force", "text/plain", [["{\"mood\":\"sad\",\"x\":\"", "\"}"]]),
        };
        //    Each form navigates the attacker's page itself: a form aimed at an iframe makes Chromium move the frame
        //    into a new process, and the browser's response event for that navigation was sometimes never reported
        //    (CI: 30 s timeout); a top-level navigation is always reported.
        foreach (var (path, encType, fields) in forms)
        {
            await page.GotoAsync(attacker.ToString());
            var response = await page.RunAndWaitForResponseAsync(
                () => page.EvaluateAsync(SubmitForm, new { url = api + path, encType, fields }),
                r => r.Url == api + path);
            Assert.True(response.Status == 403, $"form {encType} {path}: {response.Status}");
            await page.WaitForURLAsync(api + path);   // the refusal's page has replaced the attacker's
        }

        await page.GotoAsync(attacker.ToString());

        // 2. fetch in no-cors mode (a "simple" request the browser sends without asking): text/plain, and JSON that
        //    the browser downgrades to text/plain
        foreach (var (method, path, body) in Mutations)
        {
            foreach (var type in new[] { "text/plain", "application/json" })
            {
                var response = await page.RunAndWaitForResponseAsync(
                    () => page.EvaluateAsync(NoCorsFetch, new { url = api + path, method, type, body }),
                    r => r.Url == api + path);
                Assert.True(response.Status == 403, $"no-cors {type} {method} {path}: {response.Status}");
            }
        }

        // 3. fetch with a JSON body (CORS): the pre-flight gets no CORS answer, so the request itself is never sent
        var strobe = JsonNode.Parse(await daemon.Http.GetStringAsync("/api/scenes/calm"))!;
        strobe["intensity"] = 1.0;
        strobe["strobe"] = new JsonObject { ["allowed"] = true, ["rateHz"] = 25 };
        foreach (var (method, path, body) in Mutations.Append(("PUT", "/api/scenes/calm", strobe.ToJsonString())))
        {
            var outcome = await page.EvaluateAsync<string>(CorsFetch, new { url = api + path, method, body });
            Assert.StartsWith("blocked", outcome, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(seen, r => r.Method is "POST" or "PUT" && r.Status is >= 200 and < 300);
        Assert.Contains(seen, r => r.Method == "POST" && r.Status == 403);   // the requests did reach the daemon
        await AssertUnchangedAsync(daemon, before);

        // control: the same JSON fetch from the daemon's own page does change the lights
        var own = await browser.NewPageAsync();
        await own.GotoAsync(daemon.Address.ToString());
        var status = await own.EvaluateAsync<int>(
            "async () => (await fetch('/api/output/master', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{\"level\":0.5}' })).status");
        Assert.Equal(204, status);
        Assert.Equal(0.5, (await daemon.StateAsync()).GetProperty("lights").GetProperty("master").GetDouble());
    }

    [SkippableFact]
    public async Task A_page_on_a_rebinding_host_name_can_neither_read_the_state_nor_change_the_lights()
    {
        Skip.IfNot(DebianChromium.Installed, $"{DebianChromium.Path} is not installed");
        await using var daemon = await RunningDaemon.StartAsync();
        var before = await PrepareStageAsync(daemon);
        using var playwright = await Playwright.CreateAsync();
        // DNS rebinding: evil.example served the attacker's page, then its name was re-pointed at this host
        await using var browser = await DebianChromium.LaunchAsync(playwright, [.. NoBrowserGuards, "--host-resolver-rules=MAP evil.example 127.0.0.1"]);
        var page = await browser.NewPageAsync();
        var origin = $"http://evil.example:{daemon.Address.Port}";
        await page.RouteAsync(origin + "/", route => route.FulfillAsync(new() { ContentType = "text/html", Body = AttackerPage }));
        var seen = Record(page, new Uri(origin));
        await page.GotoAsync(origin + "/");

        // to the browser these are same-origin requests: it reads the answers and sends JSON without asking
        var read = await page.EvaluateAsync<JsonElement>(
            "async () => { const r = await fetch('/api/state'); return { status: r.status, text: await r.text() }; }");
        Assert.Equal(400, read.GetProperty("status").GetInt32());
        var text = read.GetProperty("text").GetString()!;
        Assert.Contains("evil.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fixtures", text, StringComparison.Ordinal);
        Assert.DoesNotContain("universes", text, StringComparison.Ordinal);
        foreach (var (method, path, body) in Mutations)
        {
            var status = await page.EvaluateAsync<int>(
                "async a => (await fetch(a.path, { method: a.method, headers: { 'Content-Type': 'application/json' }, body: a.body || undefined })).status",
                new { path, method, body });
            Assert.True(status == 400, $"{method} {path}: {status}");
        }

        var events = await page.EvaluateAsync<int>("async () => (await fetch('/api/events')).status");
        Assert.Equal(400, events);
        Assert.Contains(seen, r => r.Url.EndsWith("/api/state", StringComparison.Ordinal) && r.Status == 400);   // reached the daemon
        await AssertUnchangedAsync(daemon, before);
    }

    private const string SubmitForm = """
        a => {
          const f = document.createElement('form');
          f.method = 'POST'; f.action = a.url; f.enctype = a.encType;
          for (const [name, value] of a.fields) {
            const i = document.createElement('input'); i.type = 'hidden'; i.name = name; i.value = value; f.appendChild(i);
          }
          document.body.appendChild(f);
          setTimeout(() => f.submit(), 0);   // after this evaluation has returned: the submission leaves the page
        }
        """;

    private const string NoCorsFetch = """
        async a => { await fetch(a.url, { method: a.method, mode: 'no-cors', headers: { 'Content-Type': a.type }, body: a.body }); }
        """;

    private const string CorsFetch = """
        async a => {
          try { const r = await fetch(a.url, { method: a.method, headers: { 'Content-Type': 'application/json' }, body: a.body || undefined }); return 'sent ' + r.status; }
          catch (e) { return 'blocked ' + e; }
        }
        """;

    private sealed record Seen(string Method, string Url, int Status);

    private sealed record Stage(string CalmScene, string ScenesFile);

    /// <summary>Every response the page got from <paramref name="target"/>.</summary>
    private static List<Seen> Record(IPage page, Uri target)
    {
        var seen = new List<Seen>();
        page.Response += (_, r) =>
        {
            if (r.Url.StartsWith(target.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal))
            {
                lock (seen)
                {
                    seen.Add(new Seen(r.Request.Method, r.Url, r.Status));
                }
            }
        };
        return seen;
    }

    /// <summary>A stage an attack would visibly change: tense forced, master 0.7, an edit to undo.</summary>
    private static async Task<Stage> PrepareStageAsync(RunningDaemon daemon)
    {
        Assert.Equal(HttpStatusCode.NoContent, (await daemon.Http.PostAsJsonAsync("/api/mood/force", new { mood = "tense" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await daemon.Http.PostAsJsonAsync("/api/output/master", new { level = 0.7 })).StatusCode);
        var calm = JsonNode.Parse(await daemon.Http.GetStringAsync("/api/scenes/calm"))!;
        calm["intensity"] = 0.33;
        var put = await daemon.Http.PutAsync("/api/scenes/calm", new StringContent(calm.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        return new Stage(await daemon.Http.GetStringAsync("/api/scenes/calm"), await File.ReadAllTextAsync(daemon.ScenesFile));
    }

    private static async Task AssertUnchangedAsync(RunningDaemon daemon, Stage before)
    {
        var lights = (await daemon.StateAsync()).GetProperty("lights");
        Assert.True(lights.GetProperty("forced").GetBoolean());
        Assert.Equal("tense", lights.GetProperty("mood").GetString());
        Assert.Equal("manual", lights.GetProperty("mode").GetString());
        Assert.Equal(0.7, lights.GetProperty("master").GetDouble());
        Assert.False(lights.GetProperty("blackout").GetBoolean());
        Assert.Equal(before.CalmScene, await daemon.Http.GetStringAsync("/api/scenes/calm"));
        Assert.Equal(before.ScenesFile, await File.ReadAllTextAsync(daemon.ScenesFile));
        var feedback = daemon.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LightMood.Hosting.WebOptions>>().Value.FeedbackFile;
        Assert.False(File.Exists(feedback) && new FileInfo(feedback).Length > 0, "a correction was recorded");
    }

    /// <summary>A second web server on <paramref name="host"/>, port chosen by the system, serving one page.</summary>
    private static async Task<AttackerSite> ServeAsync(string host, string html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:0");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(html, "text/html"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AttackerSite(app, new Uri(address));
    }

    private sealed class AttackerSite(WebApplication app, Uri address) : IAsyncDisposable
    {
        public override string ToString() => address.ToString();

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
