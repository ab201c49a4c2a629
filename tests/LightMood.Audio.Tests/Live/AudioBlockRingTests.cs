using LightMood.Audio.Live;
using NAudio.Wave;
using static LightMood.Audio.Tests.TestSignals;

namespace LightMood.Audio.Tests.Live;

public sealed class AudioBlockRingTests
{
    [Fact]
    public void Samples_come_out_in_order_whatever_the_write_and_read_sizes()
    {
        var ring = new AudioBlockRing(blockSamples: 100, capacity: 64);
        var input = Enumerable.Range(0, 3000).Select(i => (float)i).ToArray();
        var written = 0;
        var sizes = new[] { 1, 37, 100, 250, 7, 333 };
        for (var i = 0; written < input.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], input.Length - written);
            ring.Write(input.AsSpan(written, n));
            written += n;
        }

        ring.Complete();
        var output = new List<float>();
        var buffer = new float[61];
        int read;
        while ((read = ring.Read(buffer, TimeSpan.Zero)) > 0)
        {
            output.AddRange(buffer.AsSpan(0, read));
        }

        Assert.Equal(input, output);
        Assert.Equal(0, ring.Dropped);
        Assert.Equal(3000, ring.Written);
    }

    [Fact]
    public void A_full_ring_drops_the_oldest_blocks_counts_them_and_never_waits()
    {
        var ring = new AudioBlockRing(blockSamples: 10, capacity: 4);
        for (var block = 0; block < 10; block++)
        {
            ring.Write(Enumerable.Repeat((float)block, 10).ToArray());
        }

        Assert.Equal(6, ring.Dropped);
        var buffer = new float[40];
        Assert.Equal(40, ring.Read(buffer, TimeSpan.Zero));
        Assert.Equal([6f, 7f, 8f, 9f], buffer.Where((_, i) => i % 10 == 0));
    }

    [Fact]
    public async Task A_waiting_reader_is_released_by_a_write_and_by_completion()
    {
        var ring = new AudioBlockRing(blockSamples: 8, capacity: 4);
        var buffer = new float[8];
        var reading = Task.Run(() => ring.Read(buffer, Timeout.InfiniteTimeSpan));
        await Task.Delay(50);
        Assert.False(reading.IsCompleted);
        ring.Write([1f, 2f, 3f]);
        Assert.Equal(3, await reading.WaitAsync(TimeSpan.FromSeconds(5)));

        var second = Task.Run(() => ring.Read(buffer, Timeout.InfiniteTimeSpan));
        await Task.Delay(50);
        ring.Complete();
        Assert.Equal(0, await second.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(ring.IsCompleted);
    }

    [Fact]
    public void A_read_times_out_with_zero_when_nothing_arrives()
    {
        var ring = new AudioBlockRing(blockSamples: 8, capacity: 4);
        Assert.Equal(0, ring.Read(new float[8], TimeSpan.FromMilliseconds(20)));
        Assert.False(ring.IsCompleted);
    }

    [Fact]
    public async Task A_ring_made_to_wait_holds_the_writer_until_the_reader_makes_room()
    {
        var ring = new AudioBlockRing(blockSamples: 4, capacity: 2, waitWhenFull: true);
        ring.Write(new float[8]);
        var writing = Task.Run(() => ring.Write([5f, 5f, 5f, 5f]));
        await Task.Delay(50);
        Assert.False(writing.IsCompleted);
        Assert.Equal(4, ring.Read(new float[4], TimeSpan.Zero));
        await writing.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, ring.Dropped);
    }

    /// <summary>STYLE.md item 8: the block hot path allocates nothing once warm.</summary>
    [Fact]
    public void Writing_and_reading_blocks_allocates_nothing()
    {
        var ring = new AudioBlockRing();
        var block = Sine(440, 0.5, 22050, 1024.0 / 22050);
        var into = new float[1024];
        for (var i = 0; i < 200; i++)
        {
            ring.Write(block);
            ring.Read(into, TimeSpan.Zero);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            ring.Write(block);
            ring.Write(block.AsSpan(0, 300));
            ring.Read(into, TimeSpan.Zero);
            ring.Read(into, TimeSpan.Zero);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// The capture thread's whole step (a 44.1 kHz chain through the sinc resampler into the ring), and the consumer's
    /// read, allocate nothing once warm: the same objects the capture thread runs, on this thread.
    /// </summary>
    [Fact]
    public void The_capture_step_from_a_resampled_chain_to_the_reader_allocates_nothing()
    {
        var ring = new AudioBlockRing();
        var chain = LiveAudioSource.ToAnalysisRate(new FilePlaybackSampleProvider(Sine(440, 0.5, 44100, 2.0), 44100, loop: true));
        var raw = new RawPcmSampleProvider(new LoopingByteStream(new byte[48000 * 4]), new RawPcmFormat(RawSampleEncoding.S16LE, 48000, 2));
        var rawChain = LiveAudioSource.ToAnalysisRate(raw);
        var pump = new CapturePump(chain, ring);
        var rawPump = new CapturePump(rawChain, ring);
        var into = new float[1024];
        for (var i = 0; i < 300; i++)
        {
            pump.Step();
            rawPump.Step();
            while (ring.Read(into, TimeSpan.Zero) > 0)
            {
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3000; i++)
        {
            Assert.True(pump.Step() > 0);
            Assert.True(rawPump.Step() > 0);
            while (ring.Read(into, TimeSpan.Zero) > 0)
            {
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(22050, chain.WaveFormat.SampleRate);
        Assert.IsType<WaveFormat>(rawChain.WaveFormat, exactMatch: false);
    }

    /// <summary>An endless stream of the same bytes (a sound card that never stops).</summary>
    internal sealed class LoopingByteStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position = (_position + n) % data.Length;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
