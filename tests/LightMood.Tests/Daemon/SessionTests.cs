using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LightMood.Web;

namespace LightMood.Tests.Daemon;

/// <summary>Signing in on the page through the real daemon: the cookie, the CSRF header, sign-out, cross-site refusals.</summary>
public sealed class SessionTests
{
    private const string Token = "0123456789abcdef-token";

    private static Task<RunningDaemon> Start() =>
        RunningDaemon.StartAsync(new Dictionary<string, string?> { ["Web:AccessToken"] = Token });

    private static HttpClient Browser(RunningDaemon d, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = d.Address };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<bool> Forced(RunningDaemon d) => (await d.StateAsync()).GetProperty("lights").GetProperty("forced").GetBoolean();

    [Fact]
    public async Task The_token_entered_once_gives_a_strict_HttpOnly_cookie_and_changes_need_its_CSRF_header()
    {
        await using var d = await Start();
        var cookies = new CookieContainer();
        using var browser = Browser(d, cookies);
        var before = await browser.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.True(before.GetProperty("required").GetBoolean());
        Assert.False(before.GetProperty("signed_in").GetBoolean());

        var wrong = await browser.PostAsync("/api/session", Json("{\"token\":\"guess-guess-guess-guess\"}"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.True((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Empty(cookies.GetAllCookies());

        var signIn = await browser.PostAsync("/api/session", Json($"{{\"token\":\"{Token}\"}}"));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(OperatorSessions.CookieName + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, setCookie, StringComparison.Ordinal);
        var csrf = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrf").GetString()!;

        // the cookie alone (what a forged cross-site request would carry) changes nothing
        var cookieOnly = await browser.PostAsync("/api/mood/force", Json("{\"mood\":\"sad\"}"));
        Assert.Equal(HttpStatusCode.Forbidden, cookieOnly.StatusCode);
        Assert.False(await Forced(d));
        using var badCsrf = new HttpRequestMessage(HttpMethod.Post, "/api/mood/force") { Content = Json("{\"mood\":\"sad\"}") };
        badCsrf.Headers.Add(OperatorSessions.CsrfHeader, csrf[..^2] + "xx");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(badCsrf)).StatusCode);

        using var good = new HttpRequestMessage(HttpMethod.Post, "/api/mood/force") { Content = Json("{\"mood\":\"sad\"}") };
        good.Headers.Add(OperatorSessions.CsrfHeader, csrf);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(good)).StatusCode);
        Assert.True(await Forced(d));

        // after a reload the page asks for its CSRF token again
        var again = await browser.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.True(again.GetProperty("signed_in").GetBoolean());
        Assert.Equal(csrf, again.GetProperty("csrf").GetString());

        // signed out: the same cookie and header no longer work
        var stolen = cookies.GetCookieHeader(d.Address);
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/session") { Content = Json("") };
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(signOut)).StatusCode);
        using var replay = new HttpRequestMessage(HttpMethod.Post, "/api/mood/release") { Content = Json("") };
        replay.Headers.Add("Cookie", stolen);
        replay.Headers.Add(OperatorSessions.CsrfHeader, csrf);
        Assert.Equal(HttpStatusCode.Unauthorized, (await d.Http.SendAsync(replay)).StatusCode);
        Assert.True(await Forced(d));
    }

    [Fact]
    public async Task A_signed_out_cookie_stays_refused_after_the_daemon_process_restarts()
    {
        // the real executable twice on one state directory; the first is killed (SIGKILL), so nothing is saved at exit
        var state = Directory.CreateTempSubdirectory("lightmood-state-").FullName;
        string[] settings = [$"--Paths:StateDirectory={state}", $"--Web:AccessToken={Token}"];
        (string Cookie, string Csrf) signedOut, kept;
        await using (var first = await DaemonProcess.StartStdinAsync(settings))
        {
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = first.Address };
            signedOut = await SignInAsync(http);
            kept = await SignInAsync(http);
            Assert.Equal(HttpStatusCode.NoContent, (await ForceAsync(http, signedOut, "sad")).StatusCode);
            using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/session") { Content = Json("") };
            signOut.Headers.Add("Cookie", signedOut.Cookie);
            Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(signOut)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ForceAsync(http, signedOut, "calm")).StatusCode);
        }

        var line = Assert.Single(File.ReadAllLines(Path.Combine(state, OperatorSessions.RevokedFileName)));
        Assert.Matches(@"^[A-Za-z0-9_-]+ \d+$", line);

        await using var second = await DaemonProcess.StartStdinAsync(settings);
        using var again = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = second.Address };
        // a session that was not signed out survives the restart (the cookie is signed with a key from the token) ...
        Assert.Equal(HttpStatusCode.NoContent, (await ForceAsync(again, kept, "happy")).StatusCode);
        for (var i = 0; i < 100 && (await second.StateAsync()).GetProperty("lights").GetProperty("mood").GetString() != "happy"; i++)
        {
            await Task.Delay(50);   // the forced mood shows from the next rendered frame
        }

        Assert.Equal("happy", (await second.StateAsync()).GetProperty("lights").GetProperty("mood").GetString());
        // ... and the signed-out one stays refused, for changes and for the page's session check
        Assert.Equal(HttpStatusCode.Unauthorized, (await ForceAsync(again, signedOut, "calm")).StatusCode);
        using var check = new HttpRequestMessage(HttpMethod.Get, "/api/session");
        check.Headers.Add("Cookie", signedOut.Cookie);
        Assert.False((await (await again.SendAsync(check)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signed_in").GetBoolean());
        Assert.Equal("happy", (await second.StateAsync()).GetProperty("lights").GetProperty("mood").GetString());
    }

    private static async Task<(string Cookie, string Csrf)> SignInAsync(HttpClient http)
    {
        var res = await http.PostAsync("/api/session", Json($"{{\"token\":\"{Token}\"}}"));
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var cookie = Assert.Single(res.Headers.GetValues("Set-Cookie")).Split(';')[0];
        return (cookie, (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrf").GetString()!);
    }

    private static Task<HttpResponseMessage> ForceAsync(HttpClient http, (string Cookie, string Csrf) session, string mood)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/mood/force") { Content = Json($"{{\"mood\":\"{mood}\"}}") };
        request.Headers.Add("Cookie", session.Cookie);
        request.Headers.Add(OperatorSessions.CsrfHeader, session.Csrf);
        return http.SendAsync(request);
    }

    [Fact]
    public async Task Scripts_keep_using_the_bearer_token_and_a_signed_in_browser_is_still_refused_cross_site()
    {
        await using var d = await Start();
        using var script = new HttpRequestMessage(HttpMethod.Post, "/api/mood/force") { Content = Json("{\"mood\":\"tense\"}") };
        script.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.SendAsync(script)).StatusCode);

        var cookies = new CookieContainer();
        using var browser = Browser(d, cookies);
        var csrf = (await (await browser.PostAsync("/api/session", Json($"{{\"token\":\"{Token}\"}}"))).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("csrf").GetString()!;

        // what another site's page could make the browser send: a form or text/plain POST, or JSON from its origin
        foreach (var (type, body, origin) in new[]
        {
            ("application/x-www-form-urlencoded", "mood=sad", (string?)null),
            ("text/plain", "{\"mood\":\"sad\"}", null),
            ("application/json", "{\"mood\":\"sad\"}", "http://evil.example"),
        })
        {
            using var cross = new HttpRequestMessage(HttpMethod.Post, "/api/mood/force") { Content = new StringContent(body, Encoding.UTF8) };
            cross.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            cross.Headers.Add(OperatorSessions.CsrfHeader, csrf); // even if it had the token
            if (origin is not null)
            {
                cross.Headers.Add("Origin", origin);
            }

            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(cross)).StatusCode);
        }

        // a sign-in from another site is refused too (no login CSRF)
        using var crossSignIn = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = Json($"{{\"token\":\"{Token}\"}}") };
        crossSignIn.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await d.Http.SendAsync(crossSignIn)).StatusCode);
        var lights = (await d.WaitForAsync(s => s.GetProperty("lights").GetProperty("mood").ValueKind == JsonValueKind.String, 5)).GetProperty("lights");
        Assert.Equal("tense", lights.GetProperty("mood").GetString());   // forced by the script, not made sad across sites
        Assert.True(lights.GetProperty("forced").GetBoolean());
    }

    [Fact]
    public async Task Guessing_the_token_is_cut_off_after_ten_tries()
    {
        await using var d = await Start();
        for (var i = 0; i < OperatorSessions.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await d.Http.PostAsync("/api/session", Json($"{{\"token\":\"guess-{i:D4}-0123456789\"}}"))).StatusCode);
        }

        var blocked = await d.Http.PostAsync("/api/session", Json($"{{\"token\":\"{Token}\"}}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);
    }

    [Fact]
    public async Task Without_a_token_there_is_nothing_to_sign_in_to()
    {
        await using var d = await RunningDaemon.StartAsync();
        var s = await d.Http.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.False(s.GetProperty("required").GetBoolean());
        Assert.True(s.GetProperty("signed_in").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await d.Http.PostAsync("/api/session", Json("{\"token\":\"x\"}"))).StatusCode);
    }
}
