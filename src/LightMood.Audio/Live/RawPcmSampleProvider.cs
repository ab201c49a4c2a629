using System.Buffers.Binary;
using NAudio.Wave;

namespace LightMood.Audio.Live;

/// <summary>Sample encodings accepted on a raw PCM stream (<c>arecord -f S16_LE</c> / <c>FLOAT_LE</c>, <c>sox -t raw</c>).</summary>
public enum RawSampleEncoding
{
    /// <summary>Signed 16-bit little-endian; full scale 32 768.</summary>
    S16LE,

    /// <summary>IEEE 754 32-bit float little-endian; full scale 1.0.</summary>
    F32LE,
}

/// <summary>The layout of a headerless interleaved PCM stream, and which channel to keep (−1: the mean of all).</summary>
public sealed record RawPcmFormat(RawSampleEncoding Encoding, int SampleRate, int Channels, int Channel = -1)
{
    public int BytesPerSample => Encoding == RawSampleEncoding.S16LE ? 2 : 4;

    public int FrameBytes => BytesPerSample * Channels;

    /// <summary>Parses <c>s16le</c> or <c>f32le</c> (the names of <c>Audio:StdinFormat</c>), naming the bad value.</summary>
    public static RawSampleEncoding ParseEncoding(string name) => name.Trim().ToLowerInvariant() switch
    {
        "s16le" or "s16" or "s16_le" => RawSampleEncoding.S16LE,
        "f32le" or "f32" or "float_le" => RawSampleEncoding.F32LE,
        _ => throw new ArgumentException($"raw PCM format '{name}' is not s16le or f32le", nameof(name)),
    };

    public void Validate()
    {
        if (SampleRate is < 1000 or > 384000)
        {
            throw new ArgumentException($"raw PCM sample rate {SampleRate} is outside 1000..384000");
        }

        if (Channels is < 1 or > 64)
        {
            throw new ArgumentException($"raw PCM channel count {Channels} is outside 1..64");
        }

        if (Channel < -1 || Channel >= Channels)
        {
            throw new ArgumentException($"raw PCM channel {Channel} is outside -1..{Channels - 1}");
        }
    }
}

/// <summary>
/// Headerless interleaved PCM from a stream (standard input: <c>arecord … | lightmood run --stdin</c>) as mono float
/// at the stream's rate: one channel or the mean of all. Frames split across reads are carried over; a partial frame at
/// the end of the stream is dropped; <see cref="Read"/> returns 0 at the end of the stream. A non-finite float sample is
/// replaced by 0 and counted (<see cref="NonFiniteSamples"/>) so one bad value does not stop a live show.
/// One reused byte buffer; not thread-safe.
/// </summary>
public sealed class RawPcmSampleProvider : ISampleProvider
{
    /// <summary>Frames read from the stream per <see cref="Read"/> at most.</summary>
    public const int MaxFrames = 4096;

    private readonly Stream _stream;
    private readonly RawPcmFormat _format;
    private readonly byte[] _bytes;
    private int _filled;
    private bool _ended;

    public RawPcmSampleProvider(Stream stream, RawPcmFormat format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(format);
        format.Validate();
        _stream = stream;
        _format = format;
        _bytes = new byte[MaxFrames * format.FrameBytes];
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(format.SampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    /// <summary>Float samples that were NaN or infinite (replaced by 0); finite ones outside ±1 are clipped to full scale.</summary>
    public long NonFiniteSamples { get; private set; }

    /// <summary>Bytes of a partial frame dropped at the end of the stream.</summary>
    public int DroppedTailBytes { get; private set; }

    public int Read(Span<float> buffer)
    {
        var maxFrames = Math.Min(buffer.Length, MaxFrames);
        var frameBytes = _format.FrameBytes;
        while (_filled < frameBytes && !_ended)
        {
            var n = _stream.Read(_bytes.AsSpan(_filled, (maxFrames * frameBytes) - _filled));
            if (n == 0)
            {
                _ended = true;
                DroppedTailBytes = _filled;
                _filled = 0;
                return 0;
            }

            _filled += n;
        }

        if (_ended)
        {
            return 0;
        }

        var frames = Math.Min(maxFrames, _filled / frameBytes);
        var channels = _format.Channels;
        var bps = _format.BytesPerSample;
        for (var f = 0; f < frames; f++)
        {
            var frame = _bytes.AsSpan(f * frameBytes, frameBytes);
            if (_format.Channel >= 0)
            {
                buffer[f] = Sample(frame.Slice(_format.Channel * bps, bps));
                continue;
            }

            var sum = 0f;
            for (var c = 0; c < channels; c++)
            {
                sum += Sample(frame.Slice(c * bps, bps));
            }

            buffer[f] = sum / channels;
        }

        var used = frames * frameBytes;
        _bytes.AsSpan(used, _filled - used).CopyTo(_bytes);
        _filled -= used;
        return frames;
    }

    private float Sample(ReadOnlySpan<byte> bytes)
    {
        if (_format.Encoding == RawSampleEncoding.S16LE)
        {
            return BinaryPrimitives.ReadInt16LittleEndian(bytes) / 32768f;
        }

        var v = BinaryPrimitives.ReadSingleLittleEndian(bytes);
        if (float.IsFinite(v))
        {
            // full scale is ±1; a huge finite value would overflow the channel sum and everything downstream
            return Math.Clamp(v, -1f, 1f);
        }

        NonFiniteSamples++;
        return 0f;
    }
}
