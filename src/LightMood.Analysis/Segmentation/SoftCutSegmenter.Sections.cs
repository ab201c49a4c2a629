using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>The section layer: structural boundaries from the spectral and tonal steps, the confirmed contrasts and the embedding changes.</summary>
public sealed partial class SoftCutSegmenter
{
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
    /// moves that start when the current section rests on weaker evidence: a spectral step or a contrast alone, a sustained
    /// posterior change (placed by the labels, not the audio), or a smaller embedding change (one heard at the start itself
    /// counts: <see cref="ExplainedByCurrentSection"/>), and the new step is at least MoveStepRatio of the start's (a large
    /// step is not given up for a small one). A start the level dips placed at a quiet point (a fade join: one piece faded
    /// out and the next in) is never moved, and such a join, from any cue, moves a start closer than MinSectionSeconds
    /// before it that rests on a step, a contrast or a posterior change alone (<see cref="MayMoveToJoin"/>).
    /// </summary>
    private void StartSection(double time, BoundaryEvidence evidence, double stepDb, double embeddingDistance = 0)
    {
        var stepTime = time;
        time = _dips.AtDip(stepTime, _frames.Count, out var dipDepth);
        var atJoin = time != stepTime;
        if (_silentRegion || _silence.QuietPending || time < _silenceEnd)
        {
            return;
        }

        if (atJoin && IsOwnStepAtGap(stepTime, time, dipDepth))
        {
            // the start's own step, found again now that the gap after it has been heard: the join is the gap
            MoveSection(time, _sectionEvidence, _sectionStep, Math.Max(embeddingDistance, _sectionDistance), atJoin);
            return;
        }

        if (Math.Abs(time - _sectionStart) < SameBoundarySeconds)
        {
            // the current start found again: an embedding change there is heard at it
            HeardAtSectionStart(embeddingDistance);
            return;
        }

        if (time < _sectionStart + _options.MinSectionSeconds)
        {
            if (atJoin && MayMoveToJoin(time, stepTime))
            {
                MoveSection(time, evidence, stepDb, embeddingDistance, atJoin);
                return;
            }

            if (!(embeddingDistance > 0) || !MayMoveSection(time, embeddingDistance, stepDb))
            {
                return;
            }

            MoveSection(time, evidence, stepDb, embeddingDistance, atJoin);
            return;
        }

        OpenSection(time, evidence, stepDb, embeddingDistance: embeddingDistance, atJoin: atJoin);
        if (_mood is not null)
        {
            FollowSection();
        }
    }

    /// <summary>
    /// Whether an embedding change over the gap [gapStart, gapEnd] is the current section's own start seen again (it lies
    /// within <see cref="ExplainedSeconds"/> of the gap) with a step no larger than its own: the wide step
    /// (<see cref="WideStepAt"/>) when the change was placed by it, else D.
    /// </summary>
    private bool ExplainedByCurrentSection(double gapStart, double gapEnd, double stepDb, double wideDb) =>
        _sectionCount > 1 && _sectionStart >= gapStart - ExplainedSeconds && _sectionStart <= gapEnd + ExplainedSeconds
        && (wideDb > 0 ? WideStepAt(_melCurve.LastSplitAtOrBefore(_sectionStart + (_frameSeconds / 2))) >= wideDb : stepDb <= _sectionStep);

    /// <summary>
    /// An embedding change of <paramref name="embeddingDistance"/> heard at the current section's start: a later, smaller
    /// one must not move it, and the offline labelling reads the start as a change of piece when it is large.
    /// </summary>
    private void HeardAtSectionStart(double embeddingDistance)
    {
        if (_sectionCount <= 1 || !(embeddingDistance > _sectionDistance))
        {
            return;
        }

        _sectionDistance = embeddingDistance;
        if (_collect)
        {
            _sectionLog[^1] = _sectionLog[^1] with { EmbeddingDistance = embeddingDistance };
        }
    }

    /// <summary>
    /// Where an embedding change over [<paramref name="fromSeconds"/>, <paramref name="toSeconds"/>] is placed: among the
    /// peaks of the spectral step D there that are real steps (≥ MinNovelty and the recent mean), the one with the largest
    /// wide step (<see cref="WideStepAt"/>): a change of piece or part separates a longer context as well, a hit or a
    /// fill inside one piece does not; without a wide step (WideStepFrames 0, or its frames not held), the largest D. A
    /// peak the level dips would move to a quiet point (a fade join) goes first: a fade-in's quiet start skews the wide
    /// step after a join. <paramref name="wideDb"/> is the chosen peak's wide step (0 without one).
    /// </summary>
    private bool TryPlaceChange(double fromSeconds, double toSeconds, out double split, out float stepDb, out float wideDb)
    {
        split = double.NaN;
        stepDb = wideDb = 0;
        if (_melCurve.IsEmpty)
        {
            return false;
        }

        var mean = _melCurve.Mean;
        var last = Math.Min(_melCurve.Newest, _melCurve.LastSplitAtOrBefore(toSeconds));
        long best = -1, widest = -1, join = -1;
        var joinWide = 0f;
        for (var f = Math.Max(_melCurve.Oldest, _melCurve.FirstSplitAtOrAfter(fromSeconds)); f <= last; f++)
        {
            var d = _melCurve[f];
            if (d < _options.MinNovelty || d < mean || !_melCurve.IsPeak(f, PeakFrames))
            {
                continue;
            }

            if (best < 0 || d > stepDb)
            {
                best = f;
                stepDb = d;
            }

            var wide = WideStepAt(f);
            if (wide > wideDb)
            {
                widest = f;
                wideDb = wide;
            }

            var time = _melCurve.TimeOf(f);
            if ((join < 0 || wide > joinWide) && _dips.AtDip(time, _frames.Count) != time)
            {
                join = f;
                joinWide = wide;
            }
        }

        if (join >= 0)
        {
            (widest, wideDb) = (join, joinWide);
        }

        if (widest >= 0)
        {
            best = widest;
            stepDb = _melCurve[widest];
        }

        split = best >= 0 ? _melCurve.Refine(best) : double.NaN;
        return best >= 0;
    }

    /// <summary>The step D over WideStepFrames frames each side of a split (0 when off or its frames are not held).</summary>
    private float WideStepAt(long split)
    {
        var k = _options.WideStepFrames;
        return _wideNovelty is not null && split - k >= _frames.Oldest && split + k <= _frames.Count ? _wideNovelty.Process(_frames, split) : 0;
    }

    /// <summary>
    /// Whether a step at <paramref name="stepSeconds"/> that the level dips placed at a fade join (<paramref name="time"/>)
    /// may move the current section's start there: that start rests on a step, a contrast or a sustained posterior change
    /// alone (often the end of the piece that fades out: its last chord, its fade's onset), not on an embedding change
    /// or another join, and the step is not that start's own, found again. A start on a step of at least JoinKeepRatio
    /// times the recent mean step stays: a step that large is the change itself, and the quiet point after it the next
    /// piece's quiet start.
    /// </summary>
    private bool MayMoveToJoin(double time, double stepSeconds) =>
        CanMoveStartTo(time)
        && !(_options.JoinKeepRatio > 0 && _sectionStep >= _options.JoinKeepRatio * _melCurve.Mean)
        && SectionRestsOnCueAlone
        && stepSeconds >= _sectionStart + SameBoundarySeconds;

    /// <summary>
    /// Whether a step at <paramref name="stepSeconds"/>, placed at a dip <paramref name="depthDb"/> deep at
    /// <paramref name="time"/>, is the current section's own start found again with a gap between two pieces after it
    /// (<see cref="LevelDips.GapDepthDb"/>). A step is found as soon as its frames are held, the dip only once 0.23 s after
    /// it has been heard: where one track fades out and the next begins after a moment of silence, the spectrum steps
    /// at the fade-out's start, 0.2–0.3 s before the join, and the start goes to the join when its step is found again
    /// (by a contrast or another cue). A quiet moment inside a piece (shallower) never moves it this way.
    /// </summary>
    private bool IsOwnStepAtGap(double stepSeconds, double time, double depthDb) =>
        depthDb >= LevelDips.GapDepthDb
        && Math.Abs(stepSeconds - _sectionStart) < SameBoundarySeconds
        && Math.Abs(time - _sectionStart) >= SameBoundarySeconds
        && CanMoveStartTo(time);

    /// <summary>Whether the current section's start may move to <paramref name="time"/> for an embedding change of <paramref name="embeddingDistance"/> (see <see cref="StartSection"/>).</summary>
    private bool MayMoveSection(double time, double embeddingDistance, double stepDb) =>
        CanMoveStartTo(time)
        && (SectionRestsOnCueAlone || _sectionEvidence == BoundaryEvidence.EmbeddingChange)
        && embeddingDistance > _sectionDistance
        && stepDb >= _options.MoveStepRatio * _sectionStep;

    /// <summary>
    /// What any move of the current section's start needs: a start to move (not the first), not one a fade join placed,
    /// and <paramref name="time"/> at least MinSectionSeconds after the section before and after the last silence.
    /// </summary>
    private bool CanMoveStartTo(double time) =>
        _sectionCount > 1 && !_sectionAtJoin && time >= _previousSectionStart + _options.MinSectionSeconds && time > _silenceEnd;

    /// <summary>The current section rests on a step, a contrast or a sustained posterior change alone (no embedding change, no silence edge).</summary>
    private bool SectionRestsOnCueAlone =>
        _sectionEvidence is BoundaryEvidence.SpectralNovelty or BoundaryEvidence.TonalNovelty or BoundaryEvidence.EnergyContrast or BoundaryEvidence.TempoContrast
            or BoundaryEvidence.SustainedPosterior;

    private void MoveSection(double time, BoundaryEvidence evidence, double stepDb, double embeddingDistance, bool atJoin)
    {
        if (_collect)
        {
            _sectionLog.RemoveAt(_sectionLog.Count - 1);
            _liveConfirmed.RemoveAt(_liveConfirmed.Count - 1);
        }

        _sectionCount--;
        _sectionStart = _previousSectionStart;
        OpenSection(time, evidence, stepDb, embeddingDistance: embeddingDistance, atJoin: atJoin);
        if (_mood is not null)
        {
            FollowSection();
        }
    }

    private void OpenSection(double time, BoundaryEvidence evidence, double stepDb, bool silent = false, double embeddingDistance = 0, bool atJoin = false)
    {
        _sectionAtJoin = atJoin;
        _previousSectionStart = _sectionStart;
        _sectionStart = time;
        _sectionDistance = embeddingDistance;
        _sectionEvidence = evidence;
        _sectionStep = stepDb;
        _sectionCount++;
        _provisionalPending = !_collect && !silent && _options.ProvisionalSeconds > 0;
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

        var boundary = new SectionBoundary(time, Now(), evidence, stepDb, silent, embeddingDistance);
        if (_collect)
        {
            _sectionLog.Add(boundary);
            _liveConfirmed.Add(double.NaN);
        }

        SectionStarted?.Invoke(boundary);
    }
}
