using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LightMood.Analysis.Emotion;
using LightMood.Hosting;
using Microsoft.Extensions.Configuration;

namespace LightMood.Tests.Daemon;

/// <summary>The operator API against the real daemon: actions change the DMX, bad input is refused and changes nothing.</summary>
public sealed class OperatorApiTests
{
    [Fact]
    public async Task The_demo_plays_through_analysis_into_DMX_and_the_page_is_served()
    {
        await using var d = await RunningDaemon.StartAsync();
        var state = await d.WaitForAsync(s => s.GetProperty("mood").ValueKind == JsonValueKind.Object, 30);
        Assert.Equal(JsonValueKind.Object, state.GetProperty("mood").ValueKind);
        Assert.True(state.GetProperty("mel").GetProperty("columns").GetInt32() > 0);
        Assert.Contains(RunningDaemon.Slots(state), b => b > 0);
        var page = await d.Http.GetStringAsync("/");
        Assert.Contains("LightMood", page, StringComparison.Ordinal);
        var openapi = await d.Http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/mood/force", openapi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forcing_a_mood_changes_the_DMX_and_release_returns_to_auto()
    {
        await using var d = await RunningDaemon.StartAsync();
        await d.WaitForAsync(s => s.GetProperty("mood").ValueKind == JsonValueKind.Object, 30);
        var res = await d.Http.PostAsJsonAsync("/api/mood/force", new { mood = "tense" });
        Assert.Equal(HttpStatusCode.NoContent, res.StatusCode);
        var tense = await d.WaitForAsync(s => s.GetProperty("lights").GetProperty("mood").GetString() == "tense");
        Assert.True(tense.GetProperty("lights").GetProperty("forced").GetBoolean());
        Assert.Equal("manual", tense.GetProperty("lights").GetProperty("mode").GetString());
        await Task.Delay(3500); // the crossfade
        var tenseSlots = RunningDaemon.Slots(await d.StateAsync());

        await d.Http.PostAsJsonAsync("/api/mood/force", new { mood = "calm" });
        await Task.Delay(3500);
        var calmSlots = RunningDaemon.Slots(await d.StateAsync());
        Assert.NotEqual(tenseSlots, calmSlots);

        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsync("/api/mood/release", RunningDaemon.EmptyJson())).StatusCode);
        var auto = await d.StateAsync();
        Assert.False(auto.GetProperty("lights").GetProperty("forced").GetBoolean());
        Assert.Equal("auto", auto.GetProperty("lights").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task A_timed_force_releases_itself()
    {
        await using var d = await RunningDaemon.StartAsync();
        await d.Http.PostAsJsonAsync("/api/mood/force", new { mood = "sad", seconds = 1 });
        Assert.True((await d.StateAsync()).GetProperty("lights").GetProperty("forced").GetBoolean());
        var after = await d.WaitForAsync(s => !s.GetProperty("lights").GetProperty("forced").GetBoolean(), 5);
        Assert.False(after.GetProperty("lights").GetProperty("forced").GetBoolean());
    }

    [Fact]
    public async Task Blackout_zeroes_the_intensity_and_master_scales_it()
    {
        await using var d = await RunningDaemon.StartAsync();
        await d.Http.PostAsJsonAsync("/api/mood/force", new { mood = "happy" });
        await Task.Delay(3500);
        var lit = await d.StateAsync();
        Assert.Contains(lit.GetProperty("fixtures").EnumerateArray(), f => f.GetProperty("intensity").GetDouble() > 0.2);

        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/output/blackout", new { on = true })).StatusCode);
        var dark = await d.WaitForAsync(s => s.GetProperty("fixtures").EnumerateArray().All(f => f.GetProperty("intensity").GetDouble() == 0), 3);
        Assert.True(dark.GetProperty("lights").GetProperty("blackout").GetBoolean());
        Assert.All(dark.GetProperty("fixtures").EnumerateArray(), f => Assert.Equal(0, f.GetProperty("intensity").GetDouble()));

        await d.Http.PostAsJsonAsync("/api/output/blackout", new { on = false });
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/output/master", new { level = 0.25 })).StatusCode);
        var dim = await d.WaitForAsync(s => Math.Abs(s.GetProperty("lights").GetProperty("master").GetDouble() - 0.25) < 1e-9, 3);
        Assert.Equal(0.25, dim.GetProperty("lights").GetProperty("master").GetDouble(), 6);
    }

    [Theory]
    [InlineData("/api/mood/force", "{\"mood\":\"angry\"}", "not a mood")]
    [InlineData("/api/mood/force", "{\"mood\":\"sad\",\"seconds\":-5}", "seconds")]
    [InlineData("/api/mood/force", "{\"mood\":", "")]
    [InlineData("/api/mood/force", "{\"mood\":\"sad\",\"colour\":\"red\"}", "")]
    [InlineData("/api/output/master", "{\"level\":1.5}", "between 0 and 1")]
    [InlineData("/api/output/master", "{\"level\":\"loud\"}", "")]
    [InlineData("/api/mood/mode", "{\"mode\":\"party\"}", "not auto or manual")]
    [InlineData("/api/mood/correct", "{\"start_s\":10,\"end_s\":5,\"mood\":\"sad\"}", "start_s")]
    public async Task Bad_input_is_a_400_problem_and_changes_nothing(string path, string body, string detail)
    {
        await using var d = await RunningDaemon.StartAsync();
        var before = (await d.StateAsync()).GetProperty("lights");
        var res = await d.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, await res.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = (await d.StateAsync()).GetProperty("lights");
        Assert.Equal(before.GetProperty("forced").GetBoolean(), after.GetProperty("forced").GetBoolean());
        Assert.Equal(before.GetProperty("master").GetDouble(), after.GetProperty("master").GetDouble());
        Assert.Equal(before.GetProperty("mode").GetString(), after.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task An_oversized_body_is_refused()
    {
        await using var d = await RunningDaemon.StartAsync();
        var big = new StringContent(new string(' ', 200_000) + "{}", Encoding.UTF8, "application/json");
        var res = await d.Http.PutAsync("/api/scenes/happy", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
    }

    [Fact]
    public async Task A_scene_edit_is_validated_saved_atomically_and_undone()
    {
        await using var d = await RunningDaemon.StartAsync();
        var original = await d.Http.GetStringAsync("/api/scenes/calm");
        var look = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(original)!;
        look["intensity"] = JsonSerializer.SerializeToElement(0.33);
        var res = await d.Http.PutAsync("/api/scenes/calm", new StringContent(JsonSerializer.Serialize(look), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, res.StatusCode);
        Assert.Contains("0.33", await File.ReadAllTextAsync(d.ScenesFile), StringComparison.Ordinal);
        Assert.False(File.Exists(d.ScenesFile + ".tmp"));

        look["intensity"] = JsonSerializer.SerializeToElement(7);
        var bad = await d.Http.PutAsync("/api/scenes/calm", new StringContent(JsonSerializer.Serialize(look), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("0.33", await d.Http.GetStringAsync("/api/scenes/calm"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await d.Http.GetAsync("/api/scenes/angry")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsync("/api/scenes/undo", RunningDaemon.EmptyJson())).StatusCode);
        Assert.DoesNotContain("0.33", await File.ReadAllTextAsync(d.ScenesFile), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await d.Http.PostAsync("/api/scenes/undo", RunningDaemon.EmptyJson())).StatusCode);
    }

    [Fact]
    public async Task A_correction_becomes_feedback_records_with_the_CRNN_embedding_that_survive_a_restart()
    {
        var feedback = Path.Combine(Path.GetTempPath(), $"lightmood-feedback-{Guid.NewGuid():N}.jsonl");
        var settings = new Dictionary<string, string?> { ["Web:FeedbackFile"] = feedback };
        await using (var d = await RunningDaemon.StartAsync(settings))
        {
            var state = await d.WaitForAsync(s => s.GetProperty("time_s").GetDouble() > 6, 30);
            var res = await d.Http.PostAsJsonAsync("/api/mood/correct", new { start_s = 0.0, end_s = state.GetProperty("time_s").GetDouble(), mood = "tense" });
            Assert.Equal(HttpStatusCode.NoContent, res.StatusCode);
            var nothing = await d.Http.PostAsJsonAsync("/api/mood/correct", new { start_s = 5000.0, end_s = 5010.0, mood = "sad" });
            Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        }

        var store = FeedbackStore.Open(feedback);
        Assert.NotEmpty(store.Records);
        Assert.All(store.Records, r =>
        {
            Assert.Equal(Mood.Tense, r.Corrected);
            Assert.NotEmpty(r.Embedding);
        });
    }

    [Fact]
    public async Task With_a_token_mutating_requests_need_it()
    {
        const string token = "0123456789abcdef-token";
        await using var d = await RunningDaemon.StartAsync(new Dictionary<string, string?> { ["Web:AccessToken"] = token });
        var anonymous = await d.Http.PostAsJsonAsync("/api/mood/force", new { mood = "sad" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.False((await d.StateAsync()).GetProperty("lights").GetProperty("forced").GetBoolean());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/mood/force") { Content = JsonContent.Create(new { mood = "sad" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NoContent, (await d.Http.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await d.Http.GetAsync("/api/state")).StatusCode); // reading needs no token
    }

    [Fact]
    public void A_non_loopback_address_without_a_token_refuses_to_start()
    {
        var e = Assert.Throws<DaemonConfigException>(() => DaemonHost.Build([], c => c.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Web:Urls"] = "http://0.0.0.0:8080" })));
        Assert.Contains(e.Problems, p => p.StartsWith("Web:AccessToken is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once_by_its_key()
    {
        var e = Assert.Throws<DaemonConfigException>(() => DaemonHost.Build([], c => c.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["Audio:Source"] = "radio",
                ["Audio:StdinFormat"] = "mp3",
                ["Web:UpdatesPerSecond"] = "500",
                ["Lighting:RateHz"] = "100",
            })));
        Assert.Contains(e.Problems, p => p.StartsWith("Audio:Source 'radio'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Audio:StdinFormat", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Web:UpdatesPerSecond", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("RateHz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_event_stream_sends_at_least_ten_updates_a_second()
    {
        await using var d = await RunningDaemon.StartAsync();
        using var stream = await d.Http.GetStreamAsync("/api/events");
        using var reader = new StreamReader(stream);
        var started = DateTime.UtcNow;
        var events = 0;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(2))
        {
            var line = await reader.ReadLineAsync();
            if (line?.StartsWith("data: ", StringComparison.Ordinal) == true)
            {
                events++;
                using var doc = JsonDocument.Parse(line[6..]);
                Assert.True(doc.RootElement.TryGetProperty("lights", out _));
            }
        }

        Assert.True(events >= 18, $"{events} events in 2 s");
    }
}
