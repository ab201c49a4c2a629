using System.Text.Json;
using LightMood.Tests.Cli;

namespace LightMood.Tests.Daemon;

/// <summary>Issue 16, item 11, live: silence on the line is silence on the page and the silence look on the rig, never a mood.</summary>
public sealed class LiveSilenceTests
{
    [Fact]
    public async Task Music_then_silence_on_stdin_says_silence_and_shows_the_silence_look()
    {
        await using var d = await DaemonProcess.StartStdinAsync("--Audio:StdinFormat=f32le", "--Audio:SampleRate=22050", "--Audio:Channels=1");
        using var stop = new CancellationTokenSource();
        var music = TestWav.CalmThenTense().AsSpan(0, 8 * 22050).ToArray();   // 8 s of the demo's calm section, then digital silence
        var writer = d.PlayAsync(music, 22050, channels: 1, stop.Token, loop: false);
        try
        {
            var heard = await WaitForAsync(d, s => Label(s) is "happy" or "tense" or "sad" or "calm", 20);
            Assert.True(Label(heard) is "happy" or "tense" or "sad" or "calm", $"no mood heard: {heard.GetProperty("mood")}");

            // after the gate (2 s of silence) and the scenes' grace time (4 s): silence everywhere
            var silent = await WaitForAsync(d, s => Label(s) == "silence" && s.GetProperty("lights").GetProperty("look").GetString() == "silence", 25);
            Assert.Equal("silence", Label(silent));
            Assert.Equal("silence", silent.GetProperty("lights").GetProperty("look").GetString());
            Assert.True(silent.GetProperty("lights").GetProperty("silent").GetBoolean());
            var region = silent.GetProperty("regions").EnumerateArray().Last();
            Assert.Equal("silence", region.GetProperty("mood").GetString());
            Assert.InRange(region.GetProperty("start_s").GetDouble(), 7.5, 8.5);
            FiniteJson.AssertState(silent);

            // and it stays silence: no mood creeps back in
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(300);
                var later = await d.StateAsync();
                Assert.Equal("silence", Label(later));
                Assert.Equal("silence", later.GetProperty("lights").GetProperty("look").GetString());
            }

            Assert.Contains("Mood silence", d.Output, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
    }

    private static string? Label(JsonElement state) =>
        state.GetProperty("mood").ValueKind == JsonValueKind.Object ? state.GetProperty("mood").GetProperty("mood").GetString() : null;

    private static async Task<JsonElement> WaitForAsync(DaemonProcess d, Func<JsonElement, bool> condition, double seconds)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement state;
        do
        {
            state = await d.StateAsync();
            if (condition(state))
            {
                return state;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);
        return state;
    }
}
