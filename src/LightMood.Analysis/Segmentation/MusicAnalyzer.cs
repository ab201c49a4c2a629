using System.Runtime.CompilerServices;
using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>Settings of <see cref="MusicAnalyzer"/>.</summary>
/// <param name="EnergySegmentSamples">M of eq. 3.1: samples per short-term energy segment (0.5 s at 22 050 Hz).</param>
/// <param name="OnsetsPerGroup">M of eq. 3.7: onsets per onset-rate group.</param>
/// <param name="CollectResults">Keep regions, boundaries and beats in lists (offline analysis); a daemon turns it off and listens to the events.</param>
/// <param name="SoftCut">Soft-cut settings.</param>
/// <param name="Tempo">Tempo tracker settings.</param>
/// <param name="WindowHopFrames">Mel frames between mood-window starts (default <see cref="MoodWindow.HopFrames"/>, ≈ 0.51 s;
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

/// <summary>The analysis of a whole stream or file.</summary>
/// <param name="DurationSeconds">Length of the audio.</param>
/// <param name="TempoBpm">Median of the tempo estimates, or null when there was never a pulse (silence).</param>
/// <param name="Regions">Contiguous regions covering [0, DurationSeconds].</param>
/// <param name="Boundaries">The inner region edges, with when and why each was confirmed.</param>
/// <param name="Beats">Every beat emitted.</param>
/// <param name="Sections">Contiguous sections covering [0, DurationSeconds] (structural segments, each labelled from all its
/// windows); every region edge is a section edge. Null only for results made without sections (then the regions stand in).</param>
/// <param name="Windows">Every mood window of the music (offline analysis), for evaluation.</param>
public sealed record AnalysisResult(
    double DurationSeconds,
    double? TempoBpm,
    IReadOnlyList<MoodRegion> Regions,
    IReadOnlyList<SegmentBoundary> Boundaries,
    IReadOnlyList<Beat> Beats,
    IReadOnlyList<MoodRegion>? Sections = null,
    IReadOnlyList<PosteriorWindow>? Windows = null)
{
    /// <summary>The sections, or the regions when there are none (a region is then one section).</summary>
    public IReadOnlyList<MoodRegion> SectionsOrRegions => Sections ?? Regions;

    /// <summary>Boundary times in seconds (the JSON contract's <c>boundaries_s</c>).</summary>
    public IReadOnlyList<double> BoundariesSeconds => [.. Boundaries.Select(b => b.TimeSeconds)];
}

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
/// (one per window, only when <see cref="StateUpdated"/> has a subscriber) and the records of confirmed boundaries.
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
    private readonly double[] _tempoSamples = new double[4096];
    private readonly List<MoodRegion> _regions = [];
    private readonly List<SegmentBoundary> _boundaries = [];
    private readonly List<Beat> _beats = [];
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
    private int _tempoCount;
    private long _tempoSampleTick;
    private bool _finished;
    private IReadOnlyList<MoodRegion>? _sections;
    private IReadOnlyList<PosteriorWindow>? _windows;

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
        _energyContrast = new ContrastDetector(ContrastDetector.EnergyBand.Low, ContrastDetector.EnergyBand.High);
        _bufferSize = Math.Max(MinBufferSamples, 4 * _options.EnergySegmentSamples);
        _buffer = new float[_bufferSize];
    }

    /// <summary>The live state, once per mood window (≈ every 0.51 s).</summary>
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
    public IReadOnlyList<MoodRegion> Regions => _regions;

    /// <summary>Confirmed boundaries so far (when collecting).</summary>
    public IReadOnlyList<SegmentBoundary> Boundaries => _boundaries;

    /// <summary>Beats so far (when collecting).</summary>
    public IReadOnlyList<Beat> Beats => _beats;

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
                var layers = _segmenter.LabelOffline(TimeSeconds);
                _regions.Clear();
                _regions.AddRange(layers.Regions);
                _boundaries.Clear();
                _boundaries.AddRange(layers.Boundaries);
                _sections = layers.Sections;
                _windows = _segmenter.CollectedWindows;
            }
        }

        return new AnalysisResult(TimeSeconds, MedianTempo(), [.. _regions], [.. _boundaries], [.. _beats], _sections, _windows);
    }

    private void Compact()
    {
        var keepFrom = Math.Min(Math.Min(_nextMelFrame * _mel.HopSize, _onsets.Samples), _nextEnergySegment * _energy.SegmentLength);
        var drop = (int)Math.Clamp(keepFrom - _bufferStart, 0, _bufferCount);
        if (drop == 0 || _bufferCount < _bufferSize / 2)
        {
            return;
        }

        Array.Copy(_buffer, drop, _buffer, 0, _bufferCount - drop);
        _bufferCount -= drop;
        _bufferStart += drop;
    }

    private void EnergySegment(ReadOnlySpan<float> segment)
    {
        _nextEnergySegment++;
        _energy.Process(segment, _energies);
        if (_energyContrast.Push(_energies[0], out var change))
        {
            EnergyCandidate(change);
        }

        if (_energyContrast.RunStarted)
        {
            // early candidate at the run's first ratio (the whole run follows when it ends): saves up to a segment of latency
            var m = (double)_energy.SegmentLength / SampleRate;
            var first = _energyContrast.LastIndex;
            SegmentCandidate(first * m, (first + 2) * m, BoundaryEvidence.EnergyContrast);
        }
    }

    private void EnergyCandidate(ContrastChange change)
    {
        // ratio t compares segments t and t+1: the change lies in segments First .. Last+1
        var m = (double)_energy.SegmentLength / SampleRate;
        SegmentCandidate(change.First * m, (change.Last + 2) * m, BoundaryEvidence.EnergyContrast);
    }

    /// <summary>Runs every frame and energy segment the buffer completes, in order of the sample that completes it.</summary>
    private void ProcessFrames()
    {
        var end = _bufferStart + _bufferCount;
        while (true)
        {
            var melStart = _nextMelFrame * _mel.HopSize;
            var onsetStart = _nextOnsetFrame * _onsets.HopLength;
            var energyStart = _nextEnergySegment * _energy.SegmentLength;
            var melEnd = melStart + _mel.FftSize;
            var onsetEnd = onsetStart + _onsets.FrameLength;
            var energyEnd = energyStart + _energy.SegmentLength;
            var first = Math.Min(melEnd, Math.Min(onsetEnd, energyEnd));
            if (first > end)
            {
                return;
            }

            if (onsetEnd == first)
            {
                // the samples the onset detector has not seen yet, up to the end of its next frame
                var fed = _onsets.Samples;
                OnsetFrame(_buffer.AsSpan((int)(fed - _bufferStart), (int)(onsetEnd - fed)));
            }
            else if (melEnd == first)
            {
                MelFrame(_buffer.AsSpan((int)(melStart - _bufferStart), _mel.FftSize));
            }
            else
            {
                EnergySegment(_buffer.AsSpan((int)(energyStart - _bufferStart), _energy.SegmentLength));
            }
        }
    }

    private void OnsetFrame(ReadOnlySpan<float> samples)
    {
        _nextOnsetFrame++;
        _onsets.Push(samples, _onsetStrength);
        var strength = _onsetStrength[0];
        if (_tempo.Push(strength, out var beatFrame, out var beatStrength))
        {
            var beat = new Beat(_onsets.OnsetSample(beatFrame) / SampleRate, _tempo.TempoBpm ?? 0, beatStrength);
            if (_options.CollectResults)
            {
                _beats.Add(beat);
            }

            BeatDetected?.Invoke(beat);
        }

        if (++_tempoSampleTick % 43 == 0 && _tempo.TempoBpm is { } bpm && _tempoCount < _tempoSamples.Length)
        {
            _tempoSamples[_tempoCount++] = bpm;
        }

        if (_picker.Push(strength, out var onsetFrame))
        {
            var at = _onsets.OnsetSample(onsetFrame) / SampleRate;
            if (_rate.Push(at, out _, out var changed, out _, out var changeAt) && changed && !double.IsNaN(changeAt))
            {
                SegmentCandidate(changeAt - 1, changeAt + 1, BoundaryEvidence.TempoContrast);
            }
        }

    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    private void MelFrame(ReadOnlySpan<float> frame)
    {
        _nextMelFrame++;
        _mel.ProcessFrame(frame, _melFrame, _chromaFrame);
        _frontChroma.Add(_chromaFrame);

        var sum = 0.0;
        foreach (var x in frame)
        {
            sum += (double)x * x;
        }

        _frameEnergy = sum / frame.Length;
        MelFrameComputed?.Invoke(_melFrame);
        _frontRing.Add(_melFrame);
        SegmentFrame(_frameEnergy);
        if (_frontRing.Count >= MoodWindow.Frames && _frontRing.Count - MoodWindow.Frames == _nextWindowStart)
        {
            EstimateWindow(_nextWindowStart, MoodWindow.Frames);
            _nextWindowStart += _hop;
        }
    }

    private void EstimateWindow(long start, int frames)
    {
        if (_deferred is { Active: true })
        {
            _deferred.Window(start);
            return;
        }

        var startSeconds = WindowStartSeconds(start);
        var endSeconds = WindowEndSeconds(start, frames);
        if (!InSilenceSince(startSeconds))
        {
            _ring.CopyWindow(start, frames, _window);
            if (_estimatorTakesChroma)
            {
                _chromaRing.CopyWindow(start, frames, _window.AsSpan(MoodWindow.Frames * _mel.MelBands));
            }

            _segmenter.AddEstimate(_estimator.Estimate(_window), startSeconds, endSeconds);
        }

        StateUpdated?.Invoke(BuildState());
    }

    private double WindowStartSeconds(long start) => (double)(start * _mel.HopSize) / SampleRate;

    private double WindowEndSeconds(long start, int frames) => (double)(((start + frames - 1) * _mel.HopSize) + _mel.FftSize) / SampleRate;

    /// <summary>A window that lies wholly in the current silence is not estimated: silence has no mood (and costs no CRNN run).</summary>
    private bool InSilenceSince(double startSeconds) => _segmenter.InSilence && startSeconds >= _segmenter.RegionStartSeconds;

    /// <summary>The tail: one more window ending at the last frame, or, for audio shorter than a window, the frames tiled.</summary>
    private void FinalWindow()
    {
        var frames = _ring.Count;
        if (frames >= MoodWindow.Frames)
        {
            var lastStart = frames - MoodWindow.Frames;
            if (lastStart > _nextWindowStart - _hop)
            {
                EstimateWindow(lastStart, MoodWindow.Frames);
            }

            return;
        }

        if (InSilenceSince(0))
        {
            StateUpdated?.Invoke(BuildState());
            return;
        }

        var bands = _mel.MelBands;
        var chromaStart = MoodWindow.Frames * bands;
        if (frames == 0)
        {
            _window.AsSpan(0, chromaStart).Fill(SilenceFloorDb);
            _window.AsSpan(chromaStart).Fill(1f / Chromagram.PitchClasses);
        }
        else
        {
            for (var i = 0; i < MoodWindow.Frames; i++)
            {
                _ring.Frame(i % frames).CopyTo(_window.AsSpan(i * bands, bands));
                if (_estimatorTakesChroma)
                {
                    _chromaRing.Frame(i % frames).CopyTo(_window.AsSpan(chromaStart + (i * _chromaRing.Bands), _chromaRing.Bands));
                }
            }
        }

        var estimate = _estimator.Estimate(_window);
        _segmenter.AddEstimate(estimate, 0, TimeSeconds);
        StateUpdated?.Invoke(BuildState());
    }

    private MoodState BuildState()
    {
        var db = 10 * Math.Log10(Math.Max(_frameEnergy, 1e-12));
        if (_segmenter.InSilence)
        {
            // silence is not a mood: full confidence that it is silence, neutral valence, no arousal
            return new MoodState(TimeSeconds, _segmenter.CurrentMood, 1, 0, -1, _segmenter.RegionStartSeconds, Math.Clamp((db + 60) / 60, 0, 1), _tempo.TempoBpm, Silent: true, SectionStartSeconds: _segmenter.SectionStartSeconds);
        }

        return new MoodState(
            TimeSeconds,
            _segmenter.CurrentMood,
            _segmenter.CurrentConfidence,
            Math.Clamp(_segmenter.LastValence, -1, 1),
            Math.Clamp(_segmenter.LastArousal, -1, 1),
            _segmenter.RegionStartSeconds,
            Math.Clamp((db + 60) / 60, 0, 1),
            _tempo.TempoBpm,
            SectionStartSeconds: _segmenter.SectionStartSeconds);
    }

    private void OnBoundary(SegmentBoundary boundary)
    {
        if (_options.CollectResults)
        {
            _boundaries.Add(boundary);
        }

        BoundaryConfirmed?.Invoke(boundary);
    }

    private void OnRegion(MoodRegion region)
    {
        if (_options.CollectResults)
        {
            _regions.Add(region);
        }

        RegionClosed?.Invoke(region);
    }

    private double? MedianTempo()
    {
        if (_tempoCount == 0)
        {
            return null;
        }

        var sorted = _tempoSamples.AsSpan(0, _tempoCount).ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}

/// <summary>Receives one log-mel frame; the span is only valid during the call.</summary>
public delegate void MelFrameHandler(ReadOnlySpan<float> melDb);
