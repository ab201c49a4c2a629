using System.Diagnostics;
using NAudio.Wave;

namespace LightMood.Audio.Live;

/// <summary>
/// Decoded mono samples played from memory, once or looped seamlessly (the sample after the last is the first; one
/// <see cref="Read"/> may cross the loop point). <see cref="Loops"/> counts the wraps.
/// </summary>
public sealed class FilePlaybackSampleProvider : ISampleProvider
{
    private readonly float[] _samples;
    private readonly bool _loop;
    private int _position;

    public FilePlaybackSampleProvider(float[] samples, int sampleRate, bool loop)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Length == 0)
        {
            throw new ArgumentException("nothing to play: no samples", nameof(samples));
        }

        _samples = samples;
        _loop = loop;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public long Loops { get; private set; }

    public int Read(Span<float> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_position == _samples.Length)
            {
                if (!_loop)
                {
                    break;
                }

                _position = 0;
                Loops++;
            }

            var take = Math.Min(buffer.Length - written, _samples.Length - _position);
            _samples.AsSpan(_position, take).CopyTo(buffer[written..]);
            _position += take;
            written += take;
        }

        return written;
    }
}

/// <summary>
/// Paces a source to the wall clock, as a sound card would: after handing out a block, waits until the moment its last
/// sample would have been played (measured from the first read, so errors do not accumulate). The wait ends early when
/// <paramref name="cancellation"/> is cancelled. The clock is a <see cref="Stopwatch"/> timestamp; nothing allocates per read.
/// </summary>
public sealed class PacedSampleProvider(ISampleProvider source, CancellationToken cancellation) : ISampleProvider
{
    private long _start;
    private long _delivered;

    public WaveFormat WaveFormat => source.WaveFormat;

    public int Read(Span<float> buffer)
    {
        if (_start == 0)
        {
            _start = Stopwatch.GetTimestamp();
        }

        var n = source.Read(buffer);
        _delivered += n / source.WaveFormat.Channels;
        var due = TimeSpan.FromSeconds((double)_delivered / source.WaveFormat.SampleRate);
        var wait = due - Stopwatch.GetElapsedTime(_start);
        if (wait > TimeSpan.Zero && !cancellation.IsCancellationRequested)
        {
            cancellation.WaitHandle.WaitOne(wait);
        }

        return n;
    }
}
