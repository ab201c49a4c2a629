using LightMood.Audio.Tests.PortAudio;
using Xunit.Abstractions;

namespace LightMood.Tests.Cli;

/// <summary><c>lightmood devices</c> against a real sound server (PulseAudio with a null sink), and without one.</summary>
[Collection(VirtualLineIn.Collection)]
public sealed class DevicesCommandTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Lists_the_sound_servers_input_then_says_clearly_when_there_is_none()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);

        var (code, stdout, _) = LightmoodProcess.Run("devices");
        output.WriteLine(stdout);
        Assert.Equal(0, code);
        var header = stdout.Split('\n')[0];
        Assert.Contains("index", header, StringComparison.Ordinal);
        Assert.Contains("host API", header, StringComparison.Ordinal);
        var pulse = stdout.Split('\n').Single(l => l.Contains(" pulse ", StringComparison.Ordinal));
        Assert.Contains("ALSA", pulse, StringComparison.Ordinal);
        Assert.Contains("* default input", stdout, StringComparison.Ordinal);

        lineIn.Kill();
        var (noneCode, noneOut, noneErr) = LightmoodProcess.Run("devices");
        output.WriteLine(noneErr.Split('\n').LastOrDefault(l => l.StartsWith("lightmood", StringComparison.Ordinal)));
        Assert.Equal(1, noneCode);
        Assert.Equal("", noneOut);
        Assert.Contains("lightmood devices: no input device (no sound card or sound server)", noneErr, StringComparison.Ordinal);
    }
}
