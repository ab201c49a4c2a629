using NAudio.Wave;
using NLayer;
using NVorbis;

namespace LightMood.Audio.Decoding;

/// <summary>MP3 through NLayer, as an interleaved float <see cref="ISampleProvider"/>.</summary>
internal sealed class Mp3SampleProvider : ISampleProvider, IDisposable
{
    private readonly MpegFile _file;
    private float[] _scratch = [];

    public Mp3SampleProvider(Stream stream)
    {
        _file = new MpegFile(stream);
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(_file.SampleRate, _file.Channels);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(Span<float> buffer)
    {
        if (_scratch.Length < buffer.Length)
        {
            _scratch = new float[buffer.Length];
        }

        var n = _file.ReadSamples(_scratch, 0, buffer.Length);
        _scratch.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>OGG Vorbis through NVorbis, as an interleaved float <see cref="ISampleProvider"/>.</summary>
internal sealed class VorbisSampleProvider : ISampleProvider, IDisposable
{
    private readonly VorbisReader _reader;

    public VorbisSampleProvider(Stream stream)
    {
        _reader = new VorbisReader(stream, closeOnDispose: false);
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(_reader.SampleRate, _reader.Channels);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(Span<float> buffer) => _reader.ReadSamples(buffer);

    public void Dispose() => _reader.Dispose();
}
