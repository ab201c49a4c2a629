using Microsoft.Extensions.Hosting;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Hosting;

/// <summary>
/// The analysis stage: reads audio blocks from the <see cref="AudioPipe"/>, runs the streaming soft cut
/// (<see cref="MusicAnalyzer"/>), and hands moods and beats to the lighting engine and the state hub.
/// Non-finite samples are replaced by silence and counted; a stalled source is logged.
/// </summary>
public sealed class AnalysisStage(
    AudioPipe pipe,
    LightingEngine engine,
    LiveState state,
    MoodEstimatorFactory estimators,
    IOptions<AudioOptions> audioOptions,
    TimeProvider time,
    ILogger<AnalysisStage> logger,
    IHostApplicationLifetime lifetime)
    : SupervisedStage("analysis", state, time, logger, lifetime)
{
    protected override async Task RunStageAsync(CancellationToken stoppingToken)
    {
        var analyzer = new MusicAnalyzer(estimators.Create(), new MusicAnalyzerOptions(CollectResults: false));
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

        var reader = pipe.Channel.Reader;
        var stallAfter = TimeSpan.FromSeconds(audioOptions.Value.StallSeconds);
        var reportedDrops = 0L;
        var stalled = false;
        Healthy();
        while (!stoppingToken.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(stallAfter);
            AudioBlock block;
            try
            {
                block = await reader.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                if (!stalled)
                {
                    stalled = true;
                    Logger.AudioStalled(State.SecondsSinceAudio);
                    State.SetNotice("audio", "no audio");
                }

                continue;
            }

            if (stalled)
            {
                stalled = false;
                State.SetNotice("audio", null);
            }

            try
            {
                var samples = block.Buffer.AsSpan(0, block.Count);
                var bad = Sanitize(samples);
                if (bad > 0)
                {
                    Logger.NonFiniteSamples(bad);
                }

                analyzer.Push(samples);
                State.OnAudio();
            }
            finally
            {
                AudioPipe.Return(block);
            }

            var dropped = pipe.Dropped;
            if (dropped != reportedDrops)
            {
                reportedDrops = dropped;
                Logger.AnalysisBlocksDropped(dropped);
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
