using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LightMood.Audio.Decoding;
using LightMood.Tests.Cli;

namespace LightMood.Tests.Daemon;

/// <summary>
/// Issue 16, item 1: huge finite samples (1 % of them at ±3·10³⁸, far outside full scale) must not poison the
/// analysis, the state hub or the lights — through the daemon's real stdin path and through <c>analyze</c>.
/// </summary>
public sealed class HugeSampleTests : IDisposable
{
    private const float Huge = 3e38f;
    private const int Rate = 48000;

    private static readonly Lazy<float[]> Demo48K = new(() =>
        AudioFileDecoder.Decode(Path.Combine(AppContext.BaseDirectory, "fixtures", "demo", "demo.ogg"), Rate).Samples);

    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-huge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Stdin_f32le_with_huge_samples_keeps_the_state_finite_and_the_lights_working()
    {
        await using var d = await DaemonProcess.StartStdinAsync("--Audio:StdinFormat=f32le", $"--Audio:SampleRate={Rate}", "--Audio:Channels=2");
        using var stop = new CancellationTokenSource();
        // the demo's loud tense section, stereo; the first 5 s with 1 % of the samples at ±3e38 (either channel)
        var writer = d.PlayAsync(Demo48K.Value.AsSpan(60 * Rate).ToArray(), Rate, channels: 2, stop.Token, (block, written) =>
        {
            if (written < 5 * Rate)
            {
                Poison(block);
            }
        });
        try
        {
            JsonElement state = default;
            var until = DateTime.UtcNow.AddSeconds(30);
            var polls = 0;
            while (DateTime.UtcNow < until)
            {
                var res = await d.Http.GetAsync("/api/state");
                Assert.True(res.StatusCode == HttpStatusCode.OK, $"/api/state {(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
                state = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
                FiniteJson.AssertState(state);
                polls++;
                if (state.GetProperty("time_s").GetDouble() >= 8 && state.GetProperty("mood").ValueKind == JsonValueKind.Object)
                {
                    break;
                }

                await Task.Delay(200);
            }

            Assert.True(state.GetProperty("time_s").GetDouble() >= 8, $"the analysis did not get past the poisoned audio: {state.GetProperty("time_s")}\n{d.Output}");
            Assert.InRange(state.GetProperty("mood").GetProperty("confidence").GetDouble(), 0, 1);
            Assert.True(polls > 5);

            // the event stream: 200 and finite numbers in every update
            using (var events = await d.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal(HttpStatusCode.OK, events.StatusCode);
                using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
                var updates = 0;
                while (updates < 5 && await reader.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        FiniteJson.AssertState(JsonDocument.Parse(line[6..]).RootElement);
                        updates++;
                    }
                }

                Assert.Equal(5, updates);
            }

            // the analysed mood lights the rig, and so does a forced one afterwards
            var lit = await WaitForAsync(d, s => Lit(s) && s.GetProperty("lights").GetProperty("look").GetString() is "happy" or "tense" or "sad" or "calm");
            Assert.True(Lit(lit), $"no fixture lit under the analysed mood: {lit.GetProperty("lights")}");
            Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/mood/force", new { mood = "calm" })).StatusCode);
            var forced = await WaitForAsync(d, s => s.GetProperty("lights").GetProperty("look").GetString() == "calm" && Lit(s));
            Assert.Equal("calm", forced.GetProperty("lights").GetProperty("look").GetString());
            Assert.True(Lit(forced));
            FiniteJson.AssertState(forced);
            Assert.DoesNotContain("NaN", d.Output, StringComparison.Ordinal);
            Assert.False(d.HasExited);
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
    }

    [Fact]
    public void Analyze_of_a_float_WAV_with_huge_samples_exits_0_with_finite_JSON()
    {
        var samples = TestWav.CalmThenTense();
        Poison(samples);
        var path = Path.Combine(_dir, "huge.wav");
        TestWav.WriteFloat(path, samples);
        var (code, stdout, stderr) = LightmoodProcess.Run("analyze", path, "--json");
        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Empty(FiniteJson.Problems(doc.RootElement));
        Assert.Equal(24.0, doc.RootElement.GetProperty("duration_s").GetDouble(), 2);
        var regions = doc.RootElement.GetProperty("regions").EnumerateArray().ToList();
        Assert.NotEmpty(regions);
        foreach (var r in regions)
        {
            Assert.InRange(r.GetProperty("confidence").GetDouble(), 0, 1);
            Assert.InRange(r.GetProperty("valence").GetDouble(), -1, 1);
            Assert.InRange(r.GetProperty("arousal").GetDouble(), -1, 1);
        }
    }

    private static bool Lit(JsonElement state) =>
        state.GetProperty("fixtures").EnumerateArray().Any(f => f.GetProperty("intensity").GetDouble() > 0);

    private static async Task<JsonElement> WaitForAsync(DaemonProcess d, Func<JsonElement, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        JsonElement state;
        do
        {
            state = await d.StateAsync();
            if (condition(state))
            {
                return state;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        return state;
    }

    /// <summary>Sets 1 % of the values (every 100th, offset by a fixed pseudo-random jitter) to ±3e38.</summary>
    private static void Poison(Span<float> values)
    {
        var random = new Random(16);
        for (var i = random.Next(100); i < values.Length; i += 100)
        {
            values[i] = random.Next(2) == 0 ? Huge : -Huge;
        }
    }
}
