using System.Buffers.Binary;
using System.Diagnostics;
using LightMood.Audio.Live;
using Xunit.Abstractions;
using static LightMood.Audio.Tests.TestSignals;

namespace LightMood.Audio.Tests.Live;

/// <summary>Raw PCM on a stream: the stdin source.</summary>
public sealed class RawPcmSourceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(RawSampleEncoding.S16LE, -1)]
    [InlineData(RawSampleEncoding.S16LE, 1)]
    [InlineData(RawSampleEncoding.F32LE, -1)]
    [InlineData(RawSampleEncoding.F32LE, 0)]
    public void Frames_split_across_reads_are_carried_and_channels_mixed_or_picked(RawSampleEncoding encoding, int channel)
    {
        // left = i/1000, right = −i/2000 (so the mix and each channel differ)
        var format = new RawPcmFormat(encoding, 48000, 2, channel);
        var frames = 5000;
        var bytes = new byte[frames * format.FrameBytes];
        for (var i = 0; i < frames; i++)
        {
            var left = (i % 1000) / 1000f;
            var right = -(i % 1000) / 2000f;
            Put(bytes.AsSpan(i * format.FrameBytes), encoding, left);
            Put(bytes.AsSpan((i * format.FrameBytes) + format.BytesPerSample), encoding, right);
        }

        var provider = new RawPcmSampleProvider(new TricklingStream(bytes, seed: 5), format);
        var got = ReadAll(provider, 333);
        Assert.Equal(frames, got.Count);
        var tolerance = encoding == RawSampleEncoding.S16LE ? 1.0 / 32768 : 1e-7;
        for (var i = 0; i < frames; i++)
        {
            var left = (i % 1000) / 1000.0;
            var right = -(i % 1000) / 2000.0;
            var expected = channel switch { 0 => left, 1 => right, _ => (left + right) / 2 };
            Assert.InRange(got[i], expected - tolerance, expected + tolerance);
        }
    }

    [Fact]
    public void A_partial_frame_at_the_end_is_dropped_and_the_end_returns_zero()
    {
        var format = new RawPcmFormat(RawSampleEncoding.S16LE, 22050, 2);
        var bytes = new byte[(10 * format.FrameBytes) + 3];
        var provider = new RawPcmSampleProvider(new MemoryStream(bytes), format);
        Assert.Equal(10, ReadAll(provider, 64).Count);
        Assert.Equal(3, provider.DroppedTailBytes);
        Assert.Equal(0, provider.Read(new float[64]));
    }

    [Fact]
    public void Non_finite_float_samples_become_silence_and_are_counted()
    {
        var format = new RawPcmFormat(RawSampleEncoding.F32LE, 22050, 1);
        var bytes = new byte[4 * 4];
        Put(bytes, RawSampleEncoding.F32LE, 0.25f);
        Put(bytes.AsSpan(4), RawSampleEncoding.F32LE, float.NaN);
        Put(bytes.AsSpan(8), RawSampleEncoding.F32LE, float.PositiveInfinity);
        Put(bytes.AsSpan(12), RawSampleEncoding.F32LE, -0.5f);
        var provider = new RawPcmSampleProvider(new MemoryStream(bytes), format);
        Assert.Equal([0.25f, 0f, 0f, -0.5f], ReadAll(provider, 16));
        Assert.Equal(2, provider.NonFiniteSamples);
    }

    [Theory]
    [InlineData("s16le", RawSampleEncoding.S16LE)]
    [InlineData("F32LE", RawSampleEncoding.F32LE)]
    public void Format_names_parse(string name, RawSampleEncoding expected) => Assert.Equal(expected, RawPcmFormat.ParseEncoding(name));

    [Fact]
    public void Bad_format_settings_are_named()
    {
        Assert.Contains("'u8' is not s16le or f32le", Assert.Throws<ArgumentException>(() => RawPcmFormat.ParseEncoding("u8")).Message, StringComparison.Ordinal);
        Assert.Contains("channel 2 is outside -1..1", Assert.Throws<ArgumentException>(() => new RawPcmFormat(RawSampleEncoding.S16LE, 48000, 2, 2).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("sample rate 0", Assert.Throws<ArgumentException>(() => new RawPcmFormat(RawSampleEncoding.S16LE, 0, 2).Validate()).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A real pipe from another process, as <c>arecord … | lightmood run --stdin</c>: SoX synthesises 2 s of a 440 Hz
    /// sine as s16le stereo at 48 kHz on its stdout; the source resamples to 22 050 Hz and ends when the pipe closes.
    /// </summary>
    [SkippableFact]
    public async Task A_piped_process_is_read_to_its_end_at_the_analysis_rate()
    {
        Skip.If(!File.Exists("/usr/bin/sox"), "sox is not installed (apt-get install sox)");
        var psi = new ProcessStartInfo("sox", "-n -t raw -r 48000 -c 2 -e signed-integer -b 16 -L - synth 2 sine 440 vol 0.5")
        {
            RedirectStandardOutput = true,
        };
        using var sox = Process.Start(psi)!;
        using var source = LiveAudioSources.RawPcm(sox.StandardOutput.BaseStream, new RawPcmFormat(RawSampleEncoding.S16LE, 48000, 2));
        var stopped = new TaskCompletionSource<LiveAudioStoppedEventArgs>();
        source.Stopped += (_, e) => stopped.TrySetResult(e);
        source.Start();
        var samples = ReadAll(source, 1024);
        var end = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LiveAudioStopReason.EndOfStream, end.Reason);
        Assert.Null(end.Error);
        var middle = samples.ToArray().AsSpan(11025, 22050);
        output.WriteLine($"{samples.Count} samples, peak {PeakFrequency(middle, 22050):0.00} Hz, RMS {Rms(middle):0.0000}");
        Assert.InRange(samples.Count, 44100 - 64, 44100 + 64);
        Assert.InRange(PeakFrequency(middle, 22050), 439, 441);
        Assert.InRange(Rms(middle), 0.3536 * 0.98, 0.3536 * 1.02);
        await sox.WaitForExitAsync();
    }

    internal static List<float> ReadAll(NAudio.Wave.ISampleProvider provider, int block)
    {
        var all = new List<float>();
        var buffer = new float[block];
        int n;
        while ((n = provider.Read(buffer)) > 0)
        {
            all.AddRange(buffer.AsSpan(0, n));
        }

        return all;
    }

    private static void Put(Span<byte> at, RawSampleEncoding encoding, float value)
    {
        if (encoding == RawSampleEncoding.S16LE)
        {
            BinaryPrimitives.WriteInt16LittleEndian(at, (short)Math.Round(value * 32767));
        }
        else
        {
            BinaryPrimitives.WriteSingleLittleEndian(at, value);
        }
    }

    /// <summary>A stream that hands out 1..13 bytes per read, so frames arrive split (as a pipe may deliver them).</summary>
    private sealed class TricklingStream(byte[] data, int seed) : MemoryStream(data)
    {
        private readonly Random _random = new(seed);

        // Stream.Read(Span) of a MemoryStream subclass comes here through a rented array
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, _random.Next(1, 14)));
    }
}
