namespace LightMood.Analysis.Segmentation;

/// <summary>A contrast jump refined to the spectral step that backs it.</summary>
/// <param name="TimeSeconds">Where the step is (a refined split of the novelty curve).</param>
/// <param name="StepDb">The spectral step D there (dB).</param>
/// <param name="Source">The contrast that pointed at it.</param>
public readonly record struct ConfirmedCandidate(double TimeSeconds, double StepDb, BoundaryEvidence Source);

/// <summary>
/// Candidate confirmation: contrast jumps (energy eq. 3.5/3.6, tempo eq. 3.8) each point at a span of audio; once the
/// novelty curve covers a span (and <see cref="PeakRadius"/> splits beyond it), the candidate is refined to the largest
/// peak of the spectral step in it, and kept only when that step is at least <see cref="MinStepDb"/> and
/// <see cref="StepRatio"/> times the curve's recent mean. Music changes its loudness all the time; a change of piece or
/// section also changes its spectrum. Allocation-free after construction.
/// </summary>
public sealed class CandidateConfirmation
{
    private readonly (double From, double To, BoundaryEvidence Source)[] _pending;
    private int _count;

    /// <param name="capacity">Pending candidates held; when full, the oldest gives way.</param>
    /// <param name="peakRadius">Splits on each side a step must dominate.</param>
    /// <param name="minStepDb">Smallest step (dB) that confirms a candidate.</param>
    /// <param name="stepRatio">A confirmed step is at least this many times the curve's mean.</param>
    public CandidateConfirmation(int capacity, int peakRadius, double minStepDb, double stepRatio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(peakRadius);
        _pending = new (double, double, BoundaryEvidence)[capacity];
        PeakRadius = peakRadius;
        MinStepDb = minStepDb;
        StepRatio = stepRatio;
    }

    public int PeakRadius { get; }

    public double MinStepDb { get; }

    public double StepRatio { get; }

    /// <summary>Candidates waiting for the curve to cover their span.</summary>
    public int Pending => _count;

    /// <summary>A contrast jump pointing at a change somewhere in [fromSeconds, toSeconds].</summary>
    public void Add(double fromSeconds, double toSeconds, BoundaryEvidence source)
    {
        if (!(toSeconds >= fromSeconds))
        {
            throw new ArgumentException($"A candidate span ends ({toSeconds}) before it starts ({fromSeconds}).", nameof(toSeconds));
        }

        if (_count == _pending.Length)
        {
            Array.Copy(_pending, 1, _pending, 0, _pending.Length - 1);
            _count--;
        }

        _pending[_count++] = (fromSeconds, toSeconds, source);
    }

    /// <summary>
    /// Resolves the next pending candidate the curve now covers: true with <paramref name="outcome"/> set and
    /// <paramref name="confirmed"/> saying whether its step sufficed; false when none is ready. Call until false.
    /// </summary>
    public bool TryResolve(NoveltyCurve curve, out ConfirmedCandidate outcome, out bool confirmed)
    {
        ArgumentNullException.ThrowIfNull(curve);
        outcome = default;
        confirmed = false;
        for (var i = 0; i < _count; i++)
        {
            var (from, to, source) = _pending[i];
            if (curve.IsEmpty || curve.LastSplitAtOrBefore(to) + PeakRadius > curve.Newest)
            {
                continue;
            }

            Array.Copy(_pending, i + 1, _pending, i, _count - i - 1);
            _count--;
            if (curve.TryBestPeak(from, to, PeakRadius, out var split, out var step))
            {
                outcome = new ConfirmedCandidate(curve.TimeOf(split), step, source);
                confirmed = step >= MinStepDb && step >= StepRatio * curve.Mean;
            }

            return true;
        }

        return false;
    }
}
