namespace LightMood.Analysis.Dsp;

/// <summary>
/// Onset rate and tempo contrast, the paper's eq. 3.7 and 3.8: consecutive onsets are grouped M at a time; group l
/// spans t_l seconds (from its first onset to the next group's first onset) and has rate γ_l = M / t_l onsets per
/// second; the tempo contrast γ_{l+1}/γ_l jumps when outside [0.8, 1.2].
/// </summary>
/// <remarks>
/// Streaming: <see cref="Push"/> one onset time at a time. Runs of consecutive out-of-band contrasts in one direction
/// are one change (<see cref="ContrastDetector"/>); the change is placed at the first onset of the group after the
/// run's first ratio. Matches <c>rate_groups()</c>/<c>changes()</c> in tools/reference/make_goldens.py. Allocation-free.
/// </remarks>
public sealed class OnsetRate
{
    private const int History = 64;
    private readonly double[] _groupStarts = new double[History];
    private readonly ContrastDetector _contrast;
    private double _groupStart = double.NaN;
    private int _inGroup;
    private int _groups;

    public OnsetRate(int onsetsPerGroup = 8, double low = 0.8, double high = 1.2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(onsetsPerGroup, 1);
        OnsetsPerGroup = onsetsPerGroup;
        _contrast = new ContrastDetector(low, high, 1e-9);
    }

    /// <summary>M, onsets per group.</summary>
    public int OnsetsPerGroup { get; }

    /// <summary>γ of the last completed group, onsets per second (0 before the first).</summary>
    public double LastRate { get; private set; }

    /// <summary>Index of the last completed group (−1 before the first).</summary>
    public int LastGroup => _groups - 1;

    /// <summary>
    /// Takes the next onset time (seconds, increasing). Returns true when a group completes, with γ_l in
    /// <paramref name="rate"/>; <paramref name="changed"/> is true when this completion ends a tempo-contrast change,
    /// placed at <paramref name="changeSeconds"/>.
    /// </summary>
    public bool Push(double onsetSeconds, out double rate, out bool changed, out ContrastChange change, out double changeSeconds)
    {
        rate = 0;
        changed = false;
        change = default;
        changeSeconds = double.NaN;
        if (double.IsNaN(_groupStart))
        {
            _groupStart = onsetSeconds;
            _inGroup = 0;
            return false;
        }

        if (++_inGroup < OnsetsPerGroup)
        {
            return false;
        }

        var span = onsetSeconds - _groupStart;
        rate = span > 0 ? OnsetsPerGroup / span : 0;
        _groupStarts[_groups % History] = _groupStart;
        _groups++;
        _groupStarts[_groups % History] = onsetSeconds;
        LastRate = rate;
        _groupStart = onsetSeconds;
        _inGroup = 0;
        if (_contrast.Push(rate, out change))
        {
            changed = true;
            changeSeconds = GroupStart(change.First + 1);
        }

        return true;
    }

    /// <summary>Ends the stream: reports a change still open.</summary>
    public bool Flush(out ContrastChange change, out double changeSeconds)
    {
        changeSeconds = double.NaN;
        if (_contrast.Flush(out change))
        {
            changeSeconds = GroupStart(change.First + 1);
            return true;
        }

        return false;
    }

    /// <summary>Restarts grouping at the next onset (after silence: a pause is not a slow tempo).</summary>
    public void RestartGroup()
    {
        _groupStart = double.NaN;
        _inGroup = 0;
    }

    private double GroupStart(int group) => group <= _groups && group > _groups - History ? _groupStarts[group % History] : double.NaN;
}
