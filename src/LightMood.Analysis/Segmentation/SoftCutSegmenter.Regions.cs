using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>The mood-region layer: the live label following the sections, sustained changes, confirmed boundaries and the silence regions.</summary>
public sealed partial class SoftCutSegmenter
{
    /// <summary>
    /// A sustained change: SustainWindows windows in a row whose most likely mood beats the live mood by Margin start a
    /// section at the largest spectral step from half a window before the first of them, with their mood.
    /// </summary>
    private void FollowSustainedChange(Mood mood, float[] p, double startSeconds, double endSeconds, double centre)
    {
        // the most likely mood differs from the live mood by the margin, window after window
        var best = MoodNames.MostLikely(p);
        var margin = p[(int)best] - p[(int)mood];
        if (best == mood || margin < _options.Margin || _silence.QuietPending)
        {
            _sustained.Reset();
            return;
        }

        _sustained.Add(best, startSeconds, endSeconds, centre);
        // the posterior lags the audio: the change may lie up to half a window before the first disagreeing window
        var earliest = Math.Max(Math.Max(_regionStart + _options.MinRegionSeconds, _sectionStart + _options.MinSectionSeconds),
            _sustained.EarliestSeconds);
        if (_sustained.Count >= _options.SustainWindows && earliest <= _sustained.EndSeconds && _now - _moodSince >= _options.MinHoldSeconds)
        {
            var stepped = _melCurve.TryBestPeak(earliest, _sustained.EndSeconds, PeakFrames, out var split, out var strength) && strength >= _options.MinNovelty;
            var time = stepped ? _melCurve.TimeOf(split) : Math.Max(earliest, _sustained.CentreSeconds);
            var step = stepped ? strength : 0;
            OpenSection(time, BoundaryEvidence.SustainedPosterior, step);
            Confirm(time, best, BoundaryEvidence.SustainedPosterior, step);
        }
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
            _sustained.Reset();
        }

        return true;
    }

    /// <summary>
    /// Live: the frames of the current section for its provisional window, once <c>ProvisionalSeconds</c> of it have
    /// been heard (at most a window's worth from its start, at least a quarter second): <see cref="MusicAnalyzer"/>
    /// tiles them into one window for the estimator and gives the estimate to <see cref="AddProvisional"/>. Asked again
    /// every <c>ProvisionalStepSeconds</c> as the section grows (its longer start tiled), until a window's worth of it
    /// has been asked, while the section is not yet a mood boundary: a change the first second does not name by the
    /// margin may be named a second later rather than by the whole windows. An ask that could change nothing (the
    /// section began its region, the hold is not over, the latest frames are quiet) runs no estimator. Never for a
    /// collecting (offline) segmenter, whose labels come from all the windows.
    /// </summary>
    public bool TryProvisionalWindow(out long firstFrame, out int frames)
    {
        firstFrame = 0;
        frames = 0;
        if (!_provisionalPending)
        {
            return false;
        }

        if (_silentRegion)
        {
            _provisionalPending = false;
            return false;
        }

        if (_provisionalSection != _sectionCount || _provisionalStart != _sectionStart)
        {
            // a new section (or the current one moved): its asks start afresh
            _provisionalSection = _sectionCount;
            _provisionalStart = _sectionStart;
            _provisionalDue = _sectionStart + _options.ProvisionalSeconds;
        }

        var now = Now();
        if (now < _provisionalDue)
        {
            return false;
        }

        firstFrame = Math.Max(_frames.Oldest, (long)Math.Ceiling((_sectionStart - _frameOffsetSeconds) / _frameSeconds));
        frames = (int)Math.Min(MoodWindow.Frames, _frames.Count - firstFrame);
        var step = _options.ProvisionalStepSeconds;
        if (step > 0 && frames < MoodWindow.Frames)
        {
            while (_provisionalDue <= now)
            {
                _provisionalDue += step;
            }
        }
        else
        {
            _provisionalPending = false;
        }

        if (!(_sectionStart > _regionStart) || _mood is null)
        {
            // the section began its region: its whole windows revise the label
            _provisionalPending = false;
            return false;
        }

        return frames >= MinProvisionalFrames && !_silence.QuietPending && Math.Max(_now, now) - _moodSince >= _options.MinHoldSeconds;
    }

    /// <summary>
    /// Live: the estimate of the current section's first seconds tiled into one window (<see cref="TryProvisionalWindow"/>).
    /// When its most likely mood beats the live mood by Margin, the section inside the region is a mood boundary now
    /// (with the minimum hold, as ever) rather than when whole windows inside it agree; the section's later windows
    /// may revise the label as for a section that began its region.
    /// </summary>
    public void AddProvisional(MoodEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (_silentRegion || _silence.QuietPending || _mood is not { } mood || !(_sectionStart > _regionStart))
        {
            return;
        }

        _now = Math.Max(_now, Now());
        var p = estimate.Probabilities;
        var label = MoodNames.MostLikely(p);
        if (_now - _moodSince < _options.MinHoldSeconds || label == mood || p[(int)label] - p[(int)mood] < _options.Margin)
        {
            return;
        }

        Confirm(_sectionStart, label, _sectionEvidence, _sectionStep);

        // until the section's next whole window, the state's confidence, valence and arousal are this estimate's: the
        // last whole window still holds the old mood's (the page would show "0.00" for the mood it names)
        p.CopyTo(_lastProbabilities, 0);
        _lastValence = estimate.Valence;
        _lastArousal = estimate.Arousal;
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
        _sustained.Reset();
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
        _sustained.Reset();
    }
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
}
