using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>
/// The posterior evidence of one stretch of audio (a section or a mood region): the sums of its windows' posteriors,
/// valence and arousal, so that its mean posterior, label and summary cost nothing to read. Allocation-free.
/// </summary>
public sealed class RegionAccumulator
{
    private readonly double[] _sum = new double[MoodNames.Count];
    private double _valence;
    private double _arousal;

    /// <summary>Windows accumulated.</summary>
    public int Windows { get; private set; }

    public void Add(ReadOnlySpan<float> probabilities, double valence, double arousal)
    {
        if (probabilities.Length != MoodNames.Count)
        {
            throw new ArgumentException($"A posterior has {MoodNames.Count} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        for (var m = 0; m < MoodNames.Count; m++)
        {
            _sum[m] += probabilities[m];
        }

        _valence += valence;
        _arousal += arousal;
        Windows++;
    }

    /// <summary>Takes out windows summed elsewhere (<see cref="WindowHistory.SumSince"/>): they moved to another region.</summary>
    public void Remove(ReadOnlySpan<double> probabilitySums, double valenceSum, double arousalSum, int windows)
    {
        if (windows > Windows)
        {
            throw new ArgumentOutOfRangeException(nameof(windows), windows, $"Only {Windows} windows are held.");
        }

        for (var m = 0; m < MoodNames.Count; m++)
        {
            _sum[m] -= probabilitySums[m];
        }

        _valence -= valenceSum;
        _arousal -= arousalSum;
        Windows -= windows;
        if (Windows == 0)
        {
            Clear(); // no rounding residue
        }
    }

    /// <summary>Starts afresh with the given sums (the windows a new region takes over).</summary>
    public void Reset(ReadOnlySpan<double> probabilitySums, double valenceSum, double arousalSum, int windows)
    {
        probabilitySums.CopyTo(_sum);
        _valence = valenceSum;
        _arousal = arousalSum;
        Windows = windows;
    }

    public void Clear()
    {
        Array.Clear(_sum);
        _valence = _arousal = 0;
        Windows = 0;
    }

    /// <summary>Sum of the posteriors of <paramref name="mood"/>.</summary>
    public double Sum(Mood mood) => _sum[(int)mood];

    /// <summary>Mean posterior of <paramref name="mood"/> (0 when empty).</summary>
    public double Mean(Mood mood) => Windows == 0 ? 0 : _sum[(int)mood] / Windows;

    public double MeanValence => Windows == 0 ? 0 : _valence / Windows;

    public double MeanArousal => Windows == 0 ? 0 : _arousal / Windows;

    /// <summary>The most likely mood of the mean posterior (the first, happy, when empty).</summary>
    public Mood Label => MoodNames.MostLikely(_sum);
}

/// <summary>The most recent mood windows (centre, posterior, valence, arousal), newest last. Allocation-free.</summary>
public sealed class WindowHistory
{
    private readonly double[] _centres;
    private readonly float[] _valence;
    private readonly float[] _arousal;
    private readonly float[] _probabilities;
    private long _count;

    public WindowHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _centres = new double[capacity];
        _valence = new float[capacity];
        _arousal = new float[capacity];
        _probabilities = new float[capacity * MoodNames.Count];
    }

    /// <summary>Windows added so far.</summary>
    public long Count => _count;

    public void Add(double centreSeconds, ReadOnlySpan<float> probabilities, float valence, float arousal)
    {
        if (probabilities.Length != MoodNames.Count)
        {
            throw new ArgumentException($"A posterior has {MoodNames.Count} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        var slot = (int)(_count % _centres.Length);
        _centres[slot] = centreSeconds;
        _valence[slot] = valence;
        _arousal[slot] = arousal;
        probabilities.CopyTo(_probabilities.AsSpan(slot * MoodNames.Count, MoodNames.Count));
        _count++;
    }

    /// <summary>
    /// Sums the held windows centred at or after <paramref name="seconds"/> (newest first, stopping at the first one
    /// before it) into <paramref name="sums"/>; returns how many.
    /// </summary>
    public int SumSince(double seconds, Span<double> sums, out double valence, out double arousal)
    {
        sums[..MoodNames.Count].Clear();
        valence = arousal = 0;
        var count = 0;
        var held = (int)Math.Min(_count, _centres.Length);
        for (var i = 0; i < held; i++)
        {
            var slot = (int)((_count - 1 - i) % _centres.Length);
            if (_centres[slot] < seconds)
            {
                break;
            }

            for (var m = 0; m < MoodNames.Count; m++)
            {
                sums[m] += _probabilities[(slot * MoodNames.Count) + m];
            }

            valence += _valence[slot];
            arousal += _arousal[slot];
            count++;
        }

        return count;
    }
}
