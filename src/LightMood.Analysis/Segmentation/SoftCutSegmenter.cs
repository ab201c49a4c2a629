using System.Runtime.CompilerServices;
using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>
/// The soft cut in two layers, causally: <b>sections</b> (structural boundaries, whatever the mood) from the paper's
/// contrasts (energy eq. 3.5/3.6, tempo eq. 3.8) and the spectral and tonal novelty; <b>mood regions</b> from the
/// sections' labels (the calibrated mean posterior of their windows), adjacent same-label sections being one region.
/// </summary>
/// <remarks>
/// <para>Inputs, in stream order: every log-mel frame (and its chroma, when a chroma ring is given) with its mean square
/// (<see cref="AddFrame"/>), contrast-jump candidates with the span of audio they point at (<see cref="AddCandidate"/>),
/// and one <see cref="MoodEstimate"/> per mood window (<see cref="AddEstimate"/>).</para>
/// <para>Sections. Every frame gives the spectral step D (<see cref="SpectralNovelty"/> over K mel frames each side, dB)
/// and the tonal step T (the same over chroma) at the split K frames back, into a <see cref="NoveltyCurve"/> each. A
/// section starts (1) at a contrast candidate confirmed by <see cref="CandidateConfirmation"/> (a local peak of D in
/// its span, D ≥ StepRatio × mean D and ≥ MinNovelty), or (2) at a local peak of D alone that is at least NoveltyRatio ×
/// its mean, or where T is at least TonalRatio × its mean with D at least TonalStepRatio × its mean, or (3) where a
/// sustained posterior change places it (below), or (4) at a silence edge. Sections are at least MinSectionSeconds
/// long (silence excepted). A boundary is found ≈ (K + 3) frames (0.44 s) after the change.</para>
/// <para>Mood, live. The current section is labelled by the mean posterior of the windows centred in it (from
/// LiveLeadSeconds before its start); when that label beats the live mood by Margin (hysteresis) and the live mood has
/// been held MinHoldSeconds, the mood changes: a mood boundary at the section's start (the boundary time is where
/// the change happened, not when it was confirmed), or, when the region began at this very section, its label is
/// revised. A sustained change — SustainWindows windows in a row whose most likely mood beats the live mood by Margin —
/// starts a section at the largest spectral step from half a window before the first of them, with its mood.</para>
/// <para>Mood, offline: <see cref="LabelOffline"/> labels each section from all its windows
/// (<see cref="SectionLabelling"/>) when the stream has ended; <c>analyze</c> uses it.</para>
/// <para>Silence (<see cref="SilenceGate"/>) is a section and a region of its own; windows centred in it carry no
/// mood, no mood change is confirmed while the latest frames are quiet, and the music after it is heard afresh.</para>
/// <para>Everything is driven by frame and window indices, so the result does not depend on how the audio was blocked.
/// Allocation-free per frame and per window (when not collecting); a section or a confirmed boundary allocates its records.</para>
/// </remarks>
public sealed class SoftCutSegmenter
{
    private const int WindowCapacity = 48;
    private const int CandidateCapacity = 32;

    /// <summary>Splits on each side a boundary's step must dominate: a maximum at the edge of a span is the flank of a step outside it.</summary>
    private const int PeakFrames = 3;

    /// <summary>
    /// Seconds searched before an embedding pair's gap for the step: the embedding (the CRNN's last recurrent state) holds
    /// mostly the end of its window, so the distance stays high while the change lies between the two windows' ends, and
    /// peaks anywhere on that plateau; the change can lie a little before the gap…
    /// </summary>
    private const double GapLeadSeconds = 0.3;

    /// <summary>…or anywhere up to the end of the later window.</summary>
    private const double GapLagSeconds = 1.0;

    /// <summary>Seconds on each side of a step searched for a level dip (the quiet point of a fade-out/fade-in join).</summary>
    private const double DipSearchSeconds = 0.4;

    /// <summary>Frames on each side of a dip whose median level it is measured against (≈ 0.93 s).</summary>
    private const int DipContextFrames = 40;

    /// <summary>Frames after a dip that must have been heard before it counts (≈ 0.23 s).</summary>
    private const int DipAfterFrames = 10;

    /// <summary>A frame this many dB below the median level around it is a dip: the music faded out and in there.</summary>
    private const double DipDepthDb = 20;

    /// <summary>An embedding change whose gap lies this close to the current section's start may be that start, heard again.</summary>
    private const double ExplainedSeconds = 1.5;

    /// <summary>A boundary this close to the current section's start is that start, found again.</summary>
    private const double SameBoundarySeconds = 0.2;

    private readonly SoftCutOptions _options;
    private readonly MelFrameRing _frames;
    private readonly MelFrameRing? _chroma;
    private readonly SpectralNovelty _melNovelty;
    private readonly SpectralNovelty? _tonalNovelty;
    private readonly NoveltyCurve _melCurve;
    private readonly NoveltyCurve _tonalCurve;
    private readonly CandidateConfirmation _candidates;
    private readonly WindowHistory _history = new(WindowCapacity);
    private readonly EmbeddingNovelty _embedding;
    private readonly RegionAccumulator _region = new();
    private readonly RegionAccumulator _section = new();
    private readonly float[] _levels;
    private readonly float[] _levelScratch = new float[(2 * DipContextFrames) + 1];
    private readonly double _frameSeconds;
    private readonly double _frameOffsetSeconds;
    private readonly bool _collect;
    private readonly List<SectionBoundary> _sectionLog = [];
    private readonly List<double> _liveConfirmed = [];
    private readonly List<PosteriorWindow> _windowLog = [];

    private double _regionStart;
    private Mood? _mood;
    private double _moodSince;

    private double _sectionStart;
    private double _previousSectionStart = double.NegativeInfinity;
    private double _sectionDistance;
    private BoundaryEvidence _sectionEvidence;
    private double _sectionStep;
    private long _sectionCount = 1;
    private readonly double[] _beforeSection = new double[MoodNames.Count];
    private bool _hasBeforeSection;

    private Mood _challenger;
    private int _challengeCount;
    private double _challengeStart;
    private double _challengeEnd;
    private double _challengeCentre;

    private double _now;

    private readonly SilenceGate _silence;
    private bool _silentRegion;
    private double _silenceEnd = double.NegativeInfinity;
    private Mood _musicMood = Mood.Calm;

    private float _lastValence;
    private float _lastArousal;
    private readonly float[] _lastProbabilities = new float[MoodNames.Count];
    private bool _hasEstimate;

    /// <param name="frames">The ring the analysis writes its mel frames to (the segmenter reads it; capacity ≥ 4·K + 2 frames).</param>
    /// <param name="frameSeconds">Seconds between frames (hop / rate).</param>
    /// <param name="frameOffsetSeconds">Time of the split before frame f is f·frameSeconds + this (half a frame).</param>
    /// <param name="options">Soft-cut settings.</param>
    /// <param name="chroma">The ring of the same frames' chroma (tonal novelty), written before each <see cref="AddFrame"/>; null: no tonal novelty.</param>
    /// <param name="collect">Keep the sections and windows for <see cref="LabelOffline"/> (offline analysis; grows with the stream).</param>
    /// <param name="windowHopFrames">Frames between mood windows (the embedding change pairs windows that do not overlap).</param>
    public SoftCutSegmenter(MelFrameRing frames, double frameSeconds, double frameOffsetSeconds, SoftCutOptions? options = null, MelFrameRing? chroma = null, bool collect = false, int windowHopFrames = MoodWindow.HopFrames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        _options = options ?? SoftCutOptions.Default;
        var k = _options.NoveltyFrames;
        if (frames.Capacity < (4 * k) + 2 || (chroma is not null && chroma.Capacity < (4 * k) + 2))
        {
            throw new ArgumentException("The frame ring is too short for the novelty span.", nameof(frames));
        }

        _frames = frames;
        _chroma = chroma;
        _frameSeconds = frameSeconds;
        _frameOffsetSeconds = frameOffsetSeconds;
        _levels = new float[frames.Capacity];
        _embedding = new EmbeddingNovelty(EmbeddingNovelty.GapWindowsFor(windowHopFrames));
        _melNovelty = new SpectralNovelty(frames.Bands, k);
        _tonalNovelty = chroma is null ? null : new SpectralNovelty(chroma.Bands, k);
        _melCurve = new NoveltyCurve(frames.Capacity, frameSeconds, frameOffsetSeconds);
        _tonalCurve = new NoveltyCurve(frames.Capacity, frameSeconds, frameOffsetSeconds);
        _candidates = new CandidateConfirmation(CandidateCapacity, PeakFrames, _options.MinNovelty, _options.StepRatio);
        _silence = new SilenceGate(frameSeconds, 2 * frameOffsetSeconds, _options.Silence);
        _collect = collect;
        if (collect)
        {
            _sectionLog.Add(new SectionBoundary(0, 0, BoundaryEvidence.EnergyContrast, 0));
            _liveConfirmed.Add(double.NaN);
        }
    }

    /// <summary>Raised when a mood boundary is confirmed (before <see cref="RegionClosed"/> for the region it ends).</summary>
    public event Action<SegmentBoundary>? BoundaryConfirmed;

    /// <summary>Raised when a mood region ends: at a confirmed boundary, or at <see cref="Finish"/>.</summary>
    public event Action<MoodRegion>? RegionClosed;

    /// <summary>Raised when a section starts (a structural boundary), whatever the mood.</summary>
    public event Action<SectionBoundary>? SectionStarted;

    /// <summary>
    /// The live mood: the label the sections gave it, changed only with hysteresis and after the minimum hold. Before
    /// the first window of the stream or after silence, the mood heard before (calm at the start): an empty posterior
    /// names no mood. In silence, the mood heard before it.
    /// </summary>
    public Mood CurrentMood => _silentRegion ? _musicMood : _mood ?? (_region.Windows > 0 ? _region.Label : _musicMood);

    /// <summary>Whether the current region is silence.</summary>
    public bool InSilence => _silentRegion;

    /// <summary>Where the current mood region started.</summary>
    public double RegionStartSeconds => _regionStart;

    /// <summary>Where the current section started.</summary>
    public double SectionStartSeconds => _sectionStart;

    /// <summary>Sections so far (1 at the start of the stream).</summary>
    public long Sections => _sectionCount;

    /// <summary>Whether any estimate has arrived.</summary>
    public bool HasEstimate => _hasEstimate;

    /// <summary>Latest window's posterior probability of the current region's mood.</summary>
    public double CurrentConfidence => _hasEstimate ? _lastProbabilities[(int)CurrentMood] : 0;

    public float LastValence => _lastValence;

    public float LastArousal => _lastArousal;

    /// <summary>The windows of the music kept for offline labelling (collecting segmenters only).</summary>
    public IReadOnlyList<PosteriorWindow> CollectedWindows => _windowLog;

    /// <summary>Number of estimates taken.</summary>
    public long Windows => _history.Count;

    /// <summary>Time of the split before frame <paramref name="frame"/>.</summary>
    public double FrameTime(double frame) => (frame * _frameSeconds) + _frameOffsetSeconds;

    /// <summary>
    /// Call after each frame is added to the ring(s), with the mean square of its samples: the silence gate, then the
    /// spectral and tonal steps, the section peaks and the candidates they resolve.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void AddFrame(double meanSquare)
    {
        _levels[(_frames.Count - 1) % _levels.Length] = (float)(10 * Math.Log10(Math.Max(meanSquare, 1e-12)));
        switch (_silence.Push(meanSquare))
        {
            case SilenceChange.Began:
                BeginSilence(_silence.ChangeSeconds);
                break;
            case SilenceChange.Ended:
                EndSilence(_silence.ChangeSeconds);
                break;
        }

        var k = _options.NoveltyFrames;
        var split = _frames.Count - k;
        if (split < k)
        {
            return;
        }

        _melCurve.Add(split, _melNovelty.Process(_frames, split));
        if (_chroma is not null)
        {
            _tonalCurve.Add(split, _tonalNovelty!.Process(_chroma, split));
        }

        NoveltyPeak(split - PeakFrames);
        while (_candidates.TryResolve(_melCurve, out var candidate, out var confirmed))
        {
            if (confirmed)
            {
                StartSection(candidate.TimeSeconds, candidate.Source, candidate.StepDb);
            }
        }
    }

    /// <summary>A contrast jump pointing at a change somewhere in [fromSeconds, toSeconds].</summary>
    public void AddCandidate(double fromSeconds, double toSeconds, BoundaryEvidence source) => _candidates.Add(fromSeconds, toSeconds, source);

    /// <summary>One mood window, covering [startSeconds, endSeconds] of the stream.</summary>
    public void AddEstimate(MoodEstimate estimate, double startSeconds, double endSeconds)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var p = estimate.Probabilities;
        if (p.Length != MoodNames.Count)
        {
            throw new ArgumentException($"An estimate has {MoodNames.Count} probabilities, got {p.Length}.", nameof(estimate));
        }

        var centre = (startSeconds + endSeconds) / 2;
        _history.Add(centre, p, estimate.Valence, estimate.Arousal);
        p.CopyTo(_lastProbabilities, 0);
        _lastValence = estimate.Valence;
        _lastArousal = estimate.Arousal;
        _hasEstimate = true;
        _now = Math.Max(_now, endSeconds);
        if (_silentRegion || centre < _silenceEnd)
        {
            return; // silence has no mood, and a window centred in it says nothing about the music after it
        }

        if (_collect)
        {
            _windowLog.Add(new PosteriorWindow(startSeconds, endSeconds, [.. p], estimate.Valence, estimate.Arousal));
        }

        // another piece or part: the embedding before and after a gap differs; the section starts at the step between
        // (a real step: at least MinNovelty and the recent mean step)
        var embedding = estimate.Embedding is { Length: > 0 } e ? e : p;
        if (_embedding.Add(embedding, startSeconds, endSeconds, out var distance, out var gapStart, out var gapEnd)
            && distance >= _options.EmbeddingChange
            && _melCurve.TryBestPeak(gapStart - GapLeadSeconds, gapEnd + GapLagSeconds, PeakFrames, out var stepSplit, out var stepDb)
            && stepDb >= _options.MinNovelty
            && stepDb >= _melCurve.Mean
            && !ExplainedByCurrentSection(gapStart, gapEnd, stepDb))
        {
            StartSection(_melCurve.TimeOf(stepSplit), BoundaryEvidence.EmbeddingChange, stepDb, distance);
        }

        _region.Add(p, estimate.Valence, estimate.Arousal);
        if (centre >= _sectionStart - _options.LiveLeadSeconds)
        {
            _section.Add(p, estimate.Valence, estimate.Arousal);
        }

        if (_mood is null)
        {
            _mood = _section.Windows > 0 ? _section.Label : _region.Label;
            _moodSince = _now;
            return;
        }

        if (FollowSection())
        {
            return;
        }

        // a sustained change: the most likely mood differs from the live mood by the margin, window after window
        var mood = _mood.Value;
        var best = ArgMax(p);
        var margin = p[(int)best] - p[(int)mood];
        if (best == mood || margin < _options.Margin || _silence.QuietPending)
        {
            _challengeCount = 0;
            return;
        }

        if (_challengeCount == 0 || best != _challenger)
        {
            _challenger = best;
            _challengeCount = 0;
            _challengeStart = startSeconds;
            _challengeEnd = endSeconds;
            _challengeCentre = centre;
        }

        _challengeCount++;
        // the posterior lags the audio: the change may lie up to half a window before the first disagreeing window
        var earliest = Math.Max(Math.Max(_regionStart + _options.MinRegionSeconds, _sectionStart + _options.MinSectionSeconds),
            _challengeStart - ((_challengeEnd - _challengeStart) / 2));
        if (_challengeCount >= _options.SustainWindows && earliest <= _challengeEnd && _now - _moodSince >= _options.MinHoldSeconds)
        {
            var stepped = _melCurve.TryBestPeak(earliest, _challengeEnd, PeakFrames, out var split, out var strength) && strength >= _options.MinNovelty;
            var time = stepped ? _melCurve.TimeOf(split) : Math.Max(earliest, _challengeCentre);
            var step = stepped ? strength : 0;
            OpenSection(time, BoundaryEvidence.SustainedPosterior, step);
            Confirm(time, best, BoundaryEvidence.SustainedPosterior, step);
        }
    }

    /// <summary>End of stream at <paramref name="endSeconds"/>: closes the last region.</summary>
    public void Finish(double endSeconds)
    {
        FlushSilence();
        RegionClosed?.Invoke(CloseRegion(Math.Max(endSeconds, _regionStart)));
    }

    /// <summary>
    /// End of the audio, before the last window: a stream that has been quiet from its first frame is silence however
    /// short (a silent file is silence). Called by <see cref="Finish"/> too; harmless twice.
    /// </summary>
    public void FlushSilence()
    {
        if (_silence.Finish() == SilenceChange.Began)
        {
            BeginSilence(_silence.ChangeSeconds);
        }
    }

    /// <summary>
    /// The offline answer (collecting segmenters only, after <see cref="Finish"/>): every section labelled from all its
    /// windows, the regions they merge into, and the region boundaries.
    /// </summary>
    public AnalysisLayers LabelOffline(double durationSeconds)
    {
        if (!_collect)
        {
            throw new InvalidOperationException("Offline labelling needs a segmenter made with collect: true.");
        }

        return SectionLabelling.Label(_sectionLog, _windowLog, durationSeconds, _liveConfirmed);
    }

    /// <summary>A peak of the spectral step alone, or of the tonal step beside a spectral one, starts a section.</summary>
    private void NoveltyPeak(long split)
    {
        if (!_melCurve.IsHeld(split - PeakFrames) || !_melCurve.IsPeak(split, PeakFrames))
        {
            return;
        }

        var step = _melCurve[split];
        var mean = _melCurve.Mean;
        if (step < _options.MinNovelty || mean <= 0)
        {
            return;
        }

        var ratio = step / mean;
        if (ratio >= _options.NoveltyRatio)
        {
            StartSection(_melCurve.TimeOf(_melCurve.Refine(split)), BoundaryEvidence.SpectralNovelty, step);
            return;
        }

        if (_chroma is null || ratio < _options.TonalStepRatio || !(_tonalCurve.Mean > 0))
        {
            return;
        }

        var tonal = 0f;
        for (var f = split - PeakFrames; f <= split + PeakFrames; f++)
        {
            tonal = Math.Max(tonal, _tonalCurve[f]);
        }

        if (tonal >= _options.TonalRatio * _tonalCurve.Mean)
        {
            StartSection(_melCurve.TimeOf(_melCurve.Refine(split)), BoundaryEvidence.TonalNovelty, step);
        }
    }

    /// <summary>
    /// A structural boundary found at <paramref name="time"/>: a new section, and the live label follows it. An embedding
    /// change (<paramref name="embeddingDistance"/> &gt; 0) closer than MinSectionSeconds to the current section's start
    /// moves that start when the current section rests on weaker evidence: a spectral step or a contrast alone, or a
    /// smaller embedding change.
    /// </summary>
    private void StartSection(double time, BoundaryEvidence evidence, double stepDb, double embeddingDistance = 0)
    {
        time = AtDip(time);
        if (_silentRegion || _silence.QuietPending || time < _silenceEnd || Math.Abs(time - _sectionStart) < SameBoundarySeconds)
        {
            return;
        }

        if (time < _sectionStart + _options.MinSectionSeconds)
        {
            if (!(embeddingDistance > 0) || !MayMoveSection(time, embeddingDistance))
            {
                return;
            }

            MoveSection(time, evidence, stepDb, embeddingDistance);
            return;
        }

        OpenSection(time, evidence, stepDb, embeddingDistance: embeddingDistance);
        if (_mood is not null)
        {
            FollowSection();
        }
    }

    /// <summary>
    /// A step found within <see cref="DipSearchSeconds"/> of a frame at least <see cref="DipDepthDb"/> below the median
    /// level around it goes to that frame's centre: where a piece fades out and the next fades in, the spectrum starts to
    /// step at the fade, the join is the quiet point.
    /// </summary>
    private double AtDip(double time)
    {
        var centre = (long)Math.Round((time - _frameOffsetSeconds) / _frameSeconds);
        var reach = (long)(DipSearchSeconds / _frameSeconds);
        var oldest = Math.Max(0, _frames.Count - _levels.Length);
        var newest = _frames.Count - 1;
        if (centre - reach - DipContextFrames < oldest || centre + reach > newest)
        {
            return time;
        }

        var dip = centre - reach;
        for (var f = centre - reach; f <= Math.Min(centre + reach, newest - DipAfterFrames); f++)
        {
            if (_levels[f % _levels.Length] < _levels[dip % _levels.Length])
            {
                dip = f;
            }
        }

        // quiet against both sides: the level before it, and what has been heard after it (at least DipAfterFrames)
        var after = (int)Math.Min(DipContextFrames, newest - dip);
        if (after < DipAfterFrames)
        {
            return time;
        }

        var level = _levels[dip % _levels.Length];
        return MedianLevel(dip - DipContextFrames, DipContextFrames) - level >= DipDepthDb
            && MedianLevel(dip + 1, after) - level >= DipDepthDb
            ? FrameTime(dip) : time;
    }

    private float MedianLevel(long first, int count)
    {
        var context = _levelScratch.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            context[i] = _levels[(first + i) % _levels.Length];
        }

        context.Sort();
        return context[count / 2];
    }

    /// <summary>
    /// Whether an embedding change over the gap [gapStart, gapEnd] is the current section's own start seen again (it lies
    /// within <see cref="ExplainedSeconds"/> of the gap) with a step no larger than its own.
    /// </summary>
    private bool ExplainedByCurrentSection(double gapStart, double gapEnd, double stepDb) =>
        _sectionCount > 1 && _sectionStart >= gapStart - ExplainedSeconds && _sectionStart <= gapEnd + ExplainedSeconds && stepDb <= _sectionStep;

    /// <summary>Whether the current section's start may move to <paramref name="time"/> for an embedding change of <paramref name="embeddingDistance"/> (see <see cref="StartSection"/>).</summary>
    private bool MayMoveSection(double time, double embeddingDistance) =>
        _sectionCount > 1
        && (_sectionEvidence is BoundaryEvidence.SpectralNovelty or BoundaryEvidence.TonalNovelty or BoundaryEvidence.EnergyContrast or BoundaryEvidence.TempoContrast
            || (_sectionEvidence == BoundaryEvidence.EmbeddingChange && embeddingDistance > _sectionDistance))
        && time >= _previousSectionStart + _options.MinSectionSeconds
        && time > _silenceEnd;

    private void MoveSection(double time, BoundaryEvidence evidence, double stepDb, double embeddingDistance)
    {
        if (_collect)
        {
            _sectionLog.RemoveAt(_sectionLog.Count - 1);
            _liveConfirmed.RemoveAt(_liveConfirmed.Count - 1);
        }

        _sectionCount--;
        _sectionStart = _previousSectionStart;
        OpenSection(time, evidence, stepDb, embeddingDistance: embeddingDistance);
        if (_mood is not null)
        {
            FollowSection();
        }
    }

    private void OpenSection(double time, BoundaryEvidence evidence, double stepDb, bool silent = false, double embeddingDistance = 0)
    {
        _previousSectionStart = _sectionStart;
        _sectionStart = time;
        _sectionDistance = embeddingDistance;
        _sectionEvidence = evidence;
        _sectionStep = stepDb;
        _sectionCount++;
        Span<double> sums = stackalloc double[MoodNames.Count];
        if (silent)
        {
            _section.Clear();
        }
        else
        {
            var count = _history.SumSince(Math.Max(time - _options.LiveLeadSeconds, _silenceEnd), sums, out var valence, out var arousal);
            _section.Reset(sums, valence, arousal, count);

            // the region's mean posterior before the section: what a change is measured from
            var before = _region.Windows - Math.Min(count, _region.Windows);
            _hasBeforeSection = before > 0 && time > _regionStart;
            for (var m = 0; m < MoodNames.Count; m++)
            {
                _beforeSection[m] = _hasBeforeSection ? (_region.Sum((Mood)m) - sums[m]) / before : 0;
            }
        }

        var boundary = new SectionBoundary(time, Now(), evidence, stepDb, silent);
        if (_collect)
        {
            _sectionLog.Add(boundary);
            _liveConfirmed.Add(double.NaN);
        }

        SectionStarted?.Invoke(boundary);
    }

    /// <summary>
    /// The live label follows the current section's mean posterior, with hysteresis and the minimum hold. True when the
    /// mood changed.
    /// </summary>
    private bool FollowSection()
    {
        if (_section.Windows == 0 || _silentRegion || _silence.QuietPending || _mood is not { } mood)
        {
            return false;
        }

        if (_now - _moodSince < _options.MinHoldSeconds)
        {
            return false;
        }

        if (_sectionStart > _regionStart && _hasBeforeSection && TryGainer(mood, out var gainer))
        {
            // the first windows of a new section hold some of the audio before it: the direction of the change names
            // the new mood before their most likely mood does
            Confirm(_sectionStart, gainer, _sectionEvidence, _sectionStep);
            return true;
        }

        var label = _section.Label;
        if (label == mood || _section.Mean(label) - _section.Mean(mood) < _options.Margin)
        {
            return false;
        }

        if (_sectionStart > _regionStart)
        {
            Confirm(_sectionStart, label, _sectionEvidence, _sectionStep);
        }
        else
        {
            // the region began at this section: its label is revised as its windows accumulate
            _mood = label;
            _moodSince = _now;
            _challengeCount = 0;
        }

        return true;
    }

    /// <summary>
    /// The mood the section's mean posterior moved towards from the region's mean before it, when it moved at least
    /// ChangeThreshold (total variation) and that mood is within Margin of the live mood in the section.
    /// </summary>
    private bool TryGainer(Mood mood, out Mood gainer)
    {
        var best = 0;
        var bestGain = double.NegativeInfinity;
        var variation = 0.0;
        for (var m = 0; m < MoodNames.Count; m++)
        {
            var gain = _section.Mean((Mood)m) - _beforeSection[m];
            variation += Math.Abs(gain) / 2;
            if (gain > bestGain)
            {
                bestGain = gain;
                best = m;
            }
        }

        gainer = (Mood)best;
        return gainer != mood && variation >= _options.ChangeThreshold && _section.Mean(gainer) >= _section.Mean(mood) - _options.Margin;
    }

    private void Confirm(double time, Mood to, BoundaryEvidence evidence, double stepDb)
    {
        var from = CurrentMood;

        // windows centred after the boundary belong to the new region
        Span<double> moved = stackalloc double[MoodNames.Count];
        var movedCount = _history.SumSince(time, moved, out var movedValence, out var movedArousal);
        movedCount = Math.Min(movedCount, _region.Windows);
        _region.Remove(moved, movedValence, movedArousal, movedCount);
        var closed = CloseRegion(time);
        _region.Reset(moved, movedValence, movedArousal, movedCount);
        _mood = to;
        _moodSince = _now;
        _regionStart = time;
        _challengeCount = 0;
        if (_collect)
        {
            _liveConfirmed[^1] = _now;
        }

        BoundaryConfirmed?.Invoke(new SegmentBoundary(time, _now, from, to, evidence, stepDb));
        RegionClosed?.Invoke(closed);
    }

    /// <summary>The gate confirmed silence from <paramref name="time"/>: the music region ends there, a silence region starts.</summary>
    private void BeginSilence(double time)
    {
        if (time > _regionStart)
        {
            // the windows centred inside the silence leave the music region
            Span<double> dropped = stackalloc double[MoodNames.Count];
            var count = Math.Min(_history.SumSince(time, dropped, out var valence, out var arousal), _region.Windows);
            _region.Remove(dropped, valence, arousal, count);
            var from = CurrentMood;
            var closed = CloseRegion(time);
            _musicMood = from;
            _regionStart = time;
            SilenceSection(time);
            BoundaryConfirmed?.Invoke(new SegmentBoundary(time, Now(), from, from, BoundaryEvidence.Silence, 0, ToSilence: true));
            RegionClosed?.Invoke(closed);
        }
        else
        {
            if (_region.Windows > 0)
            {
                _musicMood = CurrentMood; // the region that just began (at a step into the silence) is silence from its start
            }

            if (_collect)
            {
                // the section that began here is silence from its start
                _sectionLog[^1] = _sectionLog[^1] with { Silent = true };
            }
        }

        _silentRegion = true;
        ClearRegion();
    }

    /// <summary>Sound came back at <paramref name="time"/>: the silence region ends, a music region starts afresh.</summary>
    private void EndSilence(double time)
    {
        var closed = CloseRegion(time);
        _silentRegion = false;
        _silenceEnd = time;
        _regionStart = time;
        ClearRegion();
        OpenSection(time, BoundaryEvidence.Silence, 0);
        BoundaryConfirmed?.Invoke(new SegmentBoundary(time, Now(), _musicMood, _musicMood, BoundaryEvidence.Silence, 0, FromSilence: true));
        RegionClosed?.Invoke(closed);
    }

    private void SilenceSection(double time)
    {
        if (time > _sectionStart)
        {
            OpenSection(time, BoundaryEvidence.Silence, 0, silent: true);
        }
        else if (_collect)
        {
            _sectionLog[^1] = _sectionLog[^1] with { Silent = true };
        }
    }

    private void ClearRegion()
    {
        _embedding.Clear();
        _region.Clear();
        _section.Clear();
        _mood = null;
        _challengeCount = 0;
    }

    /// <summary>Stream time at the end of the newest frame.</summary>
    private double Now() => FrameTime(_frames.Count - 1) + _frameOffsetSeconds;

    private MoodRegion CloseRegion(double end)
    {
        if (_silentRegion)
        {
            return new MoodRegion(_regionStart, end, _musicMood, 1, 0, -1, Silent: true);
        }

        var mood = CurrentMood;
        double confidence, valence, arousal;
        if (_region.Windows > 0)
        {
            confidence = _region.Mean(mood);
            valence = _region.MeanValence;
            arousal = _region.MeanArousal;
        }
        else
        {
            confidence = _lastProbabilities[(int)mood];
            valence = _lastValence;
            arousal = _lastArousal;
        }

        return new MoodRegion(_regionStart, end, mood, Math.Clamp(confidence, 0, 1), Math.Clamp(valence, -1, 1), Math.Clamp(arousal, -1, 1));
    }

    private static Mood ArgMax(ReadOnlySpan<float> p)
    {
        var best = 0;
        for (var i = 1; i < p.Length; i++)
        {
            if (p[i] > p[best])
            {
                best = i;
            }
        }

        return (Mood)best;
    }
}
