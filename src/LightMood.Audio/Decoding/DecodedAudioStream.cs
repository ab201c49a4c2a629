using System.Numerics;
using NAudio.Wave;

namespace LightMood.Audio.Decoding;

/// <summary>
/// A WAV/MP3/OGG file decoded block by block to mono float32 at <see cref="SampleRate"/>
/// (<see cref="AudioFileDecoder.Open"/>): channels averaged, non-finite samples rejected, finite ones clipped to ±1,
/// resampled band-limited by <see cref="SincResamplingSampleProvider"/>. Memory does not grow with the file's length:
/// one block of the source's samples, the resampler's buffers and the caller's block; nothing is allocated per
/// <see cref="Read"/> after the first. Owns the file and closes it on <see cref="Dispose"/>. Not thread-safe.
/// </summary>
public sealed class DecodedAudioStream : IDisposable
{
    private readonly Stream _file;
    private readonly ISampleProvider _source;
    private readonly FiniteSampleGuard _guard;
    private readonly ISampleProvider _output;
    private readonly string _container;

    internal DecodedAudioStream(string path, string container, Stream file, ISampleProvider source, int targetSampleRate)
    {
        Path = path;
        _container = container;
        _file = file;
        _source = source;
        var format = source.WaveFormat;
        SourceSampleRate = format.SampleRate;
        SourceChannels = format.Channels;
        SampleRate = targetSampleRate;
        _guard = new FiniteSampleGuard(source, path);
        ISampleProvider mono = format.Channels == 1 ? _guard : new ChannelAverager(_guard);
        _output = format.SampleRate == targetSampleRate ? mono : new SincResamplingSampleProvider(mono, targetSampleRate);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Rate of the samples <see cref="Read"/> returns.</summary>
    public int SampleRate { get; }

    /// <summary>The file's own sample rate.</summary>
    public int SourceSampleRate { get; }

    /// <summary>The file's own channel count.</summary>
    public int SourceChannels { get; }

    /// <summary>Samples returned so far (at <see cref="SampleRate"/>).</summary>
    public long SamplesRead { get; private set; }

    /// <summary>
    /// Reads the next mono samples into <paramref name="buffer"/>; 0 at the end of the file. Throws
    /// <see cref="AudioDecodeException"/> naming the file and the time for corrupt data or a non-finite sample, and for
    /// a file that ends before its first sample.
    /// </summary>
    public int Read(Span<float> buffer)
    {
        int n;
        try
        {
            n = _output.Read(buffer);
        }
        catch (Exception e) when (e is not AudioDecodeException)
        {
            throw new AudioDecodeException(Path, $"corrupt {_container} data at {_guard.Seconds:0.00} s ({e.Message.TrimEnd('.')})", e);
        }

        if (n == 0 && SamplesRead == 0)
        {
            throw new AudioDecodeException(Path, "no audio samples (zero-length stream)");
        }

        SamplesRead += n;
        return n;
    }

    public void Dispose()
    {
        (_source as IDisposable)?.Dispose();
        _file.Dispose();
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
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                // the common case, a run of samples all finite and within full scale (every integer PCM file), is
                // checked several at a time; a lane that is not (NaN compares false) sends its run to the loop below
                var lanes = Vector<float>.Count;
                var one = Vector<float>.One;
                while (i + lanes <= n && Vector.LessThanOrEqualAll(Vector.Abs(new Vector<float>(buffer[i..])), one))
                {
                    i += lanes;
                }
            }

            for (; i < n; i++)
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

    /// <summary>Averages interleaved channels to mono (one scratch buffer, grown to the largest block asked for).</summary>
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
