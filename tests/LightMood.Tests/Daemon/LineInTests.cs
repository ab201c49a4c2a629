using System.Text.Json;
using LightMood.Audio.Tests.PortAudio;

namespace LightMood.Tests.Daemon;

/// <summary>The daemon on live line-in: the demo track played into a PulseAudio null sink, captured through PortAudio.</summary>
[Collection(VirtualLineIn.Collection)]
public sealed class LineInTests
{
    /// <summary>The daemon capturing PulseAudio's ALSA <c>pulse</c> device (the null sink's monitor) through PortAudio.</summary>
    private static readonly Dictionary<string, string?> OnLineIn = new()
    {
        ["Audio:Source"] = "portaudio",
        ["Audio:Device"] = "pulse",
        ["Audio:SampleRate"] = "48000",
        ["Audio:Channels"] = "2",
    };

    [SkippableFact]
    public async Task Line_in_audio_reaches_the_analysis_and_the_lights()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        await using var d = await RunningDaemon.StartAsync(OnLineIn);
        using var player = lineIn.Play(Path.Combine(AppContext.BaseDirectory, "fixtures", "demo", "demo.ogg"));
        // the demo opens with its calm section: heard, analysed, and lit
        var state = await d.WaitForAsync(s => s.GetProperty("time_s").GetDouble() > 8 && s.GetProperty("mood").ValueKind == JsonValueKind.Object, 40);
        Assert.True(state.GetProperty("time_s").GetDouble() > 8, "no line-in audio analysed");
        Assert.False(state.GetProperty("faults").TryGetProperty("capture", out _));
        Assert.Equal("calm", state.GetProperty("mood").GetProperty("mood").GetString());
        Assert.Contains(RunningDaemon.Slots(state), b => b > 0);
        player.Kill();
    }

    [SkippableFact]
    public async Task The_sound_server_going_away_puts_the_lights_on_the_safe_look_and_its_return_is_picked_up()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        await using var d = await RunningDaemon.StartAsync(OnLineIn);
        var demo = Path.Combine(AppContext.BaseDirectory, "fixtures", "demo", "demo.ogg");
        using (lineIn.Play(demo))
        {
            var heard = await d.WaitForAsync(s => s.GetProperty("time_s").GetDouble() > 3, 30);
            Assert.True(heard.GetProperty("time_s").GetDouble() > 3, "no line-in audio analysed");
        }

        lineIn.Kill();                                                     // the interface is unplugged
        // generous: on a loaded CI host the kill, ALSA's error and the reopen's first failure each wait for a CPU
        var lost = await d.WaitForAsync(s => s.GetProperty("faults").TryGetProperty("capture", out _), 45);
        Assert.True(lost.GetProperty("faults").TryGetProperty("capture", out var why), "the lost device was not reported");
        Assert.Contains("audio device lost", why.GetString(), StringComparison.Ordinal);
        Assert.True(lost.GetProperty("lights").GetProperty("faulted").GetBoolean());   // safe look while it is gone
        Assert.Equal(0, d.Service<Hosting.CaptureStage>().Restarts);                   // the source reconnects; the stage is not torn down

        lineIn.Start();                                                    // ... and plugged back in
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        var before = lost.GetProperty("time_s").GetDouble();
        using var again = lineIn.Play(demo);
        var back = await d.WaitForAsync(
            s => !s.GetProperty("faults").TryGetProperty("capture", out _) && s.GetProperty("time_s").GetDouble() > before + 2, 60);
        Assert.False(back.GetProperty("faults").TryGetProperty("capture", out _), "the device's return was not picked up");
        Assert.False(back.GetProperty("lights").GetProperty("faulted").GetBoolean());
        Assert.True(back.GetProperty("time_s").GetDouble() > before + 2);
        again.Kill();
    }
}
