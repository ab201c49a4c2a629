using LightMood.Audio.Live;
using LightMood.Audio.PortAudio;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightMood.Hosting;

/// <summary>
/// The capture stage: opens the configured <see cref="LiveAudioSource"/> (demo or file paced in real time, raw PCM on
/// stdin, PortAudio line-in) and moves its mono 22 050 Hz blocks into the <see cref="AudioPipe"/>. A lost line-in
/// device is reopened by the source itself with back-off while the lights hold the safe look (fault reported on the
/// page); an error no retry can fix ends the run and the supervisor restarts the stage.
/// </summary>
public sealed class CaptureStage(
    AudioInputSelection selection,
    IHostEnvironment environment,
    AudioPipe pipe,
    LiveState state,
    TimeProvider time,
    ILogger<CaptureStage> logger,
    IHostApplicationLifetime lifetime)
    : SupervisedStage("capture", state, time, logger, lifetime)
{
    /// <summary>A stdin read cannot be interrupted: do not hold shutdown up waiting for it.</summary>
    private static readonly LiveAudioSourceOptions SourceOptions = new() { JoinTimeout = TimeSpan.FromSeconds(1) };

    /// <summary>Builds the source the options name (not started).</summary>
    private LiveAudioSource OpenSource(AudioOptions o) => o.Source.ToLowerInvariant() switch
    {
        "demo" => LiveAudioSources.File(Path.Combine(environment.ContentRootPath, AudioOptions.DemoFile), o.Paced, o.Loop, SourceOptions),
        "file" => LiveAudioSources.File(Path.Combine(environment.ContentRootPath, o.File!), o.Paced, o.Loop, SourceOptions),
        "stdin" => LiveAudioSources.Stdin(new RawPcmFormat(RawPcmFormat.ParseEncoding(o.StdinFormat), o.SampleRate, o.Channels, o.Channel), SourceOptions),
        "portaudio" => LiveAudioSources.PortAudio(new PortAudioCaptureOptions(o.Device, o.SampleRate, o.Channels, o.Channel), options: SourceOptions),
        _ => throw new NotSupportedException($"Audio:Source '{o.Source}' is not available in this build"),
    };

    protected override Task RunStageAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(
        () => Pump(stoppingToken),
        stoppingToken,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    /// <summary>The pump thread: runs the chosen source until the daemon stops; a new choice on the page reopens it.</summary>
    private void Pump(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name = "lightmood-capture-pump";
        while (!stoppingToken.IsCancellationRequested)
        {
            // the token first: a choice made after this read cancels it, so none is missed
            var changed = selection.Changed;
            using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, changed);
            PumpSource(selection.Current, run.Token);
            if (!stoppingToken.IsCancellationRequested && !changed.IsCancellationRequested)
            {
                throw new AudioSourceException("the audio source ended without a reason", null);
            }
        }
    }

    /// <summary>Blocks from one source's ring into the pipe, never waiting on the analysis, until <paramref name="token"/> fires.</summary>
    private void PumpSource(AudioOptions options, CancellationToken token)
    {
        using var source = OpenSource(options);
        // raised on the capture thread just after it completes the ring: the pump may see the end first and waits for it
        var stopped = new TaskCompletionSource<LiveAudioStoppedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Stopped += (_, e) => stopped.TrySetResult(e);
        source.Faulted += (_, e) =>
        {
            Logger.AudioDeviceLost(e.Error.Message, e.Attempt, e.RetryIn.TotalSeconds);
            Health.Fault(Name, $"audio device lost: {e.Error.Message}");
        };
        source.Recovered += (_, _) =>
        {
            Logger.AudioDeviceBack(source.Name);
            Healthy();
        };
        using var stop = token.Register(() => source.Stop());
        Logger.AudioSourceOpened(options.Source.ToLowerInvariant() is "demo" or "file"
            ? $"{source.Name} ({(options.Loop ? "looped" : "once")}, {(options.Paced ? "real time" : "as fast as possible")})"
            : source.Name);
        source.Start();

        var block = new float[AudioPipe.BlockSamples];
        var healthy = false;
        var reportedDrops = 0L;
        while (!token.IsCancellationRequested)
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

            State.OnInputLevel(block.AsSpan(0, n));
            pipe.Channel.Writer.TryWrite(AudioPipe.Rent(block.AsSpan(0, n)));
            if (source.DroppedBlocks != reportedDrops)
            {
                reportedDrops = source.DroppedBlocks;
                Logger.CaptureBlocksDropped(reportedDrops);
            }
        }

        if (token.IsCancellationRequested)
        {
            return;
        }

        LiveAudioStoppedEventArgs? end;
        try
        {
            end = stopped.Task.Wait(TimeSpan.FromSeconds(5), token) ? stopped.Task.Result : null;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }

        switch (end?.Reason)
        {
            case LiveAudioStopReason.Faulted:
                throw new AudioSourceException($"{source.Name}: {end.Error?.Message}", end.Error);
            case LiveAudioStopReason.EndOfStream when options.Source.Equals("stdin", StringComparison.OrdinalIgnoreCase):
                throw new EndOfStreamException("standard input closed");
            case LiveAudioStopReason.EndOfStream:
                // a file played once: stay idle (the lights go to the silence look) until the daemon stops or another input is chosen
                token.WaitHandle.WaitOne();
                break;
            default:
                throw new AudioSourceException($"{source.Name} stopped delivering audio without a reason", null);
        }
    }
}

/// <summary>The live audio source stopped with an error it could not recover from (a bad file, no libportaudio, a bad channel).</summary>
public sealed class AudioSourceException(string message, Exception? inner) : Exception(message, inner);
