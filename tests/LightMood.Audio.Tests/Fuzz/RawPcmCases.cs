using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using LightMood.Audio.Live;

namespace LightMood.Audio.Tests.Fuzz;

/// <summary>
/// A raw PCM input for the fuzz tests, as a small recipe FsCheck can print, shrink and replay: the bytes are expanded
/// from <see cref="Seed"/>. For f32le, <see cref="SpecialPercent"/> % of the samples are hostile values (NaN, ±∞,
/// ±3·10³⁸, float.MaxValue, denormals, −0, values just outside full scale); the rest are random bytes (often huge or
/// tiny floats) or, with <see cref="Music"/>, a loud tone.
/// </summary>
public sealed record RawPcmCase(
    int Seed, int Bytes, RawSampleEncoding Encoding, int Channels, int Channel, int Rate, int SpecialPercent, bool Music, int MaxChunk, int MaxBlock)
{
    private static readonly float[] Specials =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e38f, -3e38f, float.MaxValue, float.MinValue,
        float.Epsilon, -float.Epsilon, 1e-42f, -0f, 1.0000001f, -1.0000001f, 2f, -2f, 1f, -1f,
    ];

    public RawPcmFormat Format => new(Encoding, Rate, Channels, Channel);

    /// <summary>The recipe as bytes (deterministic).</summary>
    public byte[] Expand()
    {
        var random = new Random(Seed);
        var bytes = new byte[Bytes];
        random.NextBytes(bytes);
        if (Encoding == RawSampleEncoding.F32LE)
        {
            for (var i = 0; i + 4 <= bytes.Length; i += 4)
            {
                var roll = random.Next(100);
                if (roll < SpecialPercent)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i), Specials[random.Next(Specials.Length)]);
                }
                else if (Music)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i), 0.8f * MathF.Sin(i / 4 * 0.07f));
                }
            }
        }
        else if (Music)
        {
            for (var i = 0; i + 2 <= bytes.Length; i += 2)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i), random.Next(100) < SpecialPercent
                    ? (random.Next(2) == 0 ? short.MinValue : short.MaxValue)
                    : (short)(30000 * MathF.Sin(i / 2 * 0.07f)));
            }
        }

        return bytes;
    }

    /// <summary>Recipes: any valid layout, 0 bytes to <paramref name="maxBytes"/>, reads cut anywhere.</summary>
    public static Gen<RawPcmCase> Recipes(int maxBytes) =>
        from bytes in Gen.Frequency((1, Gen.Choose(0, 64)), (4, Gen.Choose(0, maxBytes)))
        from recipe in Layout(bytes)
        select recipe;

    /// <summary>Recipes of up to <paramref name="maxSeconds"/> of audio in any valid layout (plus a ragged tail).</summary>
    public static Gen<RawPcmCase> RecipesOfSeconds(double maxSeconds) =>
        from recipe in Layout(0)
        from millis in Gen.Choose(0, (int)(maxSeconds * 1000))
        from tail in Gen.Choose(0, 31)
        select recipe with { Bytes = (int)((long)millis * recipe.Rate / 1000 * recipe.Format.FrameBytes) + tail };

    private static Gen<RawPcmCase> Layout(int bytes) =>
        from seed in Gen.Choose(0, int.MaxValue)
        from encoding in Gen.Elements(RawSampleEncoding.S16LE, RawSampleEncoding.F32LE)
        from channels in Gen.Frequency((3, Gen.Choose(1, 2)), (1, Gen.Choose(3, 8)))
        from channel in Gen.Choose(-1, channels - 1)
        from rate in Gen.Elements(8000, 22050, 44100, 48000, 96000, 1000, 384000)
        from special in Gen.Elements(0, 1, 5, 50, 100)
        from music in Gen.Elements(true, false)
        from chunk in Gen.Choose(1, 70000)
        from block in Gen.Choose(1, 20000)
        select new RawPcmCase(seed, bytes, encoding, channels, channel, rate, special, music, chunk, block);
}

/// <summary>A stream that hands out its bytes in reads of 1..<paramref name="maxChunk"/> bytes (a pipe does not fill a read).</summary>
public sealed class ChunkedStream(byte[] data, int maxChunk, int seed) : Stream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, data.Length - _position), _random.Next(1, maxChunk + 1));
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
