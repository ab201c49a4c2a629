using BenchmarkDotNet.Attributes;
using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;

namespace LightMood.Benchmarks;

/// <summary>
/// The whole analysis with the CRNN over a 3-minute synthetic mix, offline and streamed in
/// 512-sample blocks, plus its DSP stages alone. Real-time factor = 180 s / mean time; bytes per second of audio =
/// allocated / 180. Run: <c>dotnet run -c Release --project tests/LightMood.Benchmarks -- --filter '*Analysis*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class AnalysisBenchmarks
{
    private const int Sr = AnalysisFormat.SampleRate;
    private const int Seconds = 180;
    private float[] _audio = [];
    private float[] _mel = [];
    private float[] _odf = [];
    private CrnnMoodEstimator _crnn = null!;

    [GlobalSetup]
    public void Setup()
    {
        // three minutes of music-like sound: kicks at 124 BPM, noise hats, a chord; quieter in the middle minute
        _audio = new float[Seconds * Sr];
        var random = new Random(1);
        for (var i = 0; i < _audio.Length; i++)
        {
            var t = (double)i / Sr;
            var beat = t % (60.0 / 124);
            var level = t is > 60 and < 120 ? 0.3 : 1.0;
            _audio[i] = (float)(level * ((0.6 * Math.Sin(2 * Math.PI * 55 * beat) * Math.Exp(-beat / 0.08))
                + ((random.NextDouble() - 0.5) * 0.3 * Math.Exp(-(t % (30.0 / 124)) / 0.02))
                + (0.1 * (Math.Sin(2 * Math.PI * 261.6 * t) + Math.Sin(2 * Math.PI * 329.6 * t) + Math.Sin(2 * Math.PI * 392 * t)))));
        }

        _crnn = DefaultMoodEstimator.CreateCrnn();
        _mel = new float[96];
        _odf = new float[new WaveletOnsetDetector().FrameCount(_audio.Length)];
    }

    [GlobalCleanup]
    public void Cleanup() => _crnn.Dispose();

    [Benchmark(Description = "Analyze 3 min (offline, CRNN)")]
    public AnalysisResult AnalyzeOffline() => MusicAnalyzer.Analyze(_audio, _crnn);

    [Benchmark(Description = "Stream 3 min in 512-sample blocks")]
    public double StreamBlocks()
    {
        var analyzer = new MusicAnalyzer(_crnn, new MusicAnalyzerOptions(CollectResults: false));
        for (var pos = 0; pos < _audio.Length; pos += 512)
        {
            analyzer.Push(_audio.AsSpan(pos, Math.Min(512, _audio.Length - pos)));
        }

        return analyzer.TimeSeconds;
    }

    [Benchmark(Description = "Mel frames only, 3 min")]
    public float MelOnly()
    {
        var mel = new MelSpectrogram();
        var frames = mel.FrameCount(_audio.Length);
        for (var t = 0; t < frames; t++)
        {
            mel.ProcessFrame(_audio.AsSpan(t * 512, 1024), _mel);
        }

        return _mel[0];
    }

    [Benchmark(Description = "Wavelet onset strength + tempo, 3 min")]
    public double? OnsetsAndTempo()
    {
        var detector = new WaveletOnsetDetector();
        detector.Compute(_audio, _odf);
        var tracker = new TempoTracker((double)Sr / detector.HopLength);
        foreach (var o in _odf)
        {
            tracker.Push(o, out _, out _);
        }

        return tracker.TempoBpm;
    }
}
