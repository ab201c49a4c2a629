namespace LightMood.Analysis.Segmentation;

/// <summary>The most recent log-mel frames of a stream, addressed by absolute frame index. Allocation-free after construction.</summary>
public sealed class MelFrameRing
{
    private readonly float[] _data;

    public MelFrameRing(int capacity, int bands)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        Capacity = capacity;
        Bands = bands;
        _data = new float[capacity * bands];
    }

    public int Capacity { get; }

    public int Bands { get; }

    /// <summary>Frames added so far; the newest has index Count − 1.</summary>
    public long Count { get; private set; }

    /// <summary>Index of the oldest frame still held.</summary>
    public long Oldest => Math.Max(0, Count - Capacity);

    public void Add(ReadOnlySpan<float> frame)
    {
        if (frame.Length != Bands)
        {
            throw new ArgumentException($"A frame holds {Bands} bands, got {frame.Length}.", nameof(frame));
        }

        frame.CopyTo(_data.AsSpan((int)(Count % Capacity) * Bands, Bands));
        Count++;
    }

    public ReadOnlySpan<float> Frame(long index)
    {
        if (index < Oldest || index >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Frames {Oldest}..{Count - 1} are held.");
        }

        return _data.AsSpan((int)(index % Capacity) * Bands, Bands);
    }

    /// <summary>Copies frames [start, start + frames) time-major into <paramref name="destination"/>.</summary>
    public void CopyWindow(long start, int frames, Span<float> destination)
    {
        for (var i = 0; i < frames; i++)
        {
            Frame(start + i).CopyTo(destination.Slice(i * Bands, Bands));
        }
    }

    public void Clear() => Count = 0;
}
