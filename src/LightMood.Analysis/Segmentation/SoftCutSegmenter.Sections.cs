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
    /// moves that start when the current section rests on weaker evidence: a spectral step or a contrast alone, or a
    /// smaller embedding change (one heard at the start itself counts: <see cref="ExplainedByCurrentSection"/>), and the
    /// new step is at least MoveStepRatio of the start's (a large step is not given up for a small one).
    /// </summary>
    private void StartSection(double time, BoundaryEvidence evidence, double stepDb, double embeddingDistance = 0)
    {
        time = _dips.AtDip(time, _frames.Count);
        if (_silentRegion || _silence.QuietPending || time < _silenceEnd || Math.Abs(time - _sectionStart) < SameBoundarySeconds)
        {
            return;
        }

        if (time < _sectionStart + _options.MinSectionSeconds)
        {
            if (!(embeddingDistance > 0) || !MayMoveSection(time, embeddingDistance, stepDb))
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
    /// Whether an embedding change over the gap [gapStart, gapEnd] is the current section's own start seen again (it lies
    /// within <see cref="ExplainedSeconds"/> of the gap) with a step no larger than its own.
    /// </summary>
    private bool ExplainedByCurrentSection(double gapStart, double gapEnd, double stepDb) =>
        _sectionCount > 1 && _sectionStart >= gapStart - ExplainedSeconds && _sectionStart <= gapEnd + ExplainedSeconds && stepDb <= _sectionStep;

    /// <summary>Whether the current section's start may move to <paramref name="time"/> for an embedding change of <paramref name="embeddingDistance"/> (see <see cref="StartSection"/>).</summary>
    private bool MayMoveSection(double time, double embeddingDistance, double stepDb) =>
        _sectionCount > 1
        && (_sectionEvidence is BoundaryEvidence.SpectralNovelty or BoundaryEvidence.TonalNovelty or BoundaryEvidence.EnergyContrast or BoundaryEvidence.TempoContrast
            || _sectionEvidence == BoundaryEvidence.EmbeddingChange)
        && embeddingDistance > _sectionDistance
        && stepDb >= _options.MoveStepRatio * _sectionStep
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

        var boundary = new SectionBoundary(time, Now(), evidence, stepDb, silent);
        if (_collect)
        {
            _sectionLog.Add(boundary);
            _liveConfirmed.Add(double.NaN);
        }

        SectionStarted?.Invoke(boundary);
    }
}
