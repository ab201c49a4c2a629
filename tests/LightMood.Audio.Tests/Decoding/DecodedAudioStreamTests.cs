using LightMood.Audio.Decoding;
using Xunit.Abstractions;
using static LightMood.Audio.Tests.TestSignals;

namespace LightMood.Audio.Tests.Decoding;

/// <summary>Issue 16, item 10: a file decoded block by block equals the whole decode, with memory that does not grow with its length.</summary>
public sealed class DecodedAudioStreamTests(ITestOutputHelper output) : IDisposable
{
    private const int Target = 22050;
    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Files() => new()
    {
        "wav:44100:2", "wav:22050:1", "wav:48000:6", "chord_22k_stereo.ogg", "chord_32k_mono.mp3", "sine440_44k_stereo.mp3",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Streaming_in_ragged_blocks_equals_the_whole_decode(string file)
    {
        var path = file.StartsWith("wav:", StringComparison.Ordinal) ? Wav(file) : Fixture("audio", file);
        var whole = AudioFileDecoder.Decode(path, Target);
        using var stream = AudioFileDecoder.Open(path, Target);
        var streamed = new List<float>();
        int[] sizes = [1, 511, 4096, 7, 16384, 100, 33333];
        var buffer = new float[33333];
        for (var i = 0; ; i++)
        {
            var n = stream.Read(buffer.AsSpan(0, sizes[i % sizes.Length]));
            if (n == 0)
            {
                break;
            }

            streamed.AddRange(buffer.AsSpan(0, n));
        }

        Assert.Equal(whole.SourceSampleRate, stream.SourceSampleRate);
        Assert.Equal(whole.SourceChannels, stream.SourceChannels);
        Assert.Equal(whole.Samples.Length, stream.SamplesRead);
        Assert.Equal(whole.Samples.Length, streamed.Count);
        // bit-exact where no resampler runs; the resampler's block boundaries may move the last bits elsewhere
        var tolerance = whole.SourceSampleRate == Target ? 0 : 1e-5;
        for (var i = 0; i < streamed.Count; i++)
        {
            Assert.True(Math.Abs(whole.Samples[i] - streamed[i]) <= tolerance, $"sample {i}: {whole.Samples[i]} vs {streamed[i]}");
        }
    }

    [Fact]
    public void Ten_minutes_stream_through_with_memory_that_does_not_grow_with_the_length()
    {
        var path = Path.Combine(_dir, "long.wav");
        WriteWav(path, Sine(440, 0.5, 44100, 600), 44100, 2, WavKind.Pcm16);   // 10 min, 101 MB
        using var stream = AudioFileDecoder.Open(path, Target);
        var block = new float[16384];
        long samples = 0;
        while (samples < 60 * Target)
        {
            samples += stream.Read(block);                                      // warm-up: the resampler sizes its buffers
        }

        // minutes 1 to 9: what reading costs while it goes on (the resampler's drain at the end sizes a buffer once more)
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (samples < 540 * Target)
        {
            samples += stream.Read(block);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        int n;
        while ((n = stream.Read(block)) > 0)
        {
            samples += n;
        }

        output.WriteLine($"{samples} samples, {allocated} bytes allocated in minutes 1-9");
        Assert.InRange(samples, (600 * Target) - 20000, 600 * Target);
        Assert.InRange(allocated, 0, 64 * 1024);                                // the whole decode holds 53 MB of samples
    }

    [Fact]
    public void A_corrupt_stream_is_an_AudioDecodeException_naming_the_time_when_it_is_reached()
    {
        var path = Path.Combine(_dir, "nan.wav");
        var x = Sine(440, 0.5, 22050, 3);
        x[2 * 22050] = float.NaN;
        WriteWav(path, x, 22050, 1, WavKind.Float32);
        using var stream = AudioFileDecoder.Open(path, Target);
        var block = new float[4096];
        var e = Assert.Throws<AudioDecodeException>(() =>
        {
            while (stream.Read(block) > 0)
            {
            }
        });
        Assert.Contains("2.000 s", e.Message, StringComparison.Ordinal);
        Assert.InRange(stream.SamplesRead, 22050, 2 * 22050);                  // everything before it was delivered
    }

    [Theory]
    [InlineData(22, 20000, "20000 channels")]           // the fmt chunk's channel count
    [InlineData(24, 100_000_000, "100000000 Hz")]       // its sample rate
    public void A_header_that_would_size_buffers_to_gigabytes_is_refused(int offset, int value, string named)
    {
        var path = Path.Combine(_dir, "hostile.wav");
        WriteWav(path, Sine(440, 0.5, 22050, 0.5), 22050, 2, WavKind.Pcm16);
        var bytes = File.ReadAllBytes(path);
        if (offset == 22)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)value);
        }
        else
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        }

        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<AudioDecodeException>(() => AudioFileDecoder.Open(path, Target));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("at most 256 channels", e.Message, StringComparison.Ordinal);
    }

    private string Wav(string spec)
    {
        var parts = spec.Split(':');
        int rate = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), channels = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        var path = Path.Combine(_dir, $"{rate}-{channels}.wav");
        var x = Sine(440, 0.4, rate, 4.3);
        for (var i = 0; i < x.Length; i += 97)
        {
            x[i] += 0.3f;   // some broadband content for the resampler
        }

        WriteWav(path, x, rate, channels, WavKind.Float32);
        return path;
    }
}
