using System.Numerics;
using System.Runtime.CompilerServices;
namespace LightMood.Analysis.Dsp;

/// <summary>Settings of <see cref="TempoTracker"/>.</summary>
/// <param name="MinBpm">Slowest tempo considered.</param>
/// <param name="MaxBpm">Fastest tempo considered.</param>
/// <param name="WindowSeconds">Onset-strength history the autocorrelation reads (re-lock time is about half of it).</param>
/// <param name="UpdateSeconds">Time between tempo/phase updates.</param>
/// <param name="PriorBpm">Centre of the log-normal tempo prior that settles octave ambiguity.</param>
/// <param name="PriorOctaves">Width (σ, in octaves) of that prior.</param>
/// <param name="MinMeanStrength">Below this mean onset strength the input is silence: no tempo, no beats.</param>
/// <param name="MinClarity">Below this normalised comb score the input has no pulse: no tempo, no beats.</param>
public sealed record TempoTrackerOptions(
    double MinBpm = 60,
    double MaxBpm = 200,
    double WindowSeconds = 6,
    double UpdateSeconds = 0.5,
    double PriorBpm = 120,
    double PriorOctaves = 1.0,
    double MinMeanStrength = 0.1,
    double MinClarity = 0.15)
{
    public static TempoTrackerOptions Default { get; } = new();
}

/// <summary>
/// Causal tempo and beat tracking on an onset-strength function (one value per frame, e.g.
/// <see cref="WaveletOnsetDetector"/>): tempo from a comb over the autocorrelation of the recent onset strength, beat
/// phase from the onset strength at the tempo's period, beats emitted as the stream reaches them.
/// </summary>
/// <remarks>
/// Every <c>UpdateSeconds</c> the last <c>WindowSeconds</c> of onset strength o (its ±0.25 s moving average removed,
/// recent frames weighted up) give r(τ) = Σ_t o(t)·o(t+τ)/(n−τ); the period is argmax_τ P(τ)·Σ_{m=1..3} r(m·τ) over [60/MaxBpm,
/// 60/MinBpm] seconds on a 0.05-frame grid (r interpolated linearly), P a log-normal prior around PriorBpm. The beat
/// phase maximises the onset strength summed at now − φ − k·τ. A beat is emitted when the stream passes the next
/// predicted beat; after an update the prediction follows the new phase (never two beats closer than τ/2). Silence
/// (mean strength over the window or over its last 2 s below MinMeanStrength) or no pulse (comb score below MinClarity·3·r(0)) clears the tempo and stops
/// beats. Allocation-free after construction; not thread-safe.
/// </remarks>
public sealed class TempoTracker
{
    private const int Multiples = 3;
    private const double GridStep = 0.05;
    private const double RecentSeconds = 2.0;
    private const double DetrendSeconds = 0.25;

    private readonly TempoTrackerOptions _options;
    private readonly float[] _ring;
    private readonly double[] _window;
    private readonly double[] _acf;
    private readonly int _updateFrames;
    private readonly double _minLag;
    private readonly double _maxLag;
    private long _frames;
    private double _period;
    private double _nextBeat = double.NaN;
    private double _lastBeat = double.NaN;
    private double _strengthPeak = 1e-6;

    public TempoTracker(double framesPerSecond, TempoTrackerOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerSecond);
        _options = options ?? TempoTrackerOptions.Default;
        if (_options.MinBpm <= 0 || _options.MaxBpm <= _options.MinBpm)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Need 0 < MinBpm < MaxBpm.");
        }

        FramesPerSecond = framesPerSecond;
        _minLag = framesPerSecond * 60 / _options.MaxBpm;
        _maxLag = framesPerSecond * 60 / _options.MinBpm;
        var length = (int)Math.Round(_options.WindowSeconds * framesPerSecond);
        if (length < (Multiples * _maxLag) + 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"WindowSeconds must cover {Multiples} periods of MinBpm.");
        }

        _ring = new float[length];
        _window = new double[length];
        _acf = new double[(int)Math.Ceiling(Multiples * _maxLag) + 2];
        _updateFrames = Math.Max(1, (int)Math.Round(_options.UpdateSeconds * framesPerSecond));
    }

    public double FramesPerSecond { get; }

    /// <summary>The current tempo, or null on silence / no pulse / not enough history yet.</summary>
    public double? TempoBpm { get; private set; }

    /// <summary>Frames pushed so far.</summary>
    public long Frames => _frames;

    /// <summary>
    /// Takes the onset strength of the next frame. Returns true when a beat falls on this frame, with its frame
    /// position (fractional, in onset-strength frames), the tempo and a strength in [0, 1].
    /// </summary>
    public bool Push(float onsetStrength, out double beatFrame, out double strength)
    {
        beatFrame = double.NaN;
        strength = 0;
        var u = _frames++;
        _ring[u % _ring.Length] = onsetStrength;
        _strengthPeak = Math.Max(_strengthPeak * 0.999, onsetStrength);

        if (_frames % _updateFrames == 0 && _frames >= _ring.Length / 2)
        {
            Update();
        }

        if (TempoBpm is null || double.IsNaN(_nextBeat) || u < _nextBeat)
        {
            return false;
        }

        beatFrame = _nextBeat;
        _lastBeat = _nextBeat;
        _nextBeat += _period;
        var near = (long)Math.Round(beatFrame);
        var peak = 0f;
        for (var i = Math.Max(0, near - 2); i <= Math.Min(u, near + 2); i++)
        {
            if (u - i < _ring.Length)
            {
                peak = Math.Max(peak, _ring[i % _ring.Length]);
            }
        }

        strength = Math.Clamp(peak / _strengthPeak, 0, 1);
        return true;
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        Array.Clear(_ring);
        _frames = 0;
        TempoBpm = null;
        _nextBeat = double.NaN;
        _lastBeat = double.NaN;
        _strengthPeak = 1e-6;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    private void Update()
    {
        var n = (int)Math.Min(_frames, _ring.Length);
        var start = _frames - n;
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += _ring[(start + i) % _ring.Length];
        }

        mean /= n;
        var recent = Math.Min(n, (int)Math.Round(RecentSeconds * FramesPerSecond));
        var recentMean = 0.0;
        for (var i = n - recent; i < n; i++)
        {
            recentMean += _ring[(start + i) % _ring.Length];
        }

        recentMean /= recent;
        if (mean < _options.MinMeanStrength || recentMean < _options.MinMeanStrength)
        {
            ClearTempo();
            return;
        }

        // detrend: subtract a ±DetrendSeconds moving average, so slow swells (a pad fading in and out) are no pulse
        var half = Math.Max(1, (int)Math.Round(DetrendSeconds * FramesPerSecond));
        double running = 0;
        int lo = 0, hi = -1;
        for (var i = 0; i < n; i++)
        {
            while (hi < Math.Min(n - 1, i + half))
            {
                running += _ring[(start + ++hi) % _ring.Length];
            }

            while (lo < i - half)
            {
                running -= _ring[(start + lo++) % _ring.Length];
            }

            var local = running / (hi - lo + 1);
            var weight = 0.5 + (0.5 * i / n);
            _window[i] = (_ring[(start + i) % _ring.Length] - local) * weight;
        }

        var maxLag = Math.Min(_acf.Length - 1, n - 1);
        Autocorrelation(_window.AsSpan(0, n), _acf.AsSpan(0, maxLag + 1));

        if (_acf[0] <= 0)
        {
            ClearTempo();
            return;
        }

        var best = double.NegativeInfinity;
        var bestLag = 0.0;
        var bestComb = 0.0;
        for (var lag = _minLag; lag <= _maxLag; lag += GridStep)
        {
            if ((Multiples * lag) + 1 > maxLag)
            {
                break;
            }

            var comb = 0.0;
            for (var m = 1; m <= Multiples; m++)
            {
                comb += Interpolate(m * lag);
            }

            var octaves = Math.Log2(FramesPerSecond * 60 / lag / _options.PriorBpm) / _options.PriorOctaves;
            var score = comb * Math.Exp(-0.5 * octaves * octaves);
            if (score > best)
            {
                best = score;
                bestLag = lag;
                bestComb = comb;
            }
        }

        if (bestLag <= 0 || bestComb < _options.MinClarity * Multiples * _acf[0])
        {
            ClearTempo();
            return;
        }

        _period = bestLag;
        TempoBpm = FramesPerSecond * 60 / bestLag;
        UpdatePhase(n);
    }

    /// <summary>
    /// r(τ) = Σ_t x(t)·x(t+τ)/(n−τ) for τ = 0..acf.Length−1. Several lags at once, one per vector lane: each lane sums
    /// its products in the order t = 0, 1, … of the plain loop (then finishes its own tail), so r is the same number.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Autocorrelation(ReadOnlySpan<double> x, Span<double> acf)
    {
        if (acf.Length > x.Length)
        {
            throw new ArgumentException($"{x.Length} values give at most {x.Length} lags; {acf.Length} were asked for.", nameof(acf));
        }

        var n = x.Length;
        var lag = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<double>.Count;
            Span<double> sums = stackalloc double[lanes];
            for (; lag + lanes <= acf.Length; lag += lanes)
            {
                // lane i holds lag + i; all lanes have a product while t + lag + lanes − 1 < n
                var common = n - lag - lanes + 1;
                var sum = Vector<double>.Zero;
                for (var t = 0; t < common; t++)
                {
                    sum += x[t] * new Vector<double>(x[(t + lag)..]);
                }

                sum.CopyTo(sums);
                for (var i = 0; i < lanes; i++)
                {
                    var s = sums[i];
                    for (var t = Math.Max(0, common); t + lag + i < n; t++)
                    {
                        s += x[t] * x[t + lag + i];
                    }

                    acf[lag + i] = s / (n - lag - i);
                }
            }
        }

        for (; lag < acf.Length; lag++)
        {
            var sum = 0.0;
            for (var t = 0; t + lag < n; t++)
            {
                sum += x[t] * x[t + lag];
            }

            acf[lag] = sum / (n - lag);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    private void UpdatePhase(int n)
    {
        var now = _frames - 1;
        var bestPhase = 0;
        var best = double.NegativeInfinity;
        var phases = (int)Math.Ceiling(_period);
        for (var phase = 0; phase < phases; phase++)
        {
            var sum = 0.0;
            var k = 0;
            for (var position = now - phase; position > now - n + 1; position = now - phase - (long)Math.Round(++k * _period))
            {
                // recent beats count more
                sum += _ring[position % _ring.Length] * (1.0 / (1 + (0.25 * k)));
            }

            if (sum > best)
            {
                best = sum;
                bestPhase = phase;
            }
        }

        // the first predicted beat not more than half a period in the past (it is emitted at once)
        var next = now - (double)bestPhase;
        while (next < now - (_period / 2))
        {
            next += _period;
        }

        if (!double.IsNaN(_lastBeat) && next - _lastBeat < _period / 2)
        {
            next += _period;
        }

        _nextBeat = next;
    }

    private double Interpolate(double lag)
    {
        var i = (int)lag;
        var f = lag - i;
        return (_acf[i] * (1 - f)) + (_acf[i + 1] * f);
    }

    private void ClearTempo()
    {
        TempoBpm = null;
        _nextBeat = double.NaN;
    }
}
