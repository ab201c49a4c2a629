using NAudio.Wave;

namespace LightMood.Audio.Decoding;

/// <summary>
/// Decodes WAV (16/24/32-bit PCM, float), MP3 and OGG Vorbis of any rate and channel count to mono float32 at a
/// target rate: channels averaged, non-finite samples rejected, then resampled band-limited by
/// <see cref="SincResamplingSampleProvider"/> (WDL's windowed-sinc mode) — whole (<see cref="Decode"/>) or streamed
/// block by block with bounded memory (<see cref="Open"/>, a <see cref="DecodedAudioStream"/>).
/// </summary>
public static class AudioFileDecoder
{
    private const int BlockSamples = 16384;

    /// <summary>Most channels a file may have (NVorbis' own limit is 255; WAV multitrack recordings stay well below).</summary>
    public const int MaxChannels = 256;

    /// <summary>Highest sample rate a file may have (768 kHz, the highest rate audio interfaces offer).</summary>
    public const int MaxSampleRate = 768_000;

    /// <summary>
    /// Decodes a whole file into memory (for looped playback and short clips; <see cref="Open"/> streams instead).
    /// Throws <see cref="AudioDecodeException"/> with a one-line reason on any failure.
    /// </summary>
    public static DecodedAudio Decode(string path, int targetSampleRate)
    {
        using var stream = Open(path, targetSampleRate);
        var output = new List<float>(BlockSamples * 8);
        var block = new float[BlockSamples];
        int n;
        while ((n = stream.Read(block)) > 0)
        {
            output.AddRange(block.AsSpan(0, n));
        }

        return new DecodedAudio(path, [.. output], targetSampleRate, stream.SourceSampleRate, stream.SourceChannels);
    }

    /// <summary>
    /// Opens a file for decoding block by block with bounded memory (<see cref="DecodedAudioStream.Read"/>). Throws
    /// <see cref="AudioDecodeException"/> with a one-line reason when the file is missing, unreadable, empty, of an
    /// unsupported format or with a bad header; corrupt data further in is reported by <see cref="DecodedAudioStream.Read"/>.
    /// </summary>
    public static DecodedAudioStream Open(string path, int targetSampleRate)
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

        ISampleProvider? source = null;
        try
        {
            if (stream.Length == 0)
            {
                throw new AudioDecodeException(path, "the file is empty");
            }

            var container = Sniff(stream, path);
            try
            {
                source = Open(container, stream, path);
            }
            catch (Exception e) when (e is not AudioDecodeException)
            {
                throw new AudioDecodeException(path, $"not a valid {container} file ({e.Message.TrimEnd('.')})", e);
            }

            var format = source.WaveFormat;
            if (format.Channels is < 1 or > MaxChannels || format.SampleRate is < 1000 or > MaxSampleRate)
            {
                // a header claiming thousands of channels or a rate of megahertz would size the channel mix and the
                // resampler's input buffers to gigabytes: such a file is refused, not decoded
                throw new AudioDecodeException(path, $"unsupported format ({format.Channels} channels at {format.SampleRate} Hz; "
                    + $"at most {MaxChannels} channels at 1000..{MaxSampleRate} Hz)");
            }

            return new DecodedAudioStream(path, container, stream, source, targetSampleRate);
        }
        catch
        {
            (source as IDisposable)?.Dispose();
            stream.Dispose();
            throw;
        }
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

                return encoding == WaveFormatEncoding.Pcm && f.BitsPerSample == 16 ? new Pcm16SampleProvider(reader) : reader.ToSampleProvider();
            case "OGG":
                return new VorbisSampleProvider(IntactOggPages.Of(stream));
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
}
