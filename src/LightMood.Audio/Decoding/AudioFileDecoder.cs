using NAudio.Wave;

namespace LightMood.Audio.Decoding;

/// <summary>
/// Decodes WAV (16/24/32-bit PCM, float), MP3 and OGG Vorbis of any rate and channel count to mono float32 at a
/// target rate: channels averaged, non-finite samples rejected, then resampled band-limited by
/// <see cref="SincResamplingSampleProvider"/> (WDL's windowed-sinc mode).
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
                source = Open(container, stream, path);
            }
            catch (Exception e) when (e is not AudioDecodeException)
            {
                throw new AudioDecodeException(path, $"not a valid {container} file ({e.Message.TrimEnd('.')})", e);
            }

            try
            {
                return ReadAll(path, container, source, targetSampleRate);
            }
            finally
            {
                (source as IDisposable)?.Dispose();
            }
        }
    }

    private static DecodedAudio ReadAll(string path, string container, ISampleProvider source, int targetSampleRate)
    {
        var format = source.WaveFormat;
        if (format.Channels < 1 || format.SampleRate < 1000)
        {
            throw new AudioDecodeException(path, $"unsupported format ({format.Channels} channels at {format.SampleRate} Hz)");
        }

        var checkedSource = new FiniteSampleGuard(source, path);
        ISampleProvider checkedMono = format.Channels == 1 ? checkedSource : new ChannelAverager(checkedSource);
        var resampled = checkedMono.WaveFormat.SampleRate == targetSampleRate
            ? (ISampleProvider)checkedMono
            : new SincResamplingSampleProvider(checkedMono, targetSampleRate);
        var output = new List<float>(BlockSamples * 8);
        var block = new float[BlockSamples];
        int n;
        try
        {
            while ((n = resampled.Read(block)) > 0)
            {
                output.AddRange(block.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is not AudioDecodeException)
        {
            throw new AudioDecodeException(
                path,
                $"corrupt {container} data at {checkedSource.Seconds:0.00} s ({e.Message.TrimEnd('.')})",
                e);
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

        var other = read >= 4 ? KnownUnsupported(head) : null;
        if (other is not null)
        {
            throw new AudioDecodeException(path, $"unsupported format {other} (expected WAV, MP3 or OGG Vorbis)");
        }

        var ext = Path.GetExtension(path).ToLowerInvariant();
        var mpegSync = read >= 3 && (head[..3].SequenceEqual("ID3"u8) || (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0));
        if (mpegSync || ext == ".mp3")
        {
            return MpegFrameScanner.HasFrames(stream)
                ? "MP3"
                : throw new AudioDecodeException(path, "not a valid MP3 file (no MPEG audio frames found)");
        }

        return ext switch
        {
            ".wav" or ".ogg" or ".oga" => throw new AudioDecodeException(path, $"not a valid {ext[1..].ToUpperInvariant()} file (bad header)"),
            _ => throw new AudioDecodeException(path, "unsupported format (expected WAV, MP3 or OGG Vorbis)"),
        };
    }

    /// <summary>Names a container we recognise but do not decode, so the error says what the file is.</summary>
    private static string? KnownUnsupported(ReadOnlySpan<byte> head)
    {
        if (head[..4].SequenceEqual("fLaC"u8))
        {
            return "FLAC";
        }

        if (head[..4].SequenceEqual("FORM"u8))
        {
            return "AIFF";
        }

        if (head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8))
        {
            return "RIFF (not WAVE)";
        }

        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return "MP4/M4A";
        }

        return null;
    }

    private static ISampleProvider Open(string container, Stream stream, string path)
    {
        switch (container)
        {
            case "WAV":
                var reader = new WaveFileReader(stream);
                var f = reader.WaveFormat;
                var encoding = f.Encoding == WaveFormatEncoding.Extensible ? SubEncoding(reader) : f.Encoding;
                var supported = encoding switch
                {
                    WaveFormatEncoding.Pcm => f.BitsPerSample is 8 or 16 or 24 or 32,
                    WaveFormatEncoding.IeeeFloat => f.BitsPerSample is 32 or 64,
                    _ => false,
                };
                if (!supported)
                {
                    reader.Dispose();
                    throw new AudioDecodeException(
                        path,
                        $"unsupported WAV encoding {encoding} {f.BitsPerSample}-bit (expected 8/16/24/32-bit PCM or 32/64-bit float)");
                }

                if (reader.Length == 0)
                {
                    reader.Dispose();
                    throw new AudioDecodeException(path, "no audio samples (zero-length data chunk)");
                }

                return reader.ToSampleProvider();
            case "OGG":
                return new VorbisSampleProvider(stream);
            default:
                return new Mp3SampleProvider(stream);
        }
    }

    /// <summary>
    /// The sample encoding inside WAVE_FORMAT_EXTENSIBLE: the sub-format GUID after cbSize's 22 extra bytes' valid-bits
    /// (2) and channel-mask (4) fields (Microsoft, "WAVEFORMATEXTENSIBLE"). NAudio's reader keeps them as extra data.
    /// </summary>
    private static WaveFormatEncoding SubEncoding(WaveFileReader reader)
    {
        Guid? sub = reader.WaveFormat switch
        {
            WaveFormatExtensible e => e.SubFormat,
            WaveFormatExtraData { ExtraData.Length: >= 22 } x => new Guid(x.ExtraData.AsSpan(6, 16)),
            _ => null,
        };
        return sub == AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT ? WaveFormatEncoding.IeeeFloat
            : sub == AudioMediaSubtypes.MEDIASUBTYPE_PCM ? WaveFormatEncoding.Pcm
            : WaveFormatEncoding.Extensible;
    }

    /// <summary>Rejects NaN and ±Inf before the resampler smears them (naming the time of the first bad sample); clips finite samples to ±1.</summary>
    private sealed class FiniteSampleGuard(ISampleProvider source, string path) : ISampleProvider
    {
        private long _position;

        public WaveFormat WaveFormat => source.WaveFormat;

        public double Seconds => (double)_position / source.WaveFormat.Channels / source.WaveFormat.SampleRate;

        public int Read(Span<float> buffer)
        {
            var n = source.Read(buffer);
            for (var i = 0; i < n; i++)
            {
                if (!float.IsFinite(buffer[i]))
                {
                    var at = (_position + i) / source.WaveFormat.Channels;
                    throw new AudioDecodeException(
                        path,
                        $"sample {at} ({(double)at / source.WaveFormat.SampleRate:0.000} s) is not a finite number ({buffer[i]})");
                }

                // a float file may hold any finite value; beyond ±1 it is clipped (full scale) before the channel
                // average and the resampler, which would overflow huge values into ±∞
                buffer[i] = Math.Clamp(buffer[i], -1f, 1f);
            }

            _position += n;
            return n;
        }
    }

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
