using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightMood.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightMood.Tests.Daemon;

/// <summary>Regressions of the adversarial run (issue 16), each through the whole daemon over HTTP or the CLI.</summary>
public sealed class HardeningTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Lights(RunningDaemon d) => (await d.StateAsync()).GetProperty("lights");

    [Fact]
    public async Task Another_host_name_is_refused_reads_included_DNS_rebinding()
    {
        await using var d = await RunningDaemon.StartAsync();
        foreach (var (method, path, body) in new[] { ("GET", "/api/state", (string?)null), ("GET", "/", null), ("POST", "/api/output/master", "{\"level\":0}") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Json(body) };
            request.Headers.Host = $"evil.example:{d.Address.Port}";
            var res = await d.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
            Assert.Contains("evil.example", await res.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(1.0, (await Lights(d)).GetProperty("master").GetDouble());
        using var local = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        local.Headers.Host = $"localhost:{d.Address.Port}";
        Assert.Equal(HttpStatusCode.OK, (await d.Http.SendAsync(local)).StatusCode);
    }

    [Fact]
    public async Task A_configured_host_name_is_accepted()
    {
        await using var d = await RunningDaemon.StartAsync(new Dictionary<string, string?> { ["Web:AllowedHosts:0"] = "lightmood.venue.lan" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        request.Headers.Host = $"lightmood.venue.lan:{d.Address.Port}";
        Assert.Equal(HttpStatusCode.OK, (await d.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("/api/mood/release", "application/x-www-form-urlencoded", "a=1", null)]
    [InlineData("/api/mood/force", "text/plain", "{\"mood\":\"sad\"}", null)]
    [InlineData("/api/scenes/undo", "multipart/form-data; boundary=x", "--x--", null)]
    [InlineData("/api/output/master", "application/json", "{\"level\":0}", "http://evil.example")]
    [InlineData("/api/output/blackout", "application/json", "{\"on\":true}", "null")]
    public async Task A_request_a_browser_could_send_from_another_site_changes_nothing(string path, string type, string body, string? origin)
    {
        await using var d = await RunningDaemon.StartAsync();
        await d.Http.PostAsJsonAsync("/api/mood/force", new { mood = "tense" });
        await d.WaitForAsync(s => s.GetProperty("lights").GetProperty("mood").GetString() == "tense");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var res = await d.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        var lights = await Lights(d);
        Assert.True(lights.GetProperty("forced").GetBoolean());
        Assert.Equal("tense", lights.GetProperty("mood").GetString());
        Assert.False(lights.GetProperty("blackout").GetBoolean());
        Assert.Equal(1.0, lights.GetProperty("master").GetDouble());
    }

    [Fact]
    public async Task A_cross_site_fetch_marked_by_the_browser_is_refused_and_the_same_origin_is_served()
    {
        await using var d = await RunningDaemon.StartAsync();
        using var cross = new HttpRequestMessage(HttpMethod.Post, "/api/output/master") { Content = Json("{\"level\":0}") };
        cross.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await d.Http.SendAsync(cross)).StatusCode);

        using var same = new HttpRequestMessage(HttpMethod.Post, "/api/output/master") { Content = Json("{\"level\":0.5}") };
        same.Headers.Add("Origin", $"http://{d.Address.Authority}");
        same.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.SendAsync(same)).StatusCode);
        Assert.Equal(0.5, (await Lights(d)).GetProperty("master").GetDouble());
    }

    [Theory]
    [InlineData("/api/output/master", "{}", "'level' is required")]
    [InlineData("/api/output/blackout", "{}", "'on' is required")]
    [InlineData("/api/mood/force", "{}", "'mood' is required")]
    [InlineData("/api/mood/mode", "{}", "'mode' is required")]
    [InlineData("/api/mood/correct", "{\"mood\":\"sad\"}", "'start_s' is required")]
    public async Task A_missing_field_is_a_400_naming_it_never_a_default(string path, string body, string detail)
    {
        await using var d = await RunningDaemon.StartAsync();
        await d.Http.PostAsJsonAsync("/api/output/master", new { level = 0.7 });
        var res = await d.Http.PostAsync(path, Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Contains(detail, await res.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var lights = await Lights(d);
        Assert.Equal(0.7, lights.GetProperty("master").GetDouble());
        Assert.False(lights.GetProperty("blackout").GetBoolean());
    }

    [Fact]
    public async Task A_null_palette_group_in_a_scene_edit_is_a_400_naming_the_field()
    {
        await using var d = await RunningDaemon.StartAsync();
        var look = JsonNode.Parse(await d.Http.GetStringAsync("/api/scenes/calm"))!;
        look["palette"]!["pars"] = null;
        var res = await d.Http.PutAsync("/api/scenes/calm", Json(look.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Contains("palette.pars", await res.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/output/blackout")]     // an endpoint that never reads a body (405)
    [InlineData("POST", "/api/nowhere")]            // no endpoint at all (404)
    [InlineData("POST", "/api/output/master")]
    public async Task A_body_over_the_limit_is_a_413_on_every_path_and_the_next_request_is_served(string method, string path)
    {
        // found by ApiFuzzTests: an unread oversized body made Kestrel drop the connection after answering, and the
        // client's next request on it failed ("response ended prematurely")
        await using var d = await RunningDaemon.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            using var big = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{\"level\":0.5,\"x\":\"" + new string('a', 70_000) + "\"}") };
            var res = await d.Http.SendAsync(big);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsync("/api/output/master", Json("{\"level\":0.6}"))).StatusCode);
        }

        Assert.Equal(0.6, (await Lights(d)).GetProperty("master").GetDouble());
    }

    [Fact]
    public async Task A_scene_edit_that_cannot_be_saved_changes_nothing_and_says_why()
    {
        await using var d = await RunningDaemon.StartAsync();
        var original = await d.Http.GetStringAsync("/api/scenes/calm");
        var look = JsonNode.Parse(original)!;
        look["intensity"] = 0.33;
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PutAsync("/api/scenes/calm", Json(look.ToJsonString()))).StatusCode);
        var saved = await File.ReadAllTextAsync(d.ScenesFile);

        // the temporary file's name taken by a directory: the write fails whoever runs the tests (root included)
        var blocker = d.ScenesFile + ".tmp";
        Directory.CreateDirectory(blocker);
        try
        {
            look["intensity"] = 0.44;
            var res = await d.Http.PutAsync("/api/scenes/calm", Json(look.ToJsonString()));
            Assert.Equal(HttpStatusCode.InternalServerError, res.StatusCode);
            Assert.Contains("cannot be written", await res.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains("0.33", await d.Http.GetStringAsync("/api/scenes/calm"), StringComparison.Ordinal);   // live = disk
            Assert.Equal(saved, await File.ReadAllTextAsync(d.ScenesFile));

            Assert.Equal(HttpStatusCode.InternalServerError, (await d.Http.PostAsync("/api/scenes/undo", RunningDaemon.EmptyJson())).StatusCode);
            Assert.Contains("0.33", await d.Http.GetStringAsync("/api/scenes/calm"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(blocker);
        }

        // writable again: the first edit can still be undone
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsync("/api/scenes/undo", RunningDaemon.EmptyJson())).StatusCode);
        Assert.DoesNotContain("0.33", await File.ReadAllTextAsync(d.ScenesFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_temporary_scenes_file_is_removed_at_start()
    {
        var scenes = RunningDaemon.CopyScenes();
        await File.WriteAllTextAsync(scenes + ".tmp", "{ half a file");
        await using var d = await RunningDaemon.StartAsync(scenesFile: scenes);
        Assert.False(File.Exists(scenes + ".tmp"));
    }

    [Fact]
    public async Task A_forced_mood_lights_the_stage_while_the_model_is_missing()
    {
        var model = Path.Combine(Path.GetTempPath(), $"lightmood-missing-{Guid.NewGuid():N}.onnx");
        await using var d = await RunningDaemon.StartAsync(new Dictionary<string, string?>
        {
            ["Analysis:ModelFile"] = model,
            ["Lighting:SafeLook"] = "Blackout",
        });
        await d.WaitForAsync(s => s.GetProperty("faults").TryGetProperty("analysis", out _), 10);
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/mood/force", new { mood = "happy" })).StatusCode);
        var lit = await d.WaitForAsync(s => s.GetProperty("lights").GetProperty("look").GetString() == "happy"
            && s.GetProperty("fixtures").EnumerateArray().Any(f => f.GetProperty("intensity").GetDouble() > 0.2), 5);
        Assert.Equal("happy", lit.GetProperty("lights").GetProperty("look").GetString());
        Assert.True(lit.GetProperty("faults").TryGetProperty("analysis", out _));
        Assert.Contains(lit.GetProperty("fixtures").EnumerateArray(), f => f.GetProperty("intensity").GetDouble() > 0.2);
    }

    [Fact]
    public void A_Kestrel_endpoint_off_loopback_needs_the_token_too()
    {
        var e = Assert.Throws<DaemonConfigException>(() => DaemonHost.Build([], c => c.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Kestrel:Endpoints:E:Url"] = "http://0.0.0.0:8083" })));
        Assert.Contains(e.Problems, p => p.Contains("Kestrel:Endpoints:E:Url", StringComparison.Ordinal) && p.Contains("AccessToken", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Audio:StallSeconds", "NaN", "Audio:StallSeconds")]
    [InlineData("Web:Urls", "", "Web:Urls is empty")]
    [InlineData("Web:Urls", " ; ", "Web:Urls is empty")]
    [InlineData("Web:AllowedHosts:0", "*", "Web:AllowedHosts")]
    public void A_bad_setting_is_named(string key, string value, string problem)
    {
        var e = Assert.Throws<DaemonConfigException>(() => DaemonHost.Build([], c => c.AddInMemoryCollection(
            new Dictionary<string, string?> { [key] = value })));
        Assert.Contains(e.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stdin_switch_does_not_swallow_the_next_option()
    {
        await using var app = DaemonHost.Build(["--stdin", "--Audio:StdinFormat=f32le", "--Web:Urls=http://127.0.0.1:0", "--Lighting:ArtNet:ListenPort=0"]);
        var audio = app.Services.GetRequiredService<IOptions<AudioOptions>>().Value;
        Assert.Equal("stdin", audio.Source.ToName());
        Assert.Equal("f32le", audio.StdinFormat);
    }

    [Theory]
    [InlineData("http://192.0.2.1:8099", true)]          // an address that is not on this host (TEST-NET-1)
    [InlineData("https://127.0.0.1:0", true)]            // https without a certificate
    [InlineData("http://[::ffff:127.0.0.1]:0", false)]    // an IPv4-mapped loopback address: serves, or one clean line
    public async Task A_bind_error_is_one_line_and_exit_2(string url, bool mustFail)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "lightmood.dll"), "run", $"--Web:Urls={url}",
                     "--Web:AccessToken=0123456789abcdef-token", "--Lighting:ArtNet:ListenPort=0",
                     "--Serilog:WriteTo:1:Name=Console",
                 })
        {
            start.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(start)!;
        var stderrRead = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await p.WaitForExitAsync(within.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            Assert.False(mustFail, $"{url}: the daemon kept running");
            return;
        }

        var stderr = await stderrRead;
        Assert.Equal(2, p.ExitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.StartsWith("lightmood: cannot serve the operator page (Web:Urls)", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
