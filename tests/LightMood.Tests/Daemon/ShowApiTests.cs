using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightMood.Tests.Daemon;

/// <summary>
/// The scene library and show presets through the real daemon's API (issue 18): scenes and mappings round-trip in the
/// scenes file's format, a preset switch changes the DMX without a restart, a bad body is a 400 naming the field and
/// changes nothing (the file byte for byte), a scene in use and the active preset refuse deletion (409), undo walks
/// back every kind of change, and the library, the presets and the active preset survive a restart.
/// </summary>
public sealed class ShowApiTests
{
    /// <summary>A static channel scene: par-1 (dimmer, R, G, B, W, strobe) and par-2 at raw values.</summary>
    private const string Amber = """{ "fadeSeconds": 0, "channels": { "par-1": { "1": 201, "2": 180, "3": 90, "4": 3 }, "par-2": { "1": 17, "5": 99 } } }""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Mapping(string calm) => $$"""
        {
          "moods": { "happy": { "scenes": ["happy"] }, "tense": { "scenes": ["tense"] }, "sad": { "scenes": ["sad"] }, "calm": { "scenes": ["{{calm}}"] } },
          "silence": { "scene": "silence", "fadeSeconds": 0 },
          "house": "house"
        }
        """;

    /// <summary>A DELETE: mutating requests carry JSON (the cross-site guard).</summary>
    private static Task<HttpResponseMessage> Delete(RunningDaemon d, string path) =>
        d.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, path) { Content = RunningDaemon.EmptyJson() });

    private static async Task<string> Active(RunningDaemon d) =>
        (await d.Http.GetFromJsonAsync<JsonElement>("/api/presets")).GetProperty("active").GetString()!;

    private static async Task Ok(HttpResponseMessage res)
    {
        Assert.True(res.StatusCode == HttpStatusCode.NoContent, $"{res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == expected, $"{res.StatusCode} (expected {expected}): {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Library_and_presets_round_trip_switch_live_undo_and_survive_a_restart()
    {
        var scenesFile = RunningDaemon.CopyScenes();
        await using (var d = await RunningDaemon.StartAsync(scenesFile: scenesFile))
        {
            var library = JsonNode.Parse(await d.Http.GetStringAsync("/api/library"))!.AsObject();
            Assert.True(library.ContainsKey("happy") && library.ContainsKey("teal-wash") && library.ContainsKey("rock-chase"), library.ToJsonString());
            Assert.Equal("default", await Active(d));

            // a static channel scene and a preset that maps calm to it
            await Ok(await d.Http.PutAsync("/api/library/amber%20static", Json(Amber)));
            var back = JsonNode.Parse(await d.Http.GetStringAsync("/api/library/amber%20static"))!;
            Assert.Equal(201, back["channels"]!["par-1"]!["1"]!.GetValue<int>());
            await Ok(await d.Http.PutAsync("/api/presets/test%20night", Json(Mapping("amber static"))));
            Assert.Contains("test night", (await d.Http.GetFromJsonAsync<JsonElement>("/api/presets")).GetProperty("presets").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal("amber static", JsonNode.Parse(await d.Http.GetStringAsync("/api/presets/test%20night"))!["moods"]!["calm"]!["scenes"]![0]!.GetValue<string>());

            // force calm, switch to the preset: the DMX is the scene's values
            await Ok(await d.Http.PostAsync("/api/mood/force", Json("""{ "mood": "calm" }""")));
            await Ok(await d.Http.PostAsync("/api/presets/test%20night/activate", RunningDaemon.EmptyJson()));
            static bool IsAmber(byte[] s) => s[..6].SequenceEqual(new byte[] { 201, 180, 90, 3, 0, 0 }) && s[6] == 17 && s[10] == 99;
            var state = await d.WaitForAsync(s => IsAmber(RunningDaemon.Slots(s)), 10);
            Assert.True(IsAmber(RunningDaemon.Slots(state)), string.Join(",", RunningDaemon.Slots(state)[..12]));
            Assert.Equal("test night", await Active(d));

            // conflicts: a scene a preset uses, the active preset
            var inUse = await Problem(await Delete(d, "/api/library/amber%20static"), HttpStatusCode.Conflict);
            Assert.Contains("test night", inUse.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await Problem(await Delete(d, "/api/presets/test%20night"), HttpStatusCode.Conflict);
            await Problem(await d.Http.PostAsync("/api/presets/nope/activate", RunningDaemon.EmptyJson()), HttpStatusCode.NotFound);
            await Problem(await d.Http.GetAsync("/api/library/nope"), HttpStatusCode.NotFound);

            // bad bodies: 400 naming the field, the file unchanged byte for byte
            var before = await File.ReadAllTextAsync(d.ScenesFile);
            var bad = await Problem(await d.Http.PutAsync("/api/library/x", Json("""{ "channels": { "par-1": { "9": 300 } } }""")), HttpStatusCode.BadRequest);
            Assert.True(bad.GetProperty("errors").TryGetProperty("channels.par-1.9", out _), bad.ToString());
            bad = await Problem(await d.Http.PutAsync("/api/presets/x", Json(Mapping("nowhere"))), HttpStatusCode.BadRequest);
            Assert.True(bad.GetProperty("errors").TryGetProperty("moods.calm.scenes[0]", out _), bad.ToString());
            bad = await Problem(await d.Http.PutAsync("/api/library/loop", Json("""{ "chase": { "steps": ["loop"] } }""")), HttpStatusCode.BadRequest);
            Assert.Contains("cycle", bad.ToString(), StringComparison.Ordinal);
            bad = await Problem(await d.Http.PutAsync("/api/presets/y", Json("""{ "moods": { "happy": { "scenes": ["happy"] } }, "silence": { "scene": "silence" }, "house": "house" }""")), HttpStatusCode.BadRequest);
            Assert.True(bad.GetProperty("errors").TryGetProperty("moods.calm", out _), bad.ToString());
            Assert.Equal(before, await File.ReadAllTextAsync(d.ScenesFile));

            // undo, newest first: the activation, then the preset, then the scene
            await Ok(await d.Http.PostAsync("/api/scenes/undo", RunningDaemon.EmptyJson()));
            Assert.Equal("default", await Active(d));
            Assert.Equal("default", JsonNode.Parse(await File.ReadAllTextAsync(d.ScenesFile))!["activePreset"]!.GetValue<string>());
            state = await d.WaitForAsync(s => !IsAmber(RunningDaemon.Slots(s)), 10);
            Assert.False(IsAmber(RunningDaemon.Slots(state)));
            await Ok(await d.Http.PostAsync("/api/scenes/undo", RunningDaemon.EmptyJson()));
            await Problem(await d.Http.GetAsync("/api/presets/test%20night"), HttpStatusCode.NotFound);
            await Ok(await d.Http.PostAsync("/api/scenes/undo", RunningDaemon.EmptyJson()));
            await Problem(await d.Http.GetAsync("/api/library/amber%20static"), HttpStatusCode.NotFound);

            // again, and switch to a shipped preset: what a restart must keep
            await Ok(await d.Http.PutAsync("/api/library/amber%20static", Json(Amber)));
            await Ok(await d.Http.PutAsync("/api/presets/test%20night", Json(Mapping("amber static"))));
            await Ok(await d.Http.PostAsync("/api/presets/test%20night/activate", RunningDaemon.EmptyJson()));
        }

        await using (var again = await RunningDaemon.StartAsync(scenesFile: scenesFile))
        {
            Assert.Equal("test night", await Active(again));
            Assert.Equal(201, JsonNode.Parse(await again.Http.GetStringAsync("/api/library/amber%20static"))!["channels"]!["par-1"]!["1"]!.GetValue<int>());
            await Ok(await again.Http.PostAsync("/api/mood/force", Json("""{ "mood": "calm" }""")));
            var state = await again.WaitForAsync(s => RunningDaemon.Slots(s)[0] == 201 && RunningDaemon.Slots(s)[1] == 180, 10);
            Assert.Equal(new byte[] { 201, 180, 90, 3 }, RunningDaemon.Slots(state)[..4]);

            // the page's editor edits the scene the active preset maps the mood to
            Assert.Equal(201, JsonNode.Parse(await again.Http.GetStringAsync("/api/scenes/calm"))!["channels"]!["par-1"]!["1"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task An_old_format_scenes_file_runs_as_the_default_preset_and_the_first_save_writes_the_library_format()
    {
        var scenesFile = Path.Combine(Path.GetTempPath(), $"lightmood-old-scenes-{Guid.NewGuid():N}.json");
        File.Copy(Path.Combine(Service.SystemdUnit.RepoRoot, "fixtures", "scenes", "scenes-old-format-edited.json"), scenesFile);
        await using var d = await RunningDaemon.StartAsync(scenesFile: scenesFile);
        var presets = await d.Http.GetFromJsonAsync<JsonElement>("/api/presets");
        Assert.Equal("default", presets.GetProperty("active").GetString());
        Assert.Equal(["default"], presets.GetProperty("presets").EnumerateArray().Select(p => p.GetString()));
        var library = JsonNode.Parse(await d.Http.GetStringAsync("/api/library"))!.AsObject();
        Assert.Equal(["calm", "happy", "house", "sad", "silence", "tense"], library.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        var happy = JsonNode.Parse(await d.Http.GetStringAsync("/api/scenes/happy"))!.AsObject();
        Assert.Equal(0.7, happy["intensity"]!.GetValue<double>());
        Assert.Contains("\"moods\"", await File.ReadAllTextAsync(scenesFile), StringComparison.Ordinal);   // untouched until a save

        happy["intensity"] = 0.65;
        await Ok(await d.Http.PutAsync("/api/scenes/happy", Json(happy.ToJsonString())));
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(scenesFile))!.AsObject();
        Assert.False(saved.ContainsKey("moods"));
        Assert.Equal(0.65, saved["library"]!["happy"]!["intensity"]!.GetValue<double>());
        Assert.Equal(0.6, saved["modulation"]!["valenceWarmth"]!.GetValue<double>());      // the edited file's own settings kept
        Assert.Equal(8, saved["presets"]!["default"]!["silence"]!["graceSeconds"]!.GetValue<double>());
        Assert.Equal("default", saved["activePreset"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_scenes_file_at_start_exits_2_naming_every_problem()
    {
        var scenes = Path.Combine(Path.GetTempPath(), $"lightmood-bad-scenes-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(scenes, """
            {
              "library": {
                "warm": { "intensity": 0.5 },
                "raw": { "channels": { "par-1": { "9": 10 } } },
                "loop": { "chase": { "steps": ["loop2"] } },
                "loop2": { "chase": { "steps": ["loop"] } }
              },
              "presets": { "default": { "moods": { "happy": { "scenes": ["nowhere"] }, "tense": { "scenes": ["warm"] }, "sad": { "scenes": ["warm"] } },
                                        "silence": { "scene": "warm" }, "house": "warm" } }
            }
            """);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "lightmood.dll"), "run", "--Web:Urls=http://127.0.0.1:0",
                     $"--Paths:StateDirectory={Directory.CreateTempSubdirectory("lightmood-state-").FullName}",
                     $"--Lighting:ScenesFile={scenes}", "--Lighting:ArtNet:ListenPort=0", "--Serilog:WriteTo:1:Name=Console",
                 })
        {
            start.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(within.Token);
        var text = await stderr;
        Assert.True(p.ExitCode == 2, $"exit {p.ExitCode}: {text}");
        Assert.Contains("library.raw.channels.par-1.9: channel 9 is outside 1..6", text, StringComparison.Ordinal);
        Assert.Contains("makes the chase run in a cycle", text, StringComparison.Ordinal);
        Assert.Contains("presets.default.moods.happy.scenes[0]: 'nowhere' is not a scene of the library", text, StringComparison.Ordinal);
        Assert.Contains("presets.default.moods.calm: missing (every mood needs a scene)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
