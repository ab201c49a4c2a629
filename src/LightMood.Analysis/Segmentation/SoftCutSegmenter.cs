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
public sealed partial class SoftCutSegmenter
{
    private const int WindowCapacity = 48;
    private const int CandidateCapacity = 32;

    /// <summary>Splits on each side a boundary's step must dominate: a maximum at the edge of a span is the flank of a step outside it.</summary>
    private const int PeakFrames = 3;

    /// <summary>
    /// Seconds searched before an embedding pair's gap for the step: the embedding (the CRNN's last recurrent state) holds
    /// mostly the end of its window, so the distance stays high while the change lies between the two windows' ends, and
    /// peaks anywhere on that plateau; the change can lie a little before the gap (0.42 s before it at one held-out cut:
    /// a window's last half second outweighs the rest of it only so much)…
    /// </summary>
    private const double GapLeadSeconds = 0.45;

    /// <summary>…or anywhere up to the end of the later window.</summary>
    private const double GapLagSeconds = 1.0;

    /// <summary>An embedding change whose gap lies this close to the current section's start may be that start, heard again.</summary>
    private const double ExplainedSeconds = 1.5;

    /// <summary>A boundary this close to the current section's start is that start, found again.</summary>
    private const double SameBoundarySeconds = 0.2;

    private readonly SoftCutOptions _options;
    private readonly MelFrameRing _frames;
    private readonly MelFrameRing? _chroma;
    private readonly SpectralNovelty _melNovelty;
    private readonly SpectralNovelty? _wideNovelty;
    private readonly SpectralNovelty? _tonalNovelty;
    private readonly NoveltyCurve _melCurve;
    private readonly NoveltyCurve _tonalCurve;
    private readonly CandidateConfirmation _candidates;
    private readonly WindowHistory _history = new(WindowCapacity);
    private readonly EmbeddingNovelty _embedding;
    private readonly RegionAccumulator _region = new();
    private readonly RegionAccumulator _section = new();
    private readonly LevelDips _dips;
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
    private bool _sectionAtJoin;
    private long _sectionCount = 1;
    private readonly double[] _beforeSection = new double[MoodNames.Count];
    private bool _hasBeforeSection;

    private readonly SustainedChange _sustained = new();

    private double _now;

    private readonly SilenceGate _silence;
    private bool _silentRegion;
    private double _silenceEnd = double.NegativeInfinity;

    /// <summary>The fewest frames (0.25 s) a provisional window is made of.</summary>
    private const int MinProvisionalFrames = 11;

    private bool _provisionalPending;

    /// <summary>The section (count and start) the provisional asks are scheduled for, and when the next is due.</summary>
    private long _provisionalSection;
    private double _provisionalStart = double.NaN;
    private double _provisionalDue;

    /// <summary>The most silence a window may hold and still count (the silence end is dated within a hop).</summary>
    private const double SilenceInWindowSeconds = 0.1;
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
        _dips = new LevelDips(frames.Capacity, frameSeconds, frameOffsetSeconds);
        _embedding = new EmbeddingNovelty(EmbeddingNovelty.GapWindowsFor(windowHopFrames));
        _melNovelty = new SpectralNovelty(frames.Bands, k);
        _wideNovelty = _options.WideStepFrames > 0 ? new SpectralNovelty(frames.Bands, _options.WideStepFrames) : null;
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
        _dips.Add(_frames.Count - 1, meanSquare);
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
        if (_silentRegion || startSeconds < _silenceEnd - SilenceInWindowSeconds)
        {
            // silence has no mood, and a window that holds some of it mislabels the music after it (quiet reads as sad)
            return;
        }

        if (_collect)
        {
            _windowLog.Add(new PosteriorWindow(startSeconds, endSeconds, [.. p], estimate.Valence, estimate.Arousal, estimate.Embedding is { Length: > 0 } kept ? [.. kept] : null));
        }

        // another piece or part: the embedding before and after a gap differs; the section starts at the step between
        // (a real step: at least MinNovelty and the recent mean step)
        var embedding = estimate.Embedding is { Length: > 0 } e ? e : p;
        if (_embedding.Add(embedding, startSeconds, endSeconds, out var distance, out var gapStart, out var gapEnd)
            && distance >= _options.EmbeddingChange
            && TryPlaceChange(gapStart - GapLeadSeconds, gapEnd + GapLagSeconds, out var stepSplit, out var stepDb, out var wideDb))
        {
            if (ExplainedByCurrentSection(gapStart, gapEnd, stepDb, wideDb))
            {
                // the current section's start heard again: a later, smaller change must not move it
                HeardAtSectionStart(distance);
            }
            else
            {
                StartSection(_melCurve.TimeOf(stepSplit), BoundaryEvidence.EmbeddingChange, stepDb, distance);
            }
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

        FollowSustainedChange(_mood.Value, p, startSeconds, endSeconds, centre);
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

        return SectionLabelling.Label(_sectionLog, _windowLog, durationSeconds, _liveConfirmed, _options.RegionEvidence, new PieceChange(_options.PieceDistance, _options.PieceEvidence, _options.PieceSeconds),
            _options.SamePieceEvidence > 0 ? new SamePiece(_options.SamePieceDistance, _options.SamePieceEvidence, _options.SamePieceSeconds) : null);
    }

    /// <summary>Stream time at the end of the newest frame.</summary>
    private double Now() => FrameTime(_frames.Count - 1) + _frameOffsetSeconds;
}
