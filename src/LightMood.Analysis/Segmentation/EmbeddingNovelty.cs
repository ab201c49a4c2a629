using System.Numerics;

using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>
/// How different the music is before and after a gap, as the mood estimator hears it: the cosine distance between the
/// embedding of a window and that of the window <see cref="GapWindows"/> hops later, which starts after the first one
/// ends (at the default hop a window spans 5.8 hops: 7), so every split of the stream lies in the gap of some pair. A change of piece or of
/// part changes the embedding far more than the music inside one part does. Peaks are reported one window late (a
/// pair whose distance is at least its neighbours'), with the gap they point at.
/// </summary>
/// <remarks>
/// The estimator's embedding (the CRNN's 720 values) is used when it has one, its posterior otherwise. Buffers are made
/// at the first window (the embedding's length is known then) and never again unless that length changes. Windows
/// must arrive at the regular hop; <see cref="Clear"/> after a gap in the windows (silence).
/// </remarks>
public sealed class EmbeddingNovelty
{
    private readonly int _held;
    private float[] _embeddings = [];
    private readonly double[] _starts;
    private readonly double[] _ends;
    private int _length;
    private long _count;
    private double _previous = double.NaN;
    private double _beforePrevious = double.NaN;
    private double _previousGapStart;
    private double _previousGapEnd;

    /// <param name="gapWindows">Hops between the two windows of a pair (<see cref="GapWindowsFor"/>).</param>
    public EmbeddingNovelty(int gapWindows = 7)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gapWindows, 1);
        GapWindows = gapWindows;
        _held = gapWindows + 1;
        _starts = new double[_held];
        _ends = new double[_held];
    }

    /// <summary>Hops between the two windows of a pair.</summary>
    public int GapWindows { get; }

    /// <summary>
    /// The pair spacing for a window hop: one hop more than a window spans, so that the later window starts after the
    /// earlier one ends and the gaps of successive pairs overlap (7 at the default hop of 24 frames: 168 &gt; 128 frames).
    /// </summary>
    public static int GapWindowsFor(int hopFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hopFrames, 1);
        return ((MoodWindow.Frames + hopFrames - 1) / hopFrames) + 1;
    }

    /// <summary>
    /// A window and its embedding (or posterior). True when the previous pair's distance is a peak: then
    /// <paramref name="distance"/> is it and [<paramref name="gapStart"/>, <paramref name="gapEnd"/>] the audio between its two windows.
    /// </summary>
    public bool Add(ReadOnlySpan<float> embedding, double startSeconds, double endSeconds, out double distance, out double gapStart, out double gapEnd)
    {
        distance = gapStart = gapEnd = double.NaN;
        if (embedding.Length == 0)
        {
            throw new ArgumentException("An embedding holds at least one value.", nameof(embedding));
        }

        if (embedding.Length != _length)
        {
            _length = embedding.Length;
            _embeddings = new float[_held * _length];
            Clear();
        }

        var slot = (int)(_count % _held);
        embedding.CopyTo(_embeddings.AsSpan(slot * _length, _length));
        _starts[slot] = startSeconds;
        _ends[slot] = endSeconds;
        _count++;
        if (_count <= GapWindows)
        {
            return false;
        }

        var first = (int)((_count - 1 - GapWindows) % _held);
        var current = CosineDistance(_embeddings.AsSpan(first * _length, _length), embedding);
        var peak = !double.IsNaN(_beforePrevious) && _previous >= _beforePrevious && _previous > current;
        if (peak)
        {
            distance = _previous;
            gapStart = _previousGapStart;
            gapEnd = _previousGapEnd;
        }

        _beforePrevious = _previous;
        _previous = current;
        _previousGapStart = _ends[first];
        _previousGapEnd = startSeconds;
        return peak;
    }

    /// <summary>Forgets the windows so far (after silence, the pairs start again).</summary>
    public void Clear()
    {
        _count = 0;
        _previous = _beforePrevious = double.NaN;
    }

    /// <summary>1 − cos(a, b), summed in double; 0 when either is all zeros.</summary>
    public static double CosineDistance<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : INumberBase<T>
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Embeddings of {a.Length} and {b.Length} values.", nameof(b));
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var (x, y) = (double.CreateTruncating(a[i]), double.CreateTruncating(b[i]));
            dot += x * y;
            na += x * x;
            nb += y * y;
        }

        return na > 0 && nb > 0 ? 1 - (dot / Math.Sqrt(na * nb)) : 0;
    }
}
