using LightMood.Audio.PortAudio;
using NAudio.Wave;
using Xunit.Abstractions;

namespace LightMood.Audio.Tests.PortAudio;

/// <summary>Line-in captured through our own PortAudio binding from a real (virtual) sound server.</summary>
[Collection(VirtualLineIn.Collection)]
public sealed class PortAudioInputTests(VirtualLineIn lineIn, ITestOutputHelper output) : IClassFixture<VirtualLineIn>
{
    [SkippableFact]
    public void Lists_the_servers_inputs_and_captures_a_played_sine_with_its_frequency_and_level()
    {
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        var devices = PortAudioInput.ListDevices();
        Assert.Contains(devices, d => d.Name == "pulse");

        var wav = Path.Combine(Path.GetTempPath(), $"sine-{Guid.NewGuid():N}.wav");
        WriteSine(wav, 440, 0.5f, seconds: 4, rate: 48000);
        using var input = PortAudioInput.Open("pulse", 48000, 2, -1);
        Assert.Equal(48000, input.WaveFormat.SampleRate);
        using var player = lineIn.Play(wav);
        var captured = new float[48000 * 3];
        var read = 0;
        while (read < captured.Length)
        {
            read += input.Read(captured.AsSpan(read, Math.Min(1024, captured.Length - read)));
        }

        // the last second: well inside the tone
        var tail = captured.AsSpan(captured.Length - 48000);
        var rms = Math.Sqrt(tail.ToArray().Average(x => (double)x * x));
        var peak = PeakFrequency(tail, 48000);
        output.WriteLine($"RMS {rms:0.0000} (sine 0.5: 0.3536), peak {peak:0.0} Hz, overflows {input.Overflows}");
        Assert.InRange(rms, 0.30, 0.40);
        Assert.InRange(peak, 435, 445);
        player.WaitForExit(10000);
        File.Delete(wav);
    }

    [SkippableFact]
    public void A_device_that_does_not_exist_is_a_clear_error()
    {
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);
        var e = Assert.Throws<InvalidOperationException>(() => PortAudioInput.Open("no-such-card", 48000, 2, -1));
        Assert.Contains("no input device matches 'no-such-card'", e.Message, StringComparison.Ordinal);
    }

    private static void WriteSine(string path, double hz, float amplitude, double seconds, int rate)
    {
        using var writer = new WaveFileWriter(path, WaveFormat.CreateIeeeFloatWaveFormat(rate, 2));
        var n = (int)(seconds * rate);
        var frame = new float[2];
        for (var i = 0; i < n; i++)
        {
            frame[0] = frame[1] = amplitude * (float)Math.Sin(2 * Math.PI * hz * i / rate);
            writer.WriteSamples(frame, 0, 2);
        }
    }

    /// <summary>Frequency of the largest DFT bin (Goertzel scan, 1 Hz steps, 300..600 Hz).</summary>
    private static double PeakFrequency(ReadOnlySpan<float> x, int rate)
    {
        double best = 0, bestHz = 0;
        for (var hz = 300.0; hz <= 600; hz += 1)
        {
            var w = 2 * Math.PI * hz / rate;
            double re = 0, im = 0;
            for (var i = 0; i < x.Length; i++)
            {
                re += x[i] * Math.Cos(w * i);
                im -= x[i] * Math.Sin(w * i);
            }

            var p = (re * re) + (im * im);
            if (p > best)
            {
                best = p;
                bestHz = hz;
            }
        }

        return bestHz;
    }
}
