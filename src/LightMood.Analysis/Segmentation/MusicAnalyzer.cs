using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>
/// The streaming analysis: mono float audio at <see cref="AnalysisFormat.SampleRate"/> in blocks of any size, out
/// come the live <see cref="MoodState"/>, beats as they occur, and confirmed boundaries and regions (soft cut).
/// Offline analysis is the same engine run over a whole file and finished (<see cref="Analyze"/>).
/// </summary>
/// <remarks>
/// Pipeline per block (all causal, driven by absolute sample/frame indices so the output does not depend on the block
/// sizes): log-mel frames (n_fft 1024, hop 512, <see cref="MelSpectrogram"/>) into a ring; every
/// <see cref="MusicAnalyzerOptions.WindowHopFrames"/> frames (live: <see cref="MoodWindow.HopFrames"/>), once <see cref="MoodWindow.Frames"/> exist, the window goes to the
/// <see cref="IMoodEstimator"/>; short-term energy E_t over M samples and its contrast (eq. 3.1, 3.5, 3.6); wavelet
/// onset strength (hop 256, <see cref="WaveletOnsetDetector"/>) to the <see cref="TempoTracker"/> (tempo, beats) and
/// to onset picking, onset rate and tempo contrast (eq. 3.7, 3.8); contrast jumps and posteriors to the
/// <see cref="SoftCutSegmenter"/>. Events are raised synchronously on the thread that calls <see cref="Push"/>.
/// After warm-up, <see cref="Push"/> allocates only what the estimator returns, the <see cref="MoodState"/> records
/// (one per window, and one per section, mood change or silence edge found between windows, only when
/// <see cref="StateUpdated"/> has a subscriber) and the records of confirmed boundaries.
/// Not thread-safe: one producer.
/// </remarks>
public sealed partial class MusicAnalyzer
{
    private const int MinBufferSamples = 1 << 15;
    private const int RingFrames = 512;

    /// <summary>The longest window hop: two windows (≈ 5.9 s).</summary>
    public const int MaxHopFrames = 2 * MoodWindow.Frames;

    /// <summary>The most windows one batch may hold (ONNX Runtime's activations grow with the batch: <c>evaluate</c> peaked at 1.09 GB with 55-window batches, 307 MB with 16; docs/benchmarks.md).</summary>
    public const int MaxBatchWindows = 256;
    private const float SilenceFloorDb = -100f;

    private readonly IMoodEstimator _estimator;
    private readonly MusicAnalyzerOptions _options;
    private readonly MelSpectrogram _mel;
    private readonly MelFrameRing _ring;
    private readonly MelFrameRing _frontRing;
    private readonly MelFrameRing _frontChroma;
    private readonly DeferredWindows? _deferred;
    private readonly MelFrameRing _chromaRing;
    private readonly bool _estimatorTakesChroma;
    private readonly float[] _chromaFrame;
    private readonly SoftCutSegmenter _segmenter;
    private readonly WaveletOnsetDetector _onsets;
    private readonly OnsetPicker _picker = new();
    private readonly OnsetRate _rate;
    private readonly TempoTracker _tempo;
    private readonly ShortTermEnergy _energy;
    private readonly ContrastDetector _energyContrast;
    private readonly float[] _buffer;
    private readonly float[] _melFrame;
    private readonly float[] _window;
    private readonly float[] _energies = new float[1];
    private readonly float[] _onsetStrength = new float[1];
    private readonly AnalysisRecord _record;
    private long _bufferStart;
    private int _bufferCount;
    private long _samples;
    private long _nextMelFrame;
    private long _nextOnsetFrame;
    private long _nextWindowStart;
    private long _nextEnergySegment;
    private readonly int _bufferSize;
    private readonly int _hop;
    private double _frameEnergy;
    private bool _finished;
    private long _publishedSections;
    private Mood _publishedMood;
    private bool _publishedSilent;

    public MusicAnalyzer(IMoodEstimator estimator, MusicAnalyzerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        _estimator = estimator;
        _options = options ?? MusicAnalyzerOptions.Default;
        if (_options.WindowHopFrames is < 1 or > MaxHopFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.WindowHopFrames, $"WindowHopFrames must be 1..{MaxHopFrames}.");
        }

        if (_options.BatchWindows is < 0 or > MaxBatchWindows)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.BatchWindows, $"BatchWindows must be 0..{MaxBatchWindows}.");
        }

        _hop = _options.WindowHopFrames;
        _mel = new MelSpectrogram();
        _melFrame = new float[_mel.MelBands];
        var chromaBands = estimator.ChromaBands;
        if (chromaBands is not (0 or Chromagram.PitchClasses))
        {
            throw new ArgumentException($"The estimator wants {chromaBands} chroma values per frame; supported: 0 or {Chromagram.PitchClasses}.", nameof(estimator));
        }

        _window = new float[MoodWindow.Frames * (_mel.MelBands + chromaBands)];
        _ring = new MelFrameRing(RingFrames, _mel.MelBands);
        var frontFrames = FrontRingFrames(_options);
        _frontRing = frontFrames == RingFrames ? _ring : new MelFrameRing(frontFrames, _mel.MelBands);
        _chromaFrame = new float[Chromagram.PitchClasses];
        // chroma is computed for every frame: the tonal novelty of the section layer, and the estimator's input when it
        // takes it; the segmenter's chroma ring keeps step with its mel ring (filled at replay when batching)
        _chromaRing = new MelFrameRing(RingFrames, Chromagram.PitchClasses);
        _frontChroma = frontFrames == RingFrames ? _chromaRing : new MelFrameRing(frontFrames, Chromagram.PitchClasses);
        _estimatorTakesChroma = chromaBands > 0;
        var frameSeconds = (double)_mel.HopSize / SampleRate;
        _segmenter = new SoftCutSegmenter(_ring, frameSeconds, _mel.FftSize / 2.0 / SampleRate, _options.SoftCut, _chromaRing, _options.CollectResults, _hop);
        _segmenter.BoundaryConfirmed += OnBoundary;
        _segmenter.RegionClosed += OnRegion;
        _segmenter.SectionStarted += s => SectionStarted?.Invoke(s);
        _deferred = _frontRing != _ring ? new DeferredWindows(this, frameSeconds, _mel.FftSize / (double)SampleRate) : null;
        _onsets = new WaveletOnsetDetector();
        _rate = new OnsetRate(_options.OnsetsPerGroup);
        _tempo = new TempoTracker((double)SampleRate / _onsets.HopLength, _options.Tempo);
        _energy = new ShortTermEnergy(_options.EnergySegmentSamples);
        _record = new AnalysisRecord(_options.CollectResults);
        _energyContrast = new ContrastDetector(ContrastDetector.EnergyBand.Low, ContrastDetector.EnergyBand.High);
        _bufferSize = Math.Max(MinBufferSamples, 4 * _options.EnergySegmentSamples);
        _buffer = new float[_bufferSize];
    }

    /// <summary>
    /// The live state, once per mood window (≈ every 0.56 s), and at once when a frame changes the section, the mood or
    /// the silence between windows (live, not batching): a section is in the state when it is found (≈ 0.44 s after the
    /// change), not at the next window.
    /// </summary>
    public event Action<MoodState>? StateUpdated;

    /// <summary>A beat, raised when the stream reaches it.</summary>
    public event Action<Beat>? BeatDetected;

    /// <summary>A confirmed boundary (its time is where the change happened; ConfirmedAtSeconds is when it was confirmed).</summary>
    public event Action<SegmentBoundary>? BoundaryConfirmed;

    /// <summary>A region that has ended (at a boundary, or at <see cref="Finish"/>).</summary>
    public event Action<MoodRegion>? RegionClosed;

    /// <summary>A new section (structural boundary), whatever the mood; raised ≈ 0.44 s after the change (or at replay when batching).</summary>
    public event Action<SectionBoundary>? SectionStarted;

    /// <summary>Each log-mel frame as it is computed (dB, one value per band; the span is valid during the call only).</summary>
    public event MelFrameHandler? MelFrameComputed;

    public static int SampleRate => AnalysisFormat.SampleRate;

    /// <summary>Stream time: samples pushed so far in seconds.</summary>
    public double TimeSeconds => (double)_samples / SampleRate;

    /// <summary>The current tempo, or null (silence, no pulse).</summary>
    public double? TempoBpm => _tempo.TempoBpm;

    /// <summary>The latest live state (null before the first mood window).</summary>
    public MoodState? Current => _segmenter.HasEstimate || _segmenter.InSilence ? BuildState() : null;

    /// <summary>
    /// Closed regions so far (when <see cref="MusicAnalyzerOptions.CollectResults"/>): the live ones while streaming;
    /// after <see cref="Finish"/>, the offline ones (each section labelled from all its windows).
    /// </summary>
    public IReadOnlyList<MoodRegion> Regions => _record.Regions;

    /// <summary>Confirmed boundaries so far (when collecting).</summary>
    public IReadOnlyList<SegmentBoundary> Boundaries => _record.Boundaries;

    /// <summary>Beats so far (when collecting).</summary>
    public IReadOnlyList<Beat> Beats => _record.Beats;

    /// <summary>Analyses a whole signal: the streaming engine over all of it, then <see cref="Finish"/>.</summary>
    public static AnalysisResult Analyze(ReadOnlySpan<float> samples, IMoodEstimator estimator, MusicAnalyzerOptions? options = null)
    {
        var analyzer = new MusicAnalyzer(estimator, (options ?? MusicAnalyzerOptions.Default) with { CollectResults = true });
        analyzer.Push(samples);
        return analyzer.Finish();
    }

    /// <summary>Feeds the next block (any length, mono, <see cref="AnalysisFormat.SampleRate"/>). Non-finite samples are rejected; samples outside ±1 are clipped to full scale.</summary>
    public void Push(ReadOnlySpan<float> samples)
    {
        if (_finished)
        {
            throw new InvalidOperationException("The analysis is finished; create a new analyzer for a new stream.");
        }

        while (!samples.IsEmpty)
        {
            Compact();
            var n = Math.Min(samples.Length, _bufferSize - _bufferCount);
            var chunk = samples[..n];
            var into = _buffer.AsSpan(_bufferCount, n);
            for (var i = 0; i < chunk.Length; i++)
            {
                var v = chunk[i];
                if (!float.IsFinite(v))
                {
                    throw new ArgumentException($"Sample {_samples + i} is not a finite number.", nameof(samples));
                }

                // full scale is ±1: a finite sample far outside it (a float stream at 3e38) would overflow the energy
                // and spectrum accumulators into ∞ and NaN, so it is clipped here, where every source meets
                into[i] = Math.Clamp(v, -1f, 1f);
            }

            _bufferCount += n;
            _samples += n;
            ProcessFrames();
            samples = samples[n..];
        }
    }

    /// <summary>Ends the stream: a last window over the tail, open contrast runs resolved, the last region closed.</summary>
    public AnalysisResult Finish()
    {
        if (!_finished)
        {
            _finished = true;
            EndDeferral();
            if (_energyContrast.Flush(out var change))
            {
                EnergyCandidate(change);
            }

            if (_rate.Flush(out _, out var at) && !double.IsNaN(at))
            {
                SegmentCandidate(at - 1, at + 1, BoundaryEvidence.TempoContrast);
            }

            _segmenter.FlushSilence();
            FinalWindow();
            _segmenter.Finish(TimeSeconds);
            if (_options.CollectResults)
            {
                // offline: every section labelled from all its windows, same-label neighbours merged
                _record.TakeOffline(_segmenter.LabelOffline(TimeSeconds), _segmenter.CollectedWindows);
            }
        }

        return _record.ToResult(TimeSeconds);
    }

    private void OnBoundary(SegmentBoundary boundary)
    {
        _record.Add(boundary);
        BoundaryConfirmed?.Invoke(boundary);
    }

    private void OnRegion(MoodRegion region)
    {
        _record.Add(region);
        RegionClosed?.Invoke(region);
    }
}

/// <summary>Receives one log-mel frame; the span is only valid during the call.</summary>
public delegate void MelFrameHandler(ReadOnlySpan<float> melDb);
