using LightMood.Audio.PortAudio;
using Xunit.Abstractions;

namespace LightMood.Audio.Tests.PortAudio;

/// <summary>The sound server goes away during capture, then comes back.</summary>
[Collection(VirtualLineIn.Collection)]
public sealed class DeviceLossTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_vanished_server_ends_the_read_with_an_error_and_a_reopen_works_once_it_is_back()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        var input = PortAudioInput.Open("pulse", 48000, 2, -1);
        var buffer = new float[1024];
        input.Read(buffer);

        var reading = Task.Run(() =>
        {
            while (true)
            {
                input.Read(buffer);
            }
        });
        lineIn.Kill();
        var finished = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(reading, finished);
        var error = Assert.IsType<PortAudioException>(reading.Exception?.InnerException);
        output.WriteLine(error.Message);
        Assert.Equal("Pa_ReadStream", error.Call);
        input.Dispose();
        input.Dispose(); // twice is fine

        lineIn.Start();
        using var again = PortAudioInput.Open("pulse", 48000, 2, -1);
        Assert.Equal(1024, again.Read(buffer));
    }
}
