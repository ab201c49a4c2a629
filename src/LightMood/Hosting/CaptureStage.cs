using LightMood.Audio.Live;
using LightMood.Audio.PortAudio;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightMood.Hosting;

/// <summary>
/// The capture stage: opens the configured <see cref="LiveAudioSource"/> (demo or file paced in real time, raw PCM on
/// stdin, PortAudio line-in) and attaches it to the <see cref="AudioPipe"/>: the source's capture thread writes its
/// mono 22 050 Hz blocks into its ring, which the analysis reads directly (one hand-off). A lost line-in
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

    /// <summary>How often the stage looks whether samples flow yet (to clear its fault) while it watches a source.</summary>
    private static readonly TimeSpan HealthPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Builds the source the options name (not started); the page's level meter sees every captured block.</summary>
    private LiveAudioSource OpenSource(AudioOptions o)
    {
        var options = SourceOptions with { BlockCaptured = State.OnInputLevel };
        return o.Source switch
        {
            AudioSourceKind.Demo => LiveAudioSources.File(Path.Combine(environment.ContentRootPath, AudioOptions.DemoFile), o.Paced, o.Loop, options),
            AudioSourceKind.File => LiveAudioSources.File(Path.Combine(environment.ContentRootPath, o.File!), o.Paced, o.Loop, options),
            AudioSourceKind.Stdin => LiveAudioSources.Stdin(new RawPcmFormat(RawPcmFormat.ParseEncoding(o.StdinFormat), o.SampleRate, o.Channels, o.Channel), options),
            AudioSourceKind.PortAudio => LiveAudioSources.PortAudio(new PortAudioCaptureOptions(o.Device, o.SampleRate, o.Channels, o.Channel), options: options),
            _ => throw new NotSupportedException($"Audio:Source '{o.Source.ToName()}' is not available in this build"),
        };
    }

    protected override Task RunStageAsync(CancellationToken stoppingToken) => OnOwnThread("lightmood-capture-stage", Run, stoppingToken);

    /// <summary>The stage's thread: runs the chosen source until the daemon stops; a new choice on the page reopens it.</summary>
    private void Run(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // the token first: a choice made after this read cancels it, so none is missed
            var changed = selection.Changed;
            using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, changed);
            RunSource(selection.Current, run.Token);
            if (!stoppingToken.IsCancellationRequested && !changed.IsCancellationRequested)
            {
                throw new AudioSourceException("the audio source ended without a reason", null);
            }
        }
    }

    /// <summary>
    /// Opens one source and hands its ring to the <see cref="AudioPipe"/> (the analysis reads it directly), then
    /// watches it until <paramref name="token"/> fires or it ends: healthy once samples flow, a device fault reported.
    /// </summary>
    private void RunSource(AudioOptions options, CancellationToken token)
    {
        using var source = OpenSource(options);
        // raised on the capture thread just after it completes the ring
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
        Logger.AudioSourceOpened(options.Source is AudioSourceKind.Demo or AudioSourceKind.File
            ? $"{source.Name} ({(options.Loop ? "looped" : "once")}, {(options.Paced ? "real time" : "as fast as possible")})"
            : source.Name);
        pipe.Attach(source);
        try
        {
            source.Start();
            var healthy = false;
            while (!token.IsCancellationRequested && !stopped.Task.IsCompleted)
            {
                if (!healthy && source.Blocks.Written > 0)
                {
                    healthy = true;
                    Healthy();
                }

                token.WaitHandle.WaitOne(HealthPoll);
            }
        }
        finally
        {
            if (token.IsCancellationRequested)
            {
                pipe.Detach(source); // a source that ends by itself stays attached until the analysis has read it all
            }
        }

        if (token.IsCancellationRequested)
        {
            return;
        }

        var end = stopped.Task.Result;
        switch (end.Reason)
        {
            case LiveAudioStopReason.Faulted:
                throw new AudioSourceException($"{source.Name}: {end.Error?.Message}", end.Error);
            case LiveAudioStopReason.EndOfStream when options.Source == AudioSourceKind.Stdin:
                throw new EndOfStreamException("standard input closed");
            case LiveAudioStopReason.EndOfStream:
                // a file played once: stay idle (the lights go to the silence look) until the daemon stops or another input is chosen
                token.WaitHandle.WaitOne();
                pipe.Detach(source);
                break;
            default:
                throw new AudioSourceException($"{source.Name} stopped delivering audio without a reason", null);
        }
    }
}

/// <summary>The live audio source stopped with an error it could not recover from (a bad file, no libportaudio, a bad channel).</summary>
public sealed class AudioSourceException(string message, Exception? inner) : Exception(message, inner);
