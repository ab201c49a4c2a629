using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>Settings of <see cref="MusicAnalyzer"/>.</summary>
/// <param name="EnergySegmentSamples">M of eq. 3.1: samples per short-term energy segment (0.5 s at 22 050 Hz).</param>
/// <param name="OnsetsPerGroup">M of eq. 3.7: onsets per onset-rate group.</param>
/// <param name="CollectResults">Keep regions, boundaries and beats in lists (offline analysis); a daemon turns it off and listens to the events.</param>
/// <param name="SoftCut">Soft-cut settings.</param>
/// <param name="Tempo">Tempo tracker settings.</param>
/// <param name="WindowHopFrames">Mel frames between mood-window starts (default <see cref="MoodWindow.HopFrames"/>, ≈ 0.56 s;
/// the live daemon always uses the default). A longer hop runs the estimator less often (offline speed, docs/benchmarks.md)
/// and gives the soft cut fewer posteriors.</param>
/// <param name="BatchWindows">Offline: up to this many mood windows run together in one model call (a
/// <see cref="CrnnMoodEstimator"/>'s <see cref="MoodWindowBatch"/>) while the soft cut waits for them; 0 runs each window
/// when it is due (live). The regions and boundaries are the same either way (MusicAnalyzer.Batching.cs).</param>
public sealed record MusicAnalyzerOptions(
    int EnergySegmentSamples = AnalysisFormat.SampleRate / 2,
    int OnsetsPerGroup = 8,
    bool CollectResults = true,
    SoftCutOptions? SoftCut = null,
    TempoTrackerOptions? Tempo = null,
    int WindowHopFrames = MoodWindow.HopFrames,
    int BatchWindows = 0)
{
    public static MusicAnalyzerOptions Default { get; } = new();
}
