using BenchmarkDotNet.Attributes;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;

namespace LightMood.Benchmarks;

/// <summary>
/// CRNN inference per window (one intra-op thread) and the whole offline analysis of a 3-minute signal with the CRNN.
/// <c>dotnet run -c Release --project tests/LightMood.Benchmarks -- --filter '*Crnn*'</c>; figures in docs/benchmarks.md.
/// </summary>
[MemoryDiagnoser]
public class CrnnBenchmarks
{
    private const int SampleRate = 22050;
    private CrnnMoodEstimator _crnn = null!;
    private float[] _window = [];
    private float[] _threeMinutes = [];
    private MoodWindowBatch _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _crnn = DefaultMoodEstimator.CreateCrnn();
        var rng = new Random(3);
        _window = new float[_crnn.WindowLength];       // mel block, then (when the model reads it) the chroma block
        var melValues = MoodWindow.Frames * 96;
        for (var i = 0; i < _window.Length; i++)
        {
            _window[i] = i < melValues ? -40f + (20f * (float)rng.NextDouble()) : 1f / 12;
        }

        // 3 minutes: a chord with a pulsing envelope and some noise, 120 bpm
        _threeMinutes = new float[180 * SampleRate];
        for (var n = 0; n < _threeMinutes.Length; n++)
        {
            var t = (double)n / SampleRate;
            var env = 0.3 + (0.7 * Math.Exp(-8 * (t % 0.5)));
            _threeMinutes[n] = (float)((env * 0.2 * (Math.Sin(2 * Math.PI * 220 * t) + Math.Sin(2 * Math.PI * 277 * t) + Math.Sin(2 * Math.PI * 330 * t)))
                + (0.02 * ((rng.NextDouble() * 2) - 1)));
        }

        _batch = _crnn.CreateBatch(16);
        for (var i = 0; i < _batch.Capacity; i++)
        {
            _batch.SetWindow(i, _window);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batch.Dispose();
        _crnn.Dispose();
    }

    [Benchmark]
    public float CrnnWindow() => _crnn.Estimate(_window).Valence;

    /// <summary>16 windows in one run (what <c>analyze</c> does): divide by 16 for the cost per window.</summary>
    [Benchmark]
    public float CrnnBatchOf16()
    {
        _batch.Run(_batch.Capacity);
        return _batch.Valence(15);
    }

    [Benchmark]
    public int AnalyzeThreeMinutesWithCrnn() => MusicAnalyzer.Analyze(_threeMinutes, _crnn).Regions.Count;

    /// <summary>The same analysis as <c>analyze</c> runs it: 16 windows per model run, the soft cut replayed.</summary>
    [Benchmark]
    public int AnalyzeThreeMinutesBatched() => MusicAnalyzer.Analyze(_threeMinutes, _crnn, new MusicAnalyzerOptions(BatchWindows: 16)).Regions.Count;
}
