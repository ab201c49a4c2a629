using System.Runtime.CompilerServices;
using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>
/// The soft cut: fuses contrast jumps (energy eq. 3.5/3.6, tempo eq. 3.8) and the mood estimator's posteriors into
/// regions of one coarse emotion, causally.
/// </summary>
/// <remarks>
/// <para>Inputs, in stream order: every log-mel frame (<see cref="AddFrame"/>), contrast-jump candidates with the span of
/// audio they point at (<see cref="AddCandidate"/>), and one <see cref="MoodEstimate"/> per mood window
/// (<see cref="AddEstimate"/>). Each candidate is refined to a mel frame: the frame f in its span that maximises the
/// spectral step D(f) = sqrt(mean_b (μ_after,b − μ_before,b)²), the means of K frames of dB after and before f,
/// with a parabolic sub-frame refinement of the peak; only local peaks (no frame within ±3 steps more) count, so a
/// maximum at the edge of the span, the flank of a step outside it, is passed over. A candidate whose step is below StepRatio times the mean
/// step of the last ~12 s (or below MinNovelty) is dropped: music changes its loudness all the time, a change of
/// piece or section also changes its spectrum.</para>
/// <para>Confirmation (DESIGN.md "Live behaviour"), two ways. (a) Contrast jump plus posterior change: a window's
/// posterior moves away from the region's mean posterior by a total-variation distance of at least ChangeThreshold,
/// towards a mood C other than the region's, with p(C) at least p(region's mood) − Margin; a refined contrast
/// candidate between half a window before the start of the first such window and its end (checked when the window
/// arrives and when a candidate resolves) confirms a boundary at the candidate's frame, the new region's mood being C. (b) Sustained change: SustainWindows windows in a row whose most likely mood
/// beats the region's by Margin (hysteresis); the boundary goes to the largest spectral step from half a window before
/// the first of them to its end (or its centre when no step reaches MinNovelty). The boundary time is where the change happened, not when it was
/// confirmed. No region is shorter than MinRegionSeconds. A region's mood settles on its windows' most likely mood
/// once it holds <see cref="SettleWindows"/> windows; a closed region's confidence, valence and arousal are the means
/// over the windows whose centres fall inside it.</para>
/// <para>Silence (<see cref="SilenceGate"/>, fed every frame's mean square) is a region of its own: when the gate
/// confirms silence the music region ends where the silence began (the windows centred inside the silence leave it)
/// and a silence region starts; when sound comes back the silence region ends there and a music region starts afresh.
/// Windows centred in the silence carry no mood, and no mood change is confirmed while the latest frames are quiet.</para>
/// <para>Everything is driven by frame and window indices, so the result does not depend on how the audio was blocked.
/// Allocation-free per frame and per window; a confirmed boundary allocates its two records.</para>
/// </remarks>
public sealed class SoftCutSegmenter
{
    private const int WindowHistory = 48;
    private const int CandidateHistory = 32;

    /// <summary>Windows after which a region's mood is the mean posterior's most likely mood.</summary>
    public const int SettleWindows = 3;

    /// <summary>Frames on each side a refined candidate's step must dominate: a maximum at the edge of its span is the
    /// flank of a step outside it, not a step.</summary>
    private const int PeakFrames = 3;

    private readonly SoftCutOptions _options;
    private readonly MelFrameRing _frames;
    private readonly double _frameSeconds;
    private readonly double _frameOffsetSeconds;
    private readonly float[] _novelty;
    private readonly double[] _before;
    private readonly double[] _after;

    private readonly WindowRecord[] _windows = new WindowRecord[WindowHistory];
    private readonly float[] _windowProbabilities = new float[WindowHistory * MoodNames.Count];
    private long _windowCount;

    private readonly Candidate[] _pending = new Candidate[CandidateHistory];
    private int _pendingCount;
    private readonly Candidate[] _candidates = new Candidate[CandidateHistory];
    private long _candidateCount;

    private readonly double[] _regionSum = new double[MoodNames.Count];
    private double _regionValence;
    private double _regionArousal;
    private int _regionWindows;
    private double _regionStart;
    private Mood? _confirmedMood;

    private Mood _challenger;
    private int _challengeCount;
    private double _challengeStart;
    private double _challengeEnd;
    private double _challengeCentre;

    private double _noveltySum;
    private int _noveltyCount;
    private bool _changeOpen;
    private double _changeStart;
    private double _changeEnd;
    private Mood _changeMood;
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
    public SoftCutSegmenter(MelFrameRing frames, double frameSeconds, double frameOffsetSeconds, SoftCutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        _options = options ?? SoftCutOptions.Default;
        if (frames.Capacity < (4 * _options.NoveltyFrames) + 2)
        {
            throw new ArgumentException("The frame ring is too short for the novelty span.", nameof(frames));
        }

        _frames = frames;
        _frameSeconds = frameSeconds;
        _frameOffsetSeconds = frameOffsetSeconds;
        _novelty = new float[frames.Capacity];
        _before = new double[frames.Bands];
        _after = new double[frames.Bands];
        _silence = new SilenceGate(frameSeconds, 2 * frameOffsetSeconds, _options.Silence);
    }

    /// <summary>Raised when a boundary is confirmed (before <see cref="RegionClosed"/> for the region it ends).</summary>
    public event Action<SegmentBoundary>? BoundaryConfirmed;

    /// <summary>Raised when a region ends: at a confirmed boundary, or at <see cref="Finish"/>.</summary>
    public event Action<MoodRegion>? RegionClosed;

    /// <summary>
    /// The current region's mood: the mood it was confirmed with until it holds <see cref="SettleWindows"/> windows,
    /// then the most likely mood of its windows (so a region confirmed on an early guess settles on what it holds).
    /// In silence, the mood heard before it.
    /// </summary>
    public Mood CurrentMood => _silentRegion ? _musicMood
        : _regionWindows >= SettleWindows || _confirmedMood is null ? ArgMax(_regionSum) : _confirmedMood.Value;

    /// <summary>Whether the current region is silence.</summary>
    public bool InSilence => _silentRegion;

    /// <summary>Where the current region started.</summary>
    public double RegionStartSeconds => _regionStart;

    /// <summary>Whether any estimate has arrived.</summary>
    public bool HasEstimate => _hasEstimate;

    /// <summary>Latest window's posterior probability of the current region's mood.</summary>
    public double CurrentConfidence => _hasEstimate ? _lastProbabilities[(int)CurrentMood] : 0;

    public float LastValence => _lastValence;

    public float LastArousal => _lastArousal;

    /// <summary>Number of estimates taken.</summary>
    public long Windows => _windowCount;

    /// <summary>Time of the split before frame <paramref name="frame"/>.</summary>
    public double FrameTime(double frame) => (frame * _frameSeconds) + _frameOffsetSeconds;

    /// <summary>
    /// Call after each frame is added to the ring, with the mean square of its samples: the silence gate, then the
    /// spectral step, then the candidates it resolves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    public void AddFrame(double meanSquare)
    {
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
        var f = _frames.Count - k;
        if (f < k)
        {
            return;
        }

        Array.Clear(_before);
        Array.Clear(_after);
        for (var i = 0; i < k; i++)
        {
            var b = _frames.Frame(f - k + i);
            var a = _frames.Frame(f + i);
            for (var j = 0; j < _before.Length; j++)
            {
                _before[j] += b[j];
                _after[j] += a[j];
            }
        }

        var sum = 0.0;
        for (var j = 0; j < _before.Length; j++)
        {
            var d = (_after[j] - _before[j]) / k;
            sum += d * d;
        }

        var slot = f % _novelty.Length;
        if (_noveltyCount == _novelty.Length)
        {
            _noveltySum -= _novelty[slot];
        }
        else
        {
            _noveltyCount++;
        }

        _novelty[slot] = (float)Math.Sqrt(sum / _before.Length);
        _noveltySum += _novelty[slot];
        ResolvePending(f);
    }

    /// <summary>A contrast jump pointing at a change somewhere in [fromSeconds, toSeconds].</summary>
    public void AddCandidate(double fromSeconds, double toSeconds, BoundaryEvidence source)
    {
        if (_pendingCount == _pending.Length)
        {
            // the oldest pending candidate gives way (cannot happen at the configured rates)
            Array.Copy(_pending, 1, _pending, 0, _pending.Length - 1);
            _pendingCount--;
        }

        _pending[_pendingCount++] = new Candidate(fromSeconds, toSeconds, 0, source);
    }

    /// <summary>One mood window, covering [startSeconds, endSeconds] of the stream.</summary>
    public void AddEstimate(MoodEstimate estimate, double startSeconds, double endSeconds)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var p = estimate.Probabilities;
        if (p.Length != MoodNames.Count)
        {
            throw new ArgumentException($"An estimate has {MoodNames.Count} probabilities, got {p.Length}.", nameof(estimate));
        }

        var slot = (int)(_windowCount % WindowHistory);
        var centre = (startSeconds + endSeconds) / 2;
        _windows[slot] = new WindowRecord(centre, estimate.Valence, estimate.Arousal);
        p.CopyTo(_windowProbabilities.AsSpan(slot * MoodNames.Count, MoodNames.Count));
        _windowCount++;
        p.CopyTo(_lastProbabilities, 0);
        _lastValence = estimate.Valence;
        _lastArousal = estimate.Arousal;
        _hasEstimate = true;
        _now = endSeconds;
        if (_silentRegion || centre < _silenceEnd)
        {
            return; // silence has no mood, and a window centred in it says nothing about the music after it
        }

        var region = CurrentMood;

        // (a) a change of posterior: the window moved away from the region's mean posterior, towards another mood
        if (_regionWindows > 0)
        {
            var gainer = 0;
            var bestGain = double.NegativeInfinity;
            var variation = 0.0;
            for (var m = 0; m < MoodNames.Count; m++)
            {
                var gain = p[m] - (_regionSum[m] / _regionWindows);
                variation += Math.Abs(gain) / 2;
                if (gain > bestGain)
                {
                    bestGain = gain;
                    gainer = m;
                }
            }

            if ((Mood)gainer != region && variation >= _options.ChangeThreshold && p[gainer] >= p[(int)region] - _options.Margin)
            {
                if (!_changeOpen)
                {
                    _changeOpen = true;
                    _changeStart = startSeconds;
                    _changeEnd = endSeconds;
                }

                _changeMood = (Mood)gainer;
            }
            else
            {
                _changeOpen = false;
            }
        }

        Accumulate(p, estimate.Valence, estimate.Arousal);
        if (TryConfirmWithContrast())
        {
            return;
        }

        // (b) a sustained change: the most likely mood differs from the region's by the margin, window after window
        var best = ArgMax(p);
        var margin = p[(int)best] - p[(int)region];
        if (best == region || margin < _options.Margin || _silence.QuietPending)
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
        var earliest = Math.Max(_regionStart + _options.MinRegionSeconds, _challengeStart - ((_challengeEnd - _challengeStart) / 2));
        if (_challengeCount >= _options.SustainWindows && earliest <= _challengeEnd)
        {
            var stepped = BestStep(earliest, _challengeEnd, out var stepTime, out var strength) && strength >= _options.MinNovelty;
            var time = stepped ? stepTime : Math.Max(earliest, _challengeCentre);
            Confirm(time, best, BoundaryEvidence.SustainedPosterior, endSeconds, stepped ? strength : 0);
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

    /// <summary>A posterior change backed by a refined contrast candidate inside its first window confirms a boundary.</summary>
    private bool TryConfirmWithContrast()
    {
        if (!_changeOpen || _silentRegion || _silence.QuietPending)
        {
            return false;
        }

        // the posterior lags the audio: the change may lie up to half a window before the first changed window
        var earliest = Math.Max(_regionStart + _options.MinRegionSeconds, _changeStart - ((_changeEnd - _changeStart) / 2));
        if (earliest > _changeEnd || !BestCandidate(earliest, _changeEnd, out var candidate))
        {
            return false;
        }

        Confirm(candidate.From, _changeMood, candidate.Source, _now, candidate.Strength);
        return true;
    }

    private void Confirm(double time, Mood to, BoundaryEvidence evidence, double now, double stepDb)
    {
        var from = CurrentMood;

        // windows centred after the boundary belong to the new region
        Span<double> moved = stackalloc double[MoodNames.Count];
        var movedCount = WindowsSince(time, moved, out var movedValence, out var movedArousal);
        for (var m = 0; m < MoodNames.Count; m++)
        {
            _regionSum[m] -= moved[m];
        }

        _regionValence -= movedValence;
        _regionArousal -= movedArousal;
        _regionWindows -= movedCount;
        var closed = CloseRegion(time);
        _confirmedMood = to;
        _regionStart = time;
        for (var m = 0; m < MoodNames.Count; m++)
        {
            _regionSum[m] = moved[m];
        }

        _regionValence = movedValence;
        _regionArousal = movedArousal;
        _regionWindows = movedCount;
        _challengeCount = 0;
        _changeOpen = false;
        BoundaryConfirmed?.Invoke(new SegmentBoundary(time, now, from, to, evidence, stepDb));
        RegionClosed?.Invoke(closed);
    }

    /// <summary>Sums the held windows centred at or after <paramref name="time"/> (newest first); returns how many.</summary>
    private int WindowsSince(double time, Span<double> sum, out double valence, out double arousal)
    {
        valence = arousal = 0;
        var count = 0;
        var held = (int)Math.Min(_windowCount, WindowHistory);
        for (var i = 0; i < held; i++)
        {
            var slot = (int)((_windowCount - 1 - i) % WindowHistory);
            if (_windows[slot].Centre < time)
            {
                break;
            }

            var p = _windowProbabilities.AsSpan(slot * MoodNames.Count, MoodNames.Count);
            for (var m = 0; m < MoodNames.Count; m++)
            {
                sum[m] += p[m];
            }

            valence += _windows[slot].Valence;
            arousal += _windows[slot].Arousal;
            count++;
        }

        return count;
    }

    /// <summary>The gate confirmed silence from <paramref name="time"/>: the music region ends there, a silence region starts.</summary>
    private void BeginSilence(double time)
    {
        if (time > _regionStart)
        {
            // the windows centred inside the silence leave the music region
            Span<double> dropped = stackalloc double[MoodNames.Count];
            var count = WindowsSince(time, dropped, out var valence, out var arousal);
            for (var m = 0; m < MoodNames.Count; m++)
            {
                _regionSum[m] -= dropped[m];
            }

            _regionValence -= valence;
            _regionArousal -= arousal;
            _regionWindows -= count;
            var from = CurrentMood;
            var closed = CloseRegion(time);
            _musicMood = from;
            _regionStart = time;
            BoundaryConfirmed?.Invoke(new SegmentBoundary(time, Now(), from, from, BoundaryEvidence.Silence, 0, ToSilence: true));
            RegionClosed?.Invoke(closed);
        }
        else if (_regionWindows > 0)
        {
            _musicMood = CurrentMood; // the region that just began (at a step into the silence) is silence from its start
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
        BoundaryConfirmed?.Invoke(new SegmentBoundary(time, Now(), _musicMood, _musicMood, BoundaryEvidence.Silence, 0, FromSilence: true));
        RegionClosed?.Invoke(closed);
    }

    private void ClearRegion()
    {
        Array.Clear(_regionSum);
        _regionValence = _regionArousal = 0;
        _regionWindows = 0;
        _confirmedMood = null;
        _challengeCount = 0;
        _changeOpen = false;
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
        if (_regionWindows > 0)
        {
            confidence = _regionSum[(int)mood] / _regionWindows;
            valence = _regionValence / _regionWindows;
            arousal = _regionArousal / _regionWindows;
        }
        else
        {
            confidence = _lastProbabilities[(int)mood];
            valence = _lastValence;
            arousal = _lastArousal;
        }

        return new MoodRegion(_regionStart, end, mood, Math.Clamp(confidence, 0, 1), Math.Clamp(valence, -1, 1), Math.Clamp(arousal, -1, 1));
    }

    private void Accumulate(ReadOnlySpan<float> p, float valence, float arousal)
    {
        for (var m = 0; m < MoodNames.Count; m++)
        {
            _regionSum[m] += p[m];
        }

        _regionValence += valence;
        _regionArousal += arousal;
        _regionWindows++;
    }

    private bool BestCandidate(double from, double to, out Candidate best)
    {
        best = default;
        var found = false;
        var held = (int)Math.Min(_candidateCount, CandidateHistory);
        for (var i = 0; i < held; i++)
        {
            var c = _candidates[(int)((_candidateCount - 1 - i) % CandidateHistory)];
            if (c.From >= from && c.From <= to && (!found || c.Strength > best.Strength))
            {
                best = c;
                found = true;
            }
        }

        return found;
    }

    /// <summary>The largest spectral step whose split time lies in [from, to].</summary>
    private bool BestStep(double from, double to, out double time, out double strength)
    {
        strength = 0;
        time = double.NaN;
        var last = _frames.Count - _options.NoveltyFrames - 1;
        var first = Math.Max(Math.Max(_options.NoveltyFrames, _frames.Count - _novelty.Length + 1), (long)Math.Ceiling((from - _frameOffsetSeconds) / _frameSeconds));
        last = Math.Min(last, (long)Math.Floor((to - _frameOffsetSeconds) / _frameSeconds));
        // the largest local peak (no frame within ±PeakFrames steps more, neighbours outside the span included):
        // a maximum at the edge of the span is the flank of a step outside it
        var found = false;
        var bestFrame = 0L;
        for (var f = first; f <= last; f++)
        {
            var d = _novelty[f % _novelty.Length];
            if ((!found || d > strength) && IsPeakFrame(f, d))
            {
                strength = d;
                bestFrame = f;
                found = true;
            }
        }

        if (!found)
        {
            return false;
        }

        // sub-frame: the vertex of the parabola through the peak and its neighbours (when both are known)
        var offset = 0.0;
        if (bestFrame - 1 >= Math.Max(_options.NoveltyFrames, _frames.Count - _novelty.Length + 1) && bestFrame + 1 <= _frames.Count - _options.NoveltyFrames - 1)
        {
            double left = _novelty[(bestFrame - 1) % _novelty.Length], right = _novelty[(bestFrame + 1) % _novelty.Length];
            var curvature = left - (2 * strength) + right;
            if (curvature < 0)
            {
                offset = Math.Clamp(0.5 * (left - right) / curvature, -0.5, 0.5);
            }
        }

        time = FrameTime(bestFrame + offset);
        return true;
    }

    private void ResolvePending(long newestNovelty)
    {
        var i = 0;
        while (i < _pendingCount)
        {
            var c = _pending[i];
            var lastFrame = (long)Math.Floor((c.To - _frameOffsetSeconds) / _frameSeconds) + PeakFrames;
            if (lastFrame > newestNovelty)
            {
                i++;
                continue;
            }

            // a contrast jump counts where the spectrum really steps: StepRatio × the recent mean step
            var typical = _noveltyCount > 0 ? _noveltySum / _noveltyCount : 0;
            if (BestStep(c.From, c.To, out var time, out var strength) && strength >= _options.MinNovelty
                && strength >= _options.StepRatio * typical)
            {
                _candidates[(int)(_candidateCount % CandidateHistory)] = new Candidate(time, time, strength, c.Source);
                _candidateCount++;
                _now = Math.Max(_now, FrameTime(_frames.Count + 1));
                TryConfirmWithContrast();
            }

            Array.Copy(_pending, i + 1, _pending, i, _pendingCount - i - 1);
            _pendingCount--;
        }
    }

    /// <summary>Whether no frame within <see cref="PeakFrames"/> of <paramref name="frame"/> steps more.</summary>
    private bool IsPeakFrame(long frame, double strength)
    {
        var oldest = Math.Max(_options.NoveltyFrames, _frames.Count - _novelty.Length + 1);
        var newest = _frames.Count - _options.NoveltyFrames - 1;
        for (var f = Math.Max(oldest, frame - PeakFrames); f <= Math.Min(newest, frame + PeakFrames); f++)
        {
            if (_novelty[f % _novelty.Length] > strength)
            {
                return false;
            }
        }

        return true;
    }

    private static Mood ArgMax(ReadOnlySpan<double> p)
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

    private readonly record struct WindowRecord(double Centre, float Valence, float Arousal);

    private readonly record struct Candidate(double From, double To, double Strength, BoundaryEvidence Source);
}
