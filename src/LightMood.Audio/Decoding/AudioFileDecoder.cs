using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace LightMood.Audio.Decoding;

/// <summary>
/// Decodes WAV (16/24/32-bit PCM, float), MP3 and OGG Vorbis of any rate and channel count to mono float32 at a
/// target rate: channels averaged, then resampled by NAudio's WDL windowed-sinc resampler.
/// </summary>
public static class AudioFileDecoder
{
    private const int BlockSamples = 16384;

    /// <summary>Decodes a whole file. Throws <see cref="AudioDecodeException"/> with a one-line reason on any failure.</summary>
    public static DecodedAudio Decode(string path, int targetSampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSampleRate, 1000);
        if (!File.Exists(path))
        {
            throw new AudioDecodeException(path, "file not found");
        }

        Stream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioDecodeException(path, "cannot be read: " + e.Message, e);
        }

        using (stream)
        {
            if (stream.Length == 0)
            {
                throw new AudioDecodeException(path, "the file is empty");
            }

            var container = Sniff(stream, path);
            ISampleProvider source;
            try
            {
                source = Open(container, stream);
            }
            catch (Exception e) when (e is not AudioDecodeException)
            {
                throw new AudioDecodeException(path, $"not a valid {container} file ({e.Message.TrimEnd('.')})", e);
            }

            try
            {
                return ReadAll(path, source, targetSampleRate);
            }
            catch (Exception e) when (e is not AudioDecodeException)
            {
                throw new AudioDecodeException(path, $"corrupt {container} data ({e.Message.TrimEnd('.')})", e);
            }
            finally
            {
                (source as IDisposable)?.Dispose();
            }
        }
    }

    private static DecodedAudio ReadAll(string path, ISampleProvider source, int targetSampleRate)
    {
        var format = source.WaveFormat;
        if (format.Channels < 1 || format.SampleRate < 1000)
        {
            throw new AudioDecodeException(path, $"unsupported format ({format.Channels} channels at {format.SampleRate} Hz)");
        }

        ISampleProvider mono = format.Channels == 1 ? source : new ChannelAverager(source);
        var resampled = mono.WaveFormat.SampleRate == targetSampleRate
            ? mono
            : new WdlResamplingSampleProvider(mono, targetSampleRate);
        var output = new List<float>(BlockSamples * 8);
        var block = new float[BlockSamples];
        int n;
        while ((n = resampled.Read(block)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                if (!float.IsFinite(block[i]))
                {
                    throw new AudioDecodeException(path, $"sample {output.Count + i} is not a finite number");
                }
            }

            output.AddRange(block.AsSpan(0, n));
        }

        if (output.Count == 0)
        {
            throw new AudioDecodeException(path, "no audio samples (zero-length stream)");
        }

        return new DecodedAudio(path, [.. output], targetSampleRate, format.SampleRate, format.Channels);
    }

    private static string Sniff(Stream stream, string path)
    {
        Span<byte> head = stackalloc byte[12];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        head = head[..read];
        if (read >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
        {
            return "WAV";
        }

        if (read >= 4 && head[..4].SequenceEqual("OggS"u8))
        {
            return "OGG";
        }

        if (read >= 3 && (head[..3].SequenceEqual("ID3"u8) || (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)))
        {
            return "MP3";
        }

        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".mp3" => "MP3",
            ".wav" or ".ogg" or ".oga" => throw new AudioDecodeException(path, $"not a valid {ext[1..].ToUpperInvariant()} file (bad header)"),
            _ => throw new AudioDecodeException(path, "unsupported format (expected WAV, MP3 or OGG Vorbis)"),
        };
    }

    private static ISampleProvider Open(string container, Stream stream) => container switch
    {
        "WAV" => new WaveFileReader(stream).ToSampleProvider(),
        "OGG" => new VorbisSampleProvider(stream),
        _ => new Mp3SampleProvider(stream),
    };

    /// <summary>Averages interleaved channels to mono.</summary>
    private sealed class ChannelAverager(ISampleProvider source) : ISampleProvider
    {
        private readonly int _channels = source.WaveFormat.Channels;
        private float[] _scratch = [];

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);

        public int Read(Span<float> buffer)
        {
            var needed = buffer.Length * _channels;
            if (_scratch.Length < needed)
            {
                _scratch = new float[needed];
            }

            var n = source.Read(_scratch.AsSpan(0, needed)) / _channels;
            var scale = 1f / _channels;
            for (var i = 0; i < n; i++)
            {
                var sum = 0f;
                for (var c = 0; c < _channels; c++)
                {
                    sum += _scratch[(i * _channels) + c];
                }

                buffer[i] = sum * scale;
            }

            return n;
        }
    }
}
