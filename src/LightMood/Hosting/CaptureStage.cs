using LightMood.Audio.Live;
using LightMood.Audio.PortAudio;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Hosting;

/// <summary>
/// The capture stage: opens the configured <see cref="LiveAudioSource"/> (demo or file paced in real time, raw PCM on
/// stdin, PortAudio line-in) and moves its mono 22 050 Hz blocks into the <see cref="AudioPipe"/>. A lost line-in
/// device is reopened by the source itself with back-off while the lights hold the safe look (fault reported on the
/// page); an error no retry can fix ends the run and the supervisor restarts the stage.
/// </summary>
public sealed class CaptureStage(
    IOptions<AudioOptions> options,
    IHostEnvironment environment,
    AudioPipe pipe,
    LightingEngine engine,
    LiveState state,
    TimeProvider time,
    ILogger<CaptureStage> logger,
    IHostApplicationLifetime lifetime)
    : SupervisedStage("capture", engine, state, time, logger, lifetime)
{
    /// <summary>A stdin read cannot be interrupted: do not hold shutdown up waiting for it.</summary>
    private static readonly LiveAudioSourceOptions SourceOptions = new() { JoinTimeout = TimeSpan.FromSeconds(1) };

    private readonly AudioOptions _options = options.Value;

    /// <summary>Builds the source the options name (not started).</summary>
    private LiveAudioSource OpenSource() => _options.Source.ToLowerInvariant() switch
    {
        "demo" => LiveAudioSources.File(Path.Combine(environment.ContentRootPath, AudioOptions.DemoFile), _options.Paced, _options.Loop, SourceOptions),
        "file" => LiveAudioSources.File(Path.Combine(environment.ContentRootPath, _options.File!), _options.Paced, _options.Loop, SourceOptions),
        "stdin" => LiveAudioSources.Stdin(new RawPcmFormat(RawPcmFormat.ParseEncoding(_options.StdinFormat), _options.SampleRate, _options.Channels, _options.Channel), SourceOptions),
        "portaudio" => LiveAudioSources.PortAudio(new PortAudioCaptureOptions(_options.Device, _options.SampleRate, _options.Channels, _options.Channel), options: SourceOptions),
        _ => throw new NotSupportedException($"Audio:Source '{_options.Source}' is not available in this build"),
    };

    protected override Task RunStageAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(
        () => Pump(stoppingToken),
        stoppingToken,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    /// <summary>The pump thread: blocks from the source's ring into the pipe, never waiting on the analysis.</summary>
    private void Pump(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name = "lightmood-capture-pump";
        using var source = OpenSource();
        // raised on the capture thread just after it completes the ring: the pump may see the end first and waits for it
        var stopped = new TaskCompletionSource<LiveAudioStoppedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Stopped += (_, e) => stopped.TrySetResult(e);
        source.Faulted += (_, e) =>
        {
            Logger.AudioDeviceLost(e.Error.Message, e.Attempt, e.RetryIn.TotalSeconds);
            State.SetFault(Name, $"audio device lost: {e.Error.Message}");
            Engine.Fault($"{Name}: {e.Error.Message}", e.Error);
        };
        source.Recovered += (_, _) =>
        {
            Logger.AudioDeviceBack(source.Name);
            Healthy();
        };
        using var stop = stoppingToken.Register(() => source.Stop());
        Logger.AudioSourceOpened(_options.Source.ToLowerInvariant() is "demo" or "file"
            ? $"{source.Name} ({(_options.Loop ? "looped" : "once")}, {(_options.Paced ? "real time" : "as fast as possible")})"
            : source.Name);
        source.Start();

        var block = new float[AudioPipe.BlockSamples];
        var healthy = false;
        var reportedDrops = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            var n = source.Read(block);
            if (n == 0)
            {
                break;
            }

            if (!healthy)
            {
                healthy = true;
                Healthy();
            }

            pipe.Channel.Writer.TryWrite(AudioPipe.Rent(block.AsSpan(0, n)));
            if (source.DroppedBlocks != reportedDrops)
            {
                reportedDrops = source.DroppedBlocks;
                Logger.BlocksDropped(reportedDrops);
            }
        }

        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var end = stopped.Task.Wait(TimeSpan.FromSeconds(5), stoppingToken) ? stopped.Task.Result : null;
        switch (end?.Reason)
        {
            case LiveAudioStopReason.Faulted:
                throw new AudioSourceException($"{source.Name}: {end.Error?.Message}", end.Error);
            case LiveAudioStopReason.EndOfStream when _options.Source.Equals("stdin", StringComparison.OrdinalIgnoreCase):
                throw new EndOfStreamException("standard input closed");
            case LiveAudioStopReason.EndOfStream:
                // a file played once: stay idle (the lights go to the silence look) until the daemon stops
                stoppingToken.WaitHandle.WaitOne();
                break;
            default:
                throw new AudioSourceException($"{source.Name} stopped delivering audio without a reason", null);
        }
    }
}

/// <summary>The live audio source stopped with an error it could not recover from (a bad file, no libportaudio, a bad channel).</summary>
public sealed class AudioSourceException(string message, Exception? inner) : Exception(message, inner);
