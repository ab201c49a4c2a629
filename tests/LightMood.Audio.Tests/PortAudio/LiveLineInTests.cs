using System.Diagnostics;
using LightMood.Audio.Live;
using LightMood.Audio.PortAudio;
using Xunit.Abstractions;
using static LightMood.Audio.Tests.TestSignals;

namespace LightMood.Audio.Tests.PortAudio;

/// <summary>
/// The daemon's line-in source end to end: a real PulseAudio server with a null sink, a sine played into it with
/// paplay, captured through our PortAudio binding on the capture thread and resampled to 22 050 Hz; then the server is
/// killed during capture and started again, and the reconnecting source must report the fault and recover.
/// </summary>
[Collection(VirtualLineIn.Collection)]
public sealed class LiveLineInTests(ITestOutputHelper output)
{
    private static readonly ReconnectPolicy FastRetry = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

    [SkippableFact]
    public void The_line_in_source_delivers_the_played_sine_at_the_analysis_rate()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        var wav = TempPath("linein-sine.wav");
        WriteWav(wav, Sine(440, 0.5, 48000, 4), 48000, 2, WavKind.Float32);
        using var source = LiveAudioSources.PortAudio(new PortAudioCaptureOptions("pulse", 48000, 2, -1), FastRetry);
        var faults = new List<string>();
        source.Faulted += (_, e) => faults.Add(e.Error.Message);
        source.Start();
        Assert.True(source.Read(new float[1024], TimeSpan.FromSeconds(10)) > 0, "no samples from the line-in");
        using var player = lineIn.Play(wav);
        var captured = new float[22050 * 3];
        var read = 0;
        var clock = Stopwatch.StartNew();
        while (read < captured.Length && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            read += source.Read(captured.AsSpan(read), TimeSpan.FromSeconds(1));
        }

        Assert.Equal(captured.Length, read);
        var tail = captured.AsSpan(captured.Length - 22050);
        var rms = Rms(tail);
        var peak = PeakFrequency(tail, 22050);
        output.WriteLine($"{source.Name}: RMS {rms:0.0000} (0.5 sine: 0.3536), peak {peak:0.00} Hz, dropped {source.DroppedBlocks}, faults {faults.Count}");
        Assert.Equal(22050, source.WaveFormat.SampleRate);
        Assert.InRange(peak, 438, 442);
        Assert.InRange(rms, 0.30, 0.40);
        Assert.Empty(faults);
        Assert.True(source.Stop());
        player.WaitForExit(10000);
        File.Delete(wav);
    }

    [SkippableFact]
    public async Task A_killed_sound_server_is_reported_and_the_source_recovers_when_it_returns()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        using var source = LiveAudioSources.PortAudio(new PortAudioCaptureOptions("pulse", 48000, 2, -1), FastRetry);
        var faulted = new TaskCompletionSource<AudioFaultEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var faults = 0;
        source.Faulted += (_, e) =>
        {
            Interlocked.Increment(ref faults);
            output.WriteLine($"fault {e.Attempt}: {e.Error.GetType().Name}: {e.Error.Message} (retry in {e.RetryIn.TotalSeconds:0.0} s)");
            faulted.TrySetResult(e);
        };
        source.Recovered += (_, _) => recovered.TrySetResult();
        LiveAudioStoppedEventArgs? stopped = null;
        source.Stopped += (_, e) => stopped = e;
        source.Start();

        // a reader like the daemon's, counting what arrives
        long samples = 0;
        using var done = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var buffer = new float[1024];
            while (!done.IsCancellationRequested)
            {
                Interlocked.Add(ref samples, source.Read(buffer, TimeSpan.FromMilliseconds(200)));
            }
        });
        await WaitFor(() => Interlocked.Read(ref samples) > 22050, TimeSpan.FromSeconds(10), "capture did not start");

        lineIn.Kill();
        var fault = await faulted.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(source.IsRunning, "the source must keep running through a device fault");
        Assert.False(recovered.Task.IsCompleted);
        await Task.Delay(1500); // a few failed reopens while the server is away
        var beforeReturn = Interlocked.Read(ref samples);

        lineIn.Start();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        await recovered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitFor(() => Interlocked.Read(ref samples) > beforeReturn + 22050, TimeSpan.FromSeconds(10), "no samples after the recovery");
        output.WriteLine($"first fault: {fault.Error.Message}; {faults} faults in all; {Interlocked.Read(ref samples)} samples");
        Assert.True(faults >= 2, "reopening while the server is away fails and is reported each time");
        Assert.True(source.IsRunning);

        await done.CancelAsync();
        Assert.True(source.Stop());
        await reader.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(LiveAudioStopReason.Requested, stopped?.Reason);
    }

    [SkippableFact]
    public void Without_a_sound_server_opening_the_line_in_is_a_clear_error()
    {
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        lineIn.Kill();
        var devices = PortAudioInput.ListDevices();
        output.WriteLine($"inputs without a server: {devices.Count} ({string.Join(", ", devices.Select(d => d.Name))})");
        var e = Assert.ThrowsAny<Exception>(() => PortAudioInput.Open("pulse", 48000, 2, -1));
        output.WriteLine($"{e.GetType().Name}: {e.Message}");
        Assert.True(e is InvalidOperationException or PortAudioException, e.ToString());
        Assert.DoesNotContain('\n', e.Message);
        if (devices.Count == 0)
        {
            Assert.Equal("PortAudio lists no input device (no sound card or sound server)", e.Message);
        }
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, what);
            await Task.Delay(50);
        }
    }
}
