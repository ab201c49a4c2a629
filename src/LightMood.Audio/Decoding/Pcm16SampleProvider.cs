using System.Numerics;
using System.Runtime.InteropServices;
using NAudio.Wave;

namespace LightMood.Audio.Decoding;

/// <summary>
/// 16-bit PCM from a WAV file as interleaved float samples, x / 32768 (NAudio's <c>Pcm16BitToSampleProvider</c>'s
/// values), converted several samples at a time: the common WAV of a library is read at memory speed. WAV is
/// little-endian, as every host .NET runs on here.
/// </summary>
internal sealed class Pcm16SampleProvider(WaveFileReader reader) : ISampleProvider
{
    private const float Scale = 1f / 32768; // a power of two: multiplying is dividing, to the last bit

    private byte[] _bytes = [];

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(reader.WaveFormat.SampleRate, reader.WaveFormat.Channels);

    public int Read(Span<float> buffer)
    {
        var wanted = buffer.Length * 2;
        if (_bytes.Length < wanted)
        {
            _bytes = new byte[wanted];
        }

        var read = reader.Read(_bytes, 0, wanted);
        var samples = MemoryMarshal.Cast<byte, short>(_bytes.AsSpan(0, read & ~1));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<short>.Count;
            var half = Vector<int>.Count;
            var scale = new Vector<float>(Scale);
            for (; i + lanes <= samples.Length; i += lanes)
            {
                Vector.Widen(new Vector<short>(samples[i..]), out var low, out var high);
                (Vector.ConvertToSingle(low) * scale).CopyTo(buffer[i..]);
                (Vector.ConvertToSingle(high) * scale).CopyTo(buffer[(i + half)..]);
            }
        }

        for (; i < samples.Length; i++)
        {
            buffer[i] = samples[i] * Scale;
        }

        return samples.Length;
    }
}
