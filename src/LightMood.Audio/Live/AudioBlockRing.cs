namespace LightMood.Audio.Live;

/// <summary>
/// The hand-over between a capture thread and its consumer: a fixed ring of pre-allocated blocks (no allocation per
/// block), one writer and one reader. When the reader falls behind, the writer drops the oldest block and counts it
/// (<see cref="Dropped"/>) instead of waiting, so capture never blocks on a slow consumer; sources that may wait
/// (file playback as fast as possible) ask for <see cref="AudioBlockRing(int, int, bool)"/>'s <c>waitWhenFull</c>.
/// The lock is held only to copy one block in or out.
/// </summary>
public sealed class AudioBlockRing
{
    /// <summary>1024 samples: 46 ms at 22 050 Hz.</summary>
    public const int DefaultBlockSamples = 1024;

    /// <summary>64 blocks: about 3 s at 22 050 Hz.</summary>
    public const int DefaultCapacity = 64;

    private readonly float[][] _blocks;
    private readonly int[] _counts;
    private readonly bool _waitWhenFull;
    private readonly object _gate = new(); // Monitor, not System.Threading.Lock: the reader and a full writer wait on it
    private int _head;
    private int _headOffset;
    private int _count;
    private bool _completed;
    private long _dropped;
    private long _written;

    public AudioBlockRing(int blockSamples = DefaultBlockSamples, int capacity = DefaultCapacity, bool waitWhenFull = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        BlockSamples = blockSamples;
        Capacity = capacity;
        _waitWhenFull = waitWhenFull;
        _blocks = new float[capacity][];
        for (var i = 0; i < capacity; i++)
        {
            _blocks[i] = new float[blockSamples];
        }

        _counts = new int[capacity];
    }

    public int BlockSamples { get; }

    public int Capacity { get; }

    /// <summary>Blocks the writer dropped (oldest first) because the reader was behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Samples written so far (including those later dropped).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Blocks waiting for the reader.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>True after <see cref="Complete"/>.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>
    /// Appends samples, split into blocks of at most <see cref="BlockSamples"/>. Drops the oldest block when full
    /// (or waits for room, when made with <c>waitWhenFull</c>). Ignored after <see cref="Complete"/>.
    /// </summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, BlockSamples);
            lock (_gate)
            {
                while (_waitWhenFull && _count == Capacity && !_completed)
                {
                    Monitor.Wait(_gate);
                }

                if (_completed)
                {
                    return;
                }

                if (_count == Capacity)
                {
                    _head = (_head + 1) % Capacity;
                    _headOffset = 0;
                    _count--;
                    _dropped++;
                }

                var slot = (_head + _count) % Capacity;
                samples[..take].CopyTo(_blocks[slot]);
                _counts[slot] = take;
                _count++;
                _written += take;
                Monitor.PulseAll(_gate);
            }

            samples = samples[take..];
        }
    }

    /// <summary>
    /// Copies the oldest samples into <paramref name="destination"/>, waiting up to <paramref name="timeout"/> for
    /// the first. Returns the count; 0 when the wait timed out or the ring is completed and empty.
    /// </summary>
    public int Read(Span<float> destination, TimeSpan timeout)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        lock (_gate)
        {
            while (_count == 0)
            {
                if (_completed || !Monitor.Wait(_gate, timeout))
                {
                    return 0;
                }
            }

            var copied = 0;
            while (copied < destination.Length && _count > 0)
            {
                var available = _counts[_head] - _headOffset;
                var take = Math.Min(available, destination.Length - copied);
                _blocks[_head].AsSpan(_headOffset, take).CopyTo(destination[copied..]);
                copied += take;
                _headOffset += take;
                if (_headOffset == _counts[_head])
                {
                    _head = (_head + 1) % Capacity;
                    _headOffset = 0;
                    _count--;
                }
            }

            Monitor.PulseAll(_gate);
            return copied;
        }
    }

    /// <summary>No more writes: a waiting reader gets what is left, then 0; a waiting writer returns.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
