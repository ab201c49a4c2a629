using System.Buffers.Binary;
using LightMood.Analysis;
using LightMood.Audio.Decoding;
using LightMood.Audio.PortAudio;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Hosting;

/// <summary>The capture stage: reads the configured source and writes mono 22 050 Hz blocks into the <see cref="AudioPipe"/>.</summary>
public sealed class CaptureStage(
    IOptions<AudioOptions> options,
    IHostEnvironment environment,
    AudioPipe pipe,
    LightingEngine engine,
    LiveState state,
    TimeProvider time,
    ILogger<CaptureStage> logger)
    : SupervisedStage("capture", engine, state, time, logger)
{
    private readonly AudioOptions _options = options.Value;

    protected override Task RunStageAsync(CancellationToken stoppingToken) =>
        _options.Source.ToLowerInvariant() switch
        {
            "demo" => PlayFileAsync(Path.Combine(environment.ContentRootPath, AudioOptions.DemoFile), stoppingToken),
            "file" => PlayFileAsync(Path.Combine(environment.ContentRootPath, _options.File!), stoppingToken),
            "stdin" => ReadStdinAsync(Console.OpenStandardInput(), stoppingToken),
            "portaudio" => CaptureLineInAsync(stoppingToken),
            _ => throw new NotSupportedException($"Audio:Source '{_options.Source}' is not available in this build"),
        };

    /// <summary>A file decoded once, then played block by block, paced to the wall clock and looped.</summary>
    private async Task PlayFileAsync(string path, CancellationToken stoppingToken)
    {
        var audio = await Task.Run(() => AudioFileDecoder.Decode(path, AnalysisFormat.SampleRate), stoppingToken).ConfigureAwait(false);
        Logger.AudioSourceOpened($"file {path} ({audio.DurationSeconds:0.0} s, {(_options.Loop ? "looped" : "once")}, {(_options.Paced ? "real time" : "as fast as possible")})");
        Healthy();
        var samples = audio.Samples;
        var position = 0;
        var sent = 0L;
        var started = Time.GetTimestamp();
        var writer = pipe.Channel.Writer;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_options.Paced)
            {
                var due = (long)(Time.GetElapsedTime(started).TotalSeconds * AnalysisFormat.SampleRate);
                if (sent + AudioPipe.BlockSamples > due)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(10), Time, stoppingToken).ConfigureAwait(false);
                    continue;
                }
            }

            var n = Math.Min(AudioPipe.BlockSamples, samples.Length - position);
            var block = AudioPipe.Rent(samples.AsSpan(position, n));
            if (!writer.TryWrite(block))
            {
                await writer.WriteAsync(block, stoppingToken).ConfigureAwait(false);
            }

            sent += n;
            position += n;
            if (position >= samples.Length)
            {
                if (!_options.Loop)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, Time, stoppingToken).ConfigureAwait(false);
                }

                position = 0;
            }
        }
    }

    /// <summary>
    /// Line-in through PortAudio on a dedicated thread: blocking reads at the device rate, NAudio's WDL resampler to
    /// 22 050 Hz, blocks into the pipe (never waiting on the analysis). A device error ends the run with an exception;
    /// the supervisor reopens the device with back-off, and the lights hold the safe look meanwhile.
    /// </summary>
    private Task CaptureLineInAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(
        () =>
        {
            Thread.CurrentThread.Name = "lightmood-capture";
            using var input = PortAudioInput.Open(_options.Device, _options.SampleRate, _options.Channels, _options.Channel);
            Logger.AudioSourceOpened($"PortAudio '{input.Device.Name}' ({input.Device.HostApi}) {_options.Channels} ch at {_options.SampleRate} Hz, channel {(_options.Channel < 0 ? "mix" : _options.Channel)}");
            Healthy();
            ISampleProvider chain = input.WaveFormat.SampleRate == AnalysisFormat.SampleRate
                ? input
                : new WdlResamplingSampleProvider(input, AnalysisFormat.SampleRate);
            var block = new float[AudioPipe.BlockSamples];
            while (!stoppingToken.IsCancellationRequested)
            {
                var n = chain.Read(block);
                if (n == 0)
                {
                    throw new EndOfStreamException($"line-in '{input.Device.Name}' delivered no samples");
                }

                pipe.Channel.Writer.TryWrite(AudioPipe.Rent(block.AsSpan(0, n)));
            }
        },
        stoppingToken,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    /// <summary>Raw interleaved PCM on standard input (<c>arecord -f S16_LE … | lightmood run --stdin</c>), mixed to mono and resampled.</summary>
    private async Task ReadStdinAsync(Stream input, CancellationToken stoppingToken)
    {
        var bytesPerSample = _options.StdinFormat == "f32le" ? 4 : 2;
        var channels = _options.Channels;
        var frameBytes = bytesPerSample * channels;
        var raw = new byte[frameBytes * 1024];
        var mono = new float[1024];
        var resampler = new LinearResampler(_options.SampleRate, AnalysisFormat.SampleRate);
        var output = new float[resampler.MaxOutput(mono.Length)];
        Logger.AudioSourceOpened($"stdin {_options.StdinFormat} {channels} ch at {_options.SampleRate} Hz");
        Healthy();
        var filled = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var n = await input.ReadAsync(raw.AsMemory(filled), stoppingToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException("standard input closed");
            }

            filled += n;
            var frames = filled / frameBytes;
            for (var f = 0; f < frames; f++)
            {
                var sum = 0f;
                for (var c = 0; c < channels; c++)
                {
                    if (_options.Channel >= 0 && c != _options.Channel)
                    {
                        continue;
                    }

                    var at = (f * frameBytes) + (c * bytesPerSample);
                    sum += bytesPerSample == 4
                        ? BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(at))
                        : BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(at)) / 32768f;
                }

                mono[f] = _options.Channel >= 0 ? sum : sum / channels;
            }

            var produced = resampler.Process(mono.AsSpan(0, frames), output);
            pipe.Channel.Writer.TryWrite(AudioPipe.Rent(output.AsSpan(0, produced)));
            var rest = filled - (frames * frameBytes);
            Array.Copy(raw, frames * frameBytes, raw, 0, rest);
            filled = rest;
        }
    }
}

/// <summary>
/// Streaming linear-interpolation resampler for stdin PCM (state carried across blocks). Files go through the
/// decoder's windowed-sinc resampler instead; stdin is usually already at 22 050 Hz or 44 100 Hz.
/// </summary>
internal sealed class LinearResampler(int fromRate, int toRate)
{
    private readonly double _step = (double)fromRate / toRate;
    private double _position;
    private float _previous;

    public int MaxOutput(int input) => (int)Math.Ceiling((input + 1) / _step) + 1;

    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (fromRate == toRate)
        {
            input.CopyTo(output);
            return input.Length;
        }

        var produced = 0;
        // _position is measured from the sample before input[0] (the carried _previous)
        while (_position < input.Length)
        {
            var i = (int)_position;
            var frac = (float)(_position - i);
            var a = i == 0 ? _previous : input[i - 1];
            var b = input[i];
            output[produced++] = a + ((b - a) * frac);
            _position += _step;
        }

        _position -= input.Length;
        if (input.Length > 0)
        {
            _previous = input[^1];
        }

        return produced;
    }
}
