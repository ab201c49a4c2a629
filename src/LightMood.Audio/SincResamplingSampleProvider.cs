using NAudio.Dsp;
using NAudio.Wave;

namespace LightMood.Audio;

/// <summary>
/// Band-limited sample-rate conversion through NAudio's managed port of Cockos WDL's resampler in its windowed-sinc
/// mode (64-tap sinc, 32× interpolated table, lowpass at the lower of the two Nyquist limits). NAudio's own
/// <see cref="NAudio.Wave.SampleProviders.WdlResamplingSampleProvider"/> runs WDL in its cheap mode (linear
/// interpolation plus two IIR lowpass stages), which droops in the passband and folds tones above the new Nyquist limit
/// back into the band; the analysis wants neither. Interleaved channels in, the same channels out; no allocation per
/// <see cref="Read"/> (WDL keeps its own input buffer).
/// </summary>
public sealed class SincResamplingSampleProvider : ISampleProvider
{
    /// <summary>Sinc length in taps (WDL's default for sinc mode).</summary>
    public const int SincSize = 64;

    /// <summary>Interpolation steps of the sinc table.</summary>
    public const int SincInterpolationSize = 32;

    private readonly ISampleProvider _source;
    private readonly WdlResampler _resampler = new();
    private readonly int _channels;
    private bool _sourceEnded;

    public SincResamplingSampleProvider(ISampleProvider source, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        _source = source;
        _channels = source.WaveFormat.Channels;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, _channels);
        _resampler.SetMode(true, 0, true, SincSize, SincInterpolationSize);
        _resampler.SetFilterParms(0.693f, 0.707f);
        _resampler.SetFeedMode(false);
        _resampler.SetRates(source.WaveFormat.SampleRate, sampleRate);
    }

    public WaveFormat WaveFormat { get; }

    /// <summary>Fills up to <paramref name="buffer"/>'s length (whole frames); 0 only once the source has ended and the filter is drained.</summary>
    public int Read(Span<float> buffer)
    {
        var frames = buffer.Length / _channels;
        if (frames == 0)
        {
            return 0;
        }

        while (true)
        {
            var wanted = _resampler.ResamplePrepare(frames, _channels, out var input);
            // WDL's output-driven mode wants exactly what it asked for (fed less, it re-plans and grows its buffer)
            var got = 0;
            while (!_sourceEnded && got < wanted)
            {
                var n = _source.Read(input[(got * _channels)..(wanted * _channels)]) / _channels;
                _sourceEnded = n == 0;
                got += n;
            }

            var produced = _resampler.ResampleOut(buffer, got, frames, _channels);
            if (produced > 0 || _sourceEnded)
            {
                return produced * _channels;
            }
        }
    }
}
