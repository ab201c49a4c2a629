using System.Buffers.Binary;
using MathNet.Numerics;
using MathNet.Numerics.IntegralTransforms;
using NAudio.Wave;

namespace LightMood.Audio.Tests;

/// <summary>Kinds of WAV sample encoding the tests write.</summary>
public enum WavKind
{
    Pcm16,
    Pcm24,
    Pcm32,
    Float32,
}

/// <summary>Test signals, WAV writing in any PCM/float layout, and measurements (FFT peak, RMS).</summary>
internal static class TestSignals
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Fixture(params string[] parts) => Path.Combine([RepoRoot, "fixtures", .. parts]);

    public static string TempPath(string name) =>
        Path.Combine(Path.GetTempPath(), $"lm-audio-{Environment.ProcessId}-{Guid.NewGuid():N}-{name}");

    public static float[] Sine(double hz, double amplitude, int rate, double seconds)
    {
        var x = new float[(int)Math.Round(seconds * rate)];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate));
        }

        return x;
    }

    /// <summary>
    /// Writes <paramref name="mono"/> to every channel of a WAV with NAudio's <see cref="WaveFileWriter"/>. Bytes are
    /// encoded here (little-endian, full-scale 2^(bits−1)); more than 2 channels or 24/32-bit PCM use WAVE_FORMAT_EXTENSIBLE.
    /// </summary>
    public static void WriteWav(string path, ReadOnlySpan<float> mono, int rate, int channels, WavKind kind)
    {
        var bits = kind == WavKind.Pcm16 ? 16 : kind == WavKind.Pcm24 ? 24 : 32;
        WaveFormat format = kind == WavKind.Float32
            ? (channels > 2 ? new WaveFormatExtensible(rate, 32, channels, AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT, 32, (1 << channels) - 1) : WaveFormat.CreateIeeeFloatWaveFormat(rate, channels))
            : (channels > 2 || bits > 16 ? new WaveFormatExtensible(rate, bits, channels, AudioMediaSubtypes.MEDIASUBTYPE_PCM, bits, (1 << channels) - 1) : new WaveFormat(rate, bits, channels));
        var bytesPerSample = bits / 8;
        var data = new byte[mono.Length * channels * bytesPerSample];
        var at = 0;
        foreach (var v in mono)
        {
            for (var c = 0; c < channels; c++)
            {
                var span = data.AsSpan(at, bytesPerSample);
                switch (kind)
                {
                    case WavKind.Pcm16:
                        BinaryPrimitives.WriteInt16LittleEndian(span, (short)Math.Clamp(Math.Round(v * 32768.0), short.MinValue, short.MaxValue));
                        break;
                    case WavKind.Pcm24:
                        var s24 = (int)Math.Clamp(Math.Round(v * 8388608.0), -8388608, 8388607);
                        span[0] = (byte)s24;
                        span[1] = (byte)(s24 >> 8);
                        span[2] = (byte)(s24 >> 16);
                        break;
                    case WavKind.Pcm32:
                        BinaryPrimitives.WriteInt32LittleEndian(span, (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue));
                        break;
                    default:
                        BinaryPrimitives.WriteSingleLittleEndian(span, v);
                        break;
                }

                at += bytesPerSample;
            }
        }

        using var writer = new WaveFileWriter(path, format);
        writer.Write(data, 0, data.Length);
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        var sum = 0.0;
        foreach (var v in x)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    /// <summary>
    /// Frequency of the largest peak of the Hann-windowed spectrum (zero-padded to a power of two), refined by a
    /// parabola through the log magnitudes of the peak bin and its neighbours.
    /// </summary>
    public static double PeakFrequency(ReadOnlySpan<float> x, int rate)
    {
        var n = 1 << (int)Math.Ceiling(Math.Log2(Math.Max(2, x.Length)));
        var spectrum = new Complex32[n];
        for (var i = 0; i < x.Length; i++)
        {
            var w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (x.Length - 1)));
            spectrum[i] = new Complex32((float)(x[i] * w), 0);
        }

        Fourier.Forward(spectrum, FourierOptions.Matlab);
        var best = 1;
        for (var k = 1; k < n / 2; k++)
        {
            if (spectrum[k].Magnitude > spectrum[best].Magnitude)
            {
                best = k;
            }
        }

        var a = Math.Log(spectrum[best - 1].Magnitude + 1e-12);
        var b = Math.Log(spectrum[best].Magnitude + 1e-12);
        var c = Math.Log(spectrum[best + 1].Magnitude + 1e-12);
        var shift = 0.5 * (a - c) / (a - (2 * b) + c);
        return (best + shift) * rate / n;
    }

    /// <summary>Magnitude of the spectrum at <paramref name="hz"/> (single DFT bin, Hann window), relative to a full-scale sine's 0.5.</summary>
    public static double Level(ReadOnlySpan<float> x, int rate, double hz)
    {
        double re = 0, im = 0, wsum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (x.Length - 1)));
            var phase = 2 * Math.PI * hz * i / rate;
            re += x[i] * w * Math.Cos(phase);
            im -= x[i] * w * Math.Sin(phase);
            wsum += w;
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / wsum;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LightMood.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LightMood.sln not found above " + AppContext.BaseDirectory);
    }
}

