namespace LightMood.Analysis.Dsp;

/// <summary>
/// A change found by a <see cref="ContrastDetector"/>: a maximal run of consecutive out-of-band ratios in one direction.
/// </summary>
/// <param name="First">Index t of the first out-of-band ratio r_t = v_{t+1}/v_t (the change starts after value t).</param>
/// <param name="Last">Index of the last out-of-band ratio of the run (equals <paramref name="First"/> for a step).</param>
/// <param name="Direction">+1 for a rise (ratios above the band), −1 for a fall.</param>
/// <param name="Ratio">Product of the run's ratios: the whole change, (v_{Last+1}+ε)/(v_First+ε).</param>
public readonly record struct ContrastChange(int First, int Last, int Direction, double Ratio)
{
    /// <summary>Size of the change in decibels of the contrasted quantity, 10·log10(Ratio) (signed).</summary>
    public double Decibels => 10 * Math.Log10(Ratio);
}

/// <summary>
/// Contrast of consecutive values and its jumps: the paper's energy contrast z_t = E_{t+1}/E_t with jumps outside
/// [0.6, 1.4] (eq. 3.5, 3.6) and tempo contrast γ_{l+1}/γ_l with jumps outside [0.8, 1.2] (eq. 3.8).
/// </summary>
/// <remarks>
/// Ratios are taken as (v_{t+1} + ε)/(v_t + ε) so that silence (0/0) reads as "no change" and the first sound after
/// silence reads as a large rise. The paper notes that a gradual change gives several consecutive out-of-band ratios;
/// they are one change, not many: consecutive out-of-band ratios in the same direction form one
/// <see cref="ContrastChange"/>, reported when the run ends (the next in-band or opposite ratio, or <see cref="Flush"/>).
/// Matches <c>changes()</c> in tools/reference/make_goldens.py. Allocation-free.
/// </remarks>
public sealed class ContrastDetector
{
    /// <summary>Band of the energy contrast, eq. 3.6.</summary>
    public static readonly (double Low, double High) EnergyBand = (0.6, 1.4);

    /// <summary>Band of the tempo contrast, eq. 3.8.</summary>
    public static readonly (double Low, double High) TempoBand = (0.8, 1.2);

    private double _previous;
    private bool _hasPrevious;
    private int _index = -1;
    private int _runFirst;
    private int _runLast;
    private int _runDirection;
    private double _runRatio;

    public ContrastDetector(double low, double high, double epsilon = 1e-10)
    {
        if (!(low > 0 && low < 1 && high > 1) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(low), "The band must satisfy 0 < low < 1 < high and ε ≥ 0.");
        }

        Low = low;
        High = high;
        Epsilon = epsilon;
    }

    public double Low { get; }

    public double High { get; }

    public double Epsilon { get; }

    /// <summary>The last ratio r_t computed by <see cref="Push"/> (1 before the second value).</summary>
    public double LastRatio { get; private set; } = 1;

    /// <summary>Index t of <see cref="LastRatio"/>.</summary>
    public int LastIndex => _index;

    /// <summary>Batch eq. 3.5: ratios[t] = (values[t+1]+ε)/(values[t]+ε) for t = 0..n−2.</summary>
    public void Ratios(ReadOnlySpan<float> values, Span<float> ratios)
    {
        if (values.Length < 2)
        {
            return;
        }

        if (ratios.Length < values.Length - 1)
        {
            throw new ArgumentException($"The output needs {values.Length - 1} values.", nameof(ratios));
        }

        for (var t = 0; t + 1 < values.Length; t++)
        {
            ratios[t] = (float)Ratio(values[t], values[t + 1]);
        }
    }

    /// <summary>Direction of one ratio against the band: +1 above, −1 below, 0 inside (eq. 3.6 / 3.8).</summary>
    public int Classify(double ratio) => ratio > High ? 1 : ratio < Low ? -1 : 0;

    /// <summary>
    /// Streaming: takes the next value v; when a run of out-of-band ratios ends with this value, returns true and
    /// the finished change.
    /// </summary>
    public bool Push(double value, out ContrastChange change)
    {
        change = default;
        if (!_hasPrevious)
        {
            _previous = value;
            _hasPrevious = true;
            return false;
        }

        var r = Ratio(_previous, value);
        _previous = value;
        _index++;
        LastRatio = r;
        var d = Classify(r);
        if (d != 0 && _runDirection == d && _runLast == _index - 1)
        {
            _runLast = _index;
            _runRatio *= r;
            return false;
        }

        var finished = Flush(out change);
        if (d != 0)
        {
            _runFirst = _index;
            _runLast = _index;
            _runDirection = d;
            _runRatio = r;
        }

        return finished;
    }

    /// <summary>Ends an open run (end of stream): returns true and the change if one was open.</summary>
    public bool Flush(out ContrastChange change)
    {
        if (_runDirection == 0)
        {
            change = default;
            return false;
        }

        change = new ContrastChange(_runFirst, _runLast, _runDirection, _runRatio);
        _runDirection = 0;
        return true;
    }

    /// <summary>Whether a run is open (out-of-band ratios seen, the run not yet ended).</summary>
    public bool RunOpen => _runDirection != 0;

    /// <summary>Whether the last <see cref="Push"/> opened a run (its ratio is the first out-of-band one): an early warning, before the run ends.</summary>
    public bool RunStarted => _runDirection != 0 && _runFirst == _index;

    private double Ratio(double before, double after) => (after + Epsilon) / (before + Epsilon);
}
