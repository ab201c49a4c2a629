using System.Text.Json;
using LightMood.Audio.Tests.PortAudio;

namespace LightMood.Tests.Daemon;

/// <summary>The daemon on live line-in: the demo track played into a PulseAudio null sink, captured through PortAudio.</summary>
[Collection(VirtualLineIn.Collection)]
public sealed class LineInTests
{
    [SkippableFact]
    public async Task Line_in_audio_reaches_the_analysis_and_the_lights()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        await using var d = await RunningDaemon.StartAsync(new Dictionary<string, string?>
        {
            ["Audio:Source"] = "portaudio",
            ["Audio:Device"] = "pulse",
            ["Audio:SampleRate"] = "48000",
            ["Audio:Channels"] = "2",
        });
        using var player = lineIn.Play(Path.Combine(AppContext.BaseDirectory, "fixtures", "demo", "demo.ogg"));
        // the demo opens with its calm section: heard, analysed, and lit
        var state = await d.WaitForAsync(s => s.GetProperty("time_s").GetDouble() > 8 && s.GetProperty("mood").ValueKind == JsonValueKind.Object, 40);
        Assert.True(state.GetProperty("time_s").GetDouble() > 8, "no line-in audio analysed");
        Assert.False(state.GetProperty("faults").TryGetProperty("capture", out _));
        Assert.Equal("calm", state.GetProperty("mood").GetProperty("mood").GetString());
        Assert.Contains(RunningDaemon.Slots(state), b => b > 0);
        player.Kill();
    }
}
