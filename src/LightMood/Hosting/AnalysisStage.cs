using Microsoft.Extensions.Hosting;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Hosting;

/// <summary>
/// The analysis stage: on a thread of its own, reads audio blocks from the <see cref="AudioPipe"/> (the capture
/// source's ring, the one hand-off), runs the streaming soft cut (<see cref="MusicAnalyzer"/>), and hands moods and
/// beats to the lighting engine and the state hub. Non-finite samples are replaced by silence and counted; blocks the ring dropped because the analysis was behind are logged (one counter); a stalled
/// source is logged and shown as a notice.
/// </summary>
public sealed class AnalysisStage(
    AudioPipe pipe,
    LightingEngine engine,
    LiveState state,
    MoodEstimatorFactory estimators,
    IOptions<AudioOptions> audioOptions,
    IOptions<AnalysisOptions> analysisOptions,
    TimeProvider time,
    ILogger<AnalysisStage> logger,
    IHostApplicationLifetime lifetime)
    : SupervisedStage("analysis", state, time, logger, lifetime)
{
    /// <summary>How long one read of the pipe waits at most (how quickly the stage notices a stop).</summary>
    private static readonly TimeSpan ReadSlice = TimeSpan.FromMilliseconds(200);

    protected override Task RunStageAsync(CancellationToken stoppingToken) => OnOwnThread("lightmood-analysis", Run, stoppingToken);

    /// <summary>The analysis thread: reads the capture's ring through the pipe, block by block, until the daemon stops.</summary>
    private void Run(CancellationToken stoppingToken)
    {
        var softCut = SoftCutOptions.Default with { MinHoldSeconds = analysisOptions.Value.MinHoldSeconds };
        var analyzer = new MusicAnalyzer(estimators.Create(), new MusicAnalyzerOptions(CollectResults: false, SoftCut: softCut));
        string? last = null;
        analyzer.StateUpdated += s =>
        {
            engine.UpdateMood(s);
            State.OnState(s);
            if (s.Label != last)
            {
                last = s.Label;
                Logger.MoodChanged(s.Label, s.Confidence, s.Valence, s.Arousal, s.RegionStartSeconds);
            }
        };
        // the beat's age: the analysis has the whole block (which just arrived) and found the beat earlier in it
        analyzer.BeatDetected += beat => engine.OnBeat(beat, TimeSpan.FromSeconds(analyzer.TimeSeconds - beat.TimeSeconds));
        analyzer.RegionClosed += State.OnRegionClosed;
        analyzer.MelFrameComputed += State.OnMelColumn; // the page's spectrogram: the analysis's own frames
        analyzer.BoundaryConfirmed += b =>
            Logger.BoundaryConfirmed(b.TimeSeconds, b.FromLabel, b.ToLabel, b.Evidence.ToString(), b.ConfirmedAtSeconds);

        var stallAfter = TimeSpan.FromSeconds(audioOptions.Value.StallSeconds);
        var block = new float[AudioPipe.BlockSamples];
        var reportedDrops = pipe.Dropped;
        var lastAudio = Time.GetTimestamp();
        var stalled = false;
        Healthy();
        while (!stoppingToken.IsCancellationRequested)
        {
            var n = pipe.Read(block, ReadSlice);
            if (n == 0)
            {
                if (!stalled && Time.GetElapsedTime(lastAudio) >= stallAfter)
                {
                    stalled = true;
                    Logger.AudioStalled(State.SecondsSinceAudio);
                    State.SetNotice("audio", "no audio");
                }

                continue;
            }

            lastAudio = Time.GetTimestamp();
            if (stalled)
            {
                stalled = false;
                State.SetNotice("audio", null);
            }

            var samples = block.AsSpan(0, n);
            var bad = Sanitize(samples);
            if (bad > 0)
            {
                Logger.NonFiniteSamples(bad);
            }

            analyzer.Push(samples);
            State.OnAudio();

            var dropped = pipe.Dropped;
            if (dropped != reportedDrops)
            {
                reportedDrops = dropped;
                Logger.AudioBlocksDropped(dropped);
            }
        }
    }

    /// <summary>NaN and ±∞ become 0 (the analysis refuses them); returns how many there were.</summary>
    private static int Sanitize(Span<float> samples)
    {
        var bad = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                samples[i] = 0;
                bad++;
            }
        }

        return bad;
    }
}
