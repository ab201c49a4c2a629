using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LightMood.Audio.Tests.PortAudio;
using LightMood.Hosting;

namespace LightMood.Tests.Daemon;

/// <summary>
/// Choosing the audio input from the page: the daemon starts on the demo, lists PortAudio's devices (PulseAudio's
/// null sink through ALSA's pulse plugin), switches to line-in without a restart (the level meter follows what is
/// played into the sink), keeps the choice in the state directory across a restart, and switches back.
/// </summary>
[Collection(VirtualLineIn.Collection)]
public sealed class AudioInputTests
{
    private static double Level(JsonElement state) => state.GetProperty("audio").GetProperty("rms_db").GetDouble();

    [SkippableFact]
    public async Task The_input_is_chosen_on_the_page_switched_live_and_kept_across_a_restart()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        var stateDir = Directory.CreateTempSubdirectory("lightmood-state-").FullName;
        var settings = new Dictionary<string, string?> { ["Paths:StateDirectory"] = stateDir };
        await using (var d = await RunningDaemon.StartAsync(settings))
        {
            var demo = await d.WaitForAsync(s => Level(s) > -60, 10);
            Assert.Equal("demo", demo.GetProperty("audio").GetProperty("source").GetString());
            Assert.True(Level(demo) > -60, $"the demo's level is {Level(demo)} dBFS");

            var listing = await d.Http.GetFromJsonAsync<JsonElement>("/api/audio");
            var names = listing.GetProperty("devices").EnumerateArray().Select(x => x.GetProperty("name").GetString()).ToList();
            Assert.Contains("pulse", names);
            Assert.Contains("portaudio", listing.GetProperty("sources").EnumerateArray().Select(x => x.GetString()));

            // bad choices name the field and change nothing
            var badChoices = new (object Body, string Field)[]
            {
                (new { source = "radio" }, "source"),
                (new { source = "portaudio", device = "no such card" }, "device"),
                (new { source = "portaudio", device = "pulse", channel = 99 }, "channel"),
            };
            foreach (var (body, field) in badChoices)
            {
                var bad = await d.Http.PostAsJsonAsync("/api/audio/input", body);
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
                Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
            }

            Assert.False(File.Exists(Path.Combine(stateDir, AudioInputSelection.FileName)));

            // line-in, channel 1 (the left one), without a restart: silence on the sink, then the demo played into it
            var frames = (await d.StateAsync()).GetProperty("lights").GetProperty("frame").GetInt64();
            Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/audio/input", new { source = "portaudio", device = "pulse", channel = 0 })).StatusCode);
            var quiet = await d.WaitForAsync(s => s.GetProperty("audio").GetProperty("source").GetString() == "portaudio" && Level(s) < -70, 15);
            Assert.True(Level(quiet) < -70, $"the idle sink reads {Level(quiet)} dBFS");
            Assert.Equal("pulse", quiet.GetProperty("audio").GetProperty("device").GetString());
            Assert.Equal(0, quiet.GetProperty("audio").GetProperty("channel").GetInt32());
            using (lineIn.Play(Path.Combine(AppContext.BaseDirectory, "fixtures", "demo", "demo.ogg")))
            {
                var loud = await d.WaitForAsync(s => Level(s) > -40, 15);
                Assert.True(Level(loud) > -40, $"the played demo reads {Level(loud)} dBFS");
                Assert.True(loud.GetProperty("lights").GetProperty("frame").GetInt64() > frames, "the lights stopped while the input changed");
                Assert.Equal(0, d.Service<CaptureStage>().Restarts);
            }

            var saved = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(stateDir, AudioInputSelection.FileName))).RootElement;
            Assert.Equal("portaudio", saved.GetProperty("source").GetString());
            Assert.Equal("pulse", saved.GetProperty("device").GetString());
        }

        // started with other settings (here a file, as with --stdin), the daemon follows its settings, not the old choice
        var otherSettings = new Dictionary<string, string?>(settings)
        {
            ["Audio:Source"] = "file",
            ["Audio:File"] = Path.Combine(AppContext.BaseDirectory, "fixtures", "demo", "demo.ogg"),
        };
        await using (var other = await RunningDaemon.StartAsync(otherSettings))
        {
            Assert.Equal("file", (await other.StateAsync()).GetProperty("audio").GetProperty("source").GetString());
        }

        await using (var again = await RunningDaemon.StartAsync(settings))
        {
            var audio = (await again.StateAsync()).GetProperty("audio");
            Assert.Equal("portaudio", audio.GetProperty("source").GetString());
            Assert.Equal("pulse", audio.GetProperty("device").GetString());
            Assert.Equal(HttpStatusCode.NoContent, (await again.Http.PostAsJsonAsync("/api/audio/input", new { source = "demo" })).StatusCode);
            var demo = await again.WaitForAsync(s => s.GetProperty("audio").GetProperty("source").GetString() == "demo" && Level(s) > -60, 15);
            Assert.True(Level(demo) > -60, $"back on the demo: {Level(demo)} dBFS");
        }
    }
}
