using System.Buffers;
using System.Threading.Channels;

namespace LightMood.Hosting;

/// <summary>A block of mono analysis-rate samples in a pooled buffer; the reader returns it with <see cref="AudioPipe.Return"/>.</summary>
public readonly record struct AudioBlock(float[] Buffer, int Count);

/// <summary>
/// The bounded channel from the capture stage to the analysis stage. Capacity is named; when the analysis falls behind
/// the oldest block is dropped (its buffer goes back to the pool and the drop is counted), so capture never blocks.
/// </summary>
public sealed class AudioPipe
{
    /// <summary>About 3 s of audio in 1024-sample blocks at 22 050 Hz.</summary>
    public const int Capacity = 64;

    public const int BlockSamples = 1024;

    private long _dropped;

    public AudioPipe()
    {
        Channel = System.Threading.Channels.Channel.CreateBounded<AudioBlock>(
            new BoundedChannelOptions(Capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = true,
            },
            dropped =>
            {
                Interlocked.Increment(ref _dropped);
                Return(dropped);
            });
    }

    public Channel<AudioBlock> Channel { get; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public static AudioBlock Rent(ReadOnlySpan<float> samples)
    {
        var buffer = ArrayPool<float>.Shared.Rent(samples.Length);
        samples.CopyTo(buffer);
        return new AudioBlock(buffer, samples.Length);
    }

    public static void Return(AudioBlock block) => ArrayPool<float>.Shared.Return(block.Buffer);
}
