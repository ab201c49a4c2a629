using LightMood.Audio.Live;

namespace LightMood.Hosting;

/// <summary>
/// The one hand-off from capture to analysis: the live source's own block ring (pre-allocated, a named capacity of
/// <see cref="AudioBlockRing.DefaultCapacity"/> blocks of <see cref="BlockSamples"/>, drop-oldest, counted), which
/// the analysis stage reads directly: one queue, one drop counter, two threads (the source's capture thread, the
/// analysis thread), no pump in between. The capture stage attaches each source it opens (a new input chosen on the
/// page replaces the old one); the analysis reads whichever is attached and waits while none delivers.
/// </summary>
public sealed class AudioPipe
{
    public const int BlockSamples = AudioBlockRing.DefaultBlockSamples;

    private readonly object _gate = new(); // Monitor: the reader waits for a source to be attached
    private LiveAudioSource? _source;
    private long _droppedBefore;

    /// <summary>Blocks dropped because the analysis was behind, over every source attached so far.</summary>
    public long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _droppedBefore + (_source?.DroppedBlocks ?? 0);
            }
        }
    }

    /// <summary>The source the analysis reads from now (replaces, and detaches, the previous one).</summary>
    public void Attach(LiveAudioSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            DetachCore();
            _source = source;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Detaches <paramref name="source"/> if it is the one attached (its drops stay counted).</summary>
    public void Detach(LiveAudioSource source)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_source, source))
            {
                DetachCore();
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// Copies the next samples (at most a block) into <paramref name="buffer"/>, waiting up to
    /// <paramref name="timeout"/>; 0 when none came in that time (no source attached, or the attached one has ended
    /// and was read to its end). Allocation-free; one reader.
    /// </summary>
    public int Read(Span<float> buffer, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            LiveAudioSource? source;
            lock (_gate)
            {
                source = _source;
            }

            var left = TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
            if (source is not null)
            {
                var n = source.Read(buffer, left);
                if (n > 0)
                {
                    return n;
                }

                if (!source.Blocks.IsCompleted)
                {
                    return 0; // timed out
                }
            }

            // nothing attached, or the attached source ended and is drained: wait for the next one
            lock (_gate)
            {
                left = TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
                if (ReferenceEquals(_source, source) && (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left)))
                {
                    return 0;
                }
            }
        }
    }

    private void DetachCore()
    {
        if (_source is { } old)
        {
            _droppedBefore += old.DroppedBlocks;
            _source = null;
        }
    }
}
