using System.Diagnostics;
using LightMood.Audio.Decoding;
using LightMood.Audio.Live;
using Xunit.Abstractions;
using static LightMood.Audio.Tests.TestSignals;

namespace LightMood.Audio.Tests.Live;

/// <summary>File playback as a live source, and the source's life cycle.</summary>
public sealed class FileSourceTests(ITestOutputHelper output) : IDisposable
{
    private readonly List<string> _temp = [];

    [Fact]
    public void Looping_is_seamless_even_when_a_read_crosses_the_end()
    {
        var samples = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        var playback = new FilePlaybackSampleProvider(samples, 22050, loop: true);
        var buffer = new float[777];
        var expected = 0;
        for (var block = 0; block < 20; block++)
        {
            Assert.Equal(777, playback.Read(buffer));
            foreach (var v in buffer)
            {
                Assert.Equal(expected % 1000, (int)v);
                expected++;
            }
        }

        Assert.Equal(15, playback.Loops);
    }

    [Fact]
    public void Playing_once_ends_with_zero()
    {
        var playback = new FilePlaybackSampleProvider(new float[1500], 22050, loop: false);
        Assert.Equal(1000, playback.Read(new float[1000]));
        Assert.Equal(500, playback.Read(new float[1000]));
        Assert.Equal(0, playback.Read(new float[1000]));
    }

    /// <summary>A looped file through the whole source, as fast as possible: every sample arrives, in order, across the loop point.</summary>
    [Fact]
    public void An_unpaced_looped_file_source_delivers_every_sample_across_the_loop()
    {
        var path = Temp("ramp.wav");
        var ramp = Enumerable.Range(0, 5000).Select(i => (i % 5000) / 10000f).ToArray();
        WriteWav(path, ramp, 22050, 1, WavKind.Float32);
        using var source = LiveAudioSources.File(path, paced: false, loop: true);
        source.Start();
        var got = new float[16000];
        var read = 0;
        while (read < got.Length)
        {
            read += source.Read(got.AsSpan(read));
        }

        for (var i = 0; i < got.Length; i++)
        {
            Assert.Equal(ramp[i % ramp.Length], got[i]);
        }

        Assert.Equal(0, source.DroppedBlocks);
        Assert.True(source.Stop());
    }

    /// <summary>Real-time pacing: over ~1.5 s the samples received match the wall clock within 5 % (plus one block).</summary>
    [Fact]
    public void A_paced_file_source_keeps_to_the_wall_clock()
    {
        var path = Temp("tone.wav");
        WriteWav(path, Sine(440, 0.5, 44100, 0.7), 44100, 2, WavKind.Pcm16);
        using var source = LiveAudioSources.File(path, paced: true, loop: true);
        source.Start();
        var buffer = new float[1024];
        Assert.True(source.Read(buffer) > 0); // decoded and running
        var clock = Stopwatch.StartNew();
        long received = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            received += source.Read(buffer);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var expected = seconds * 22050;
        output.WriteLine($"{received} samples in {seconds:0.000} s: {received / seconds:0} samples/s (22050 expected), dropped {source.DroppedBlocks}");
        Assert.InRange(received, (expected * 0.95) - 1024, (expected * 1.05) + 1024);
        Assert.Equal(0, source.DroppedBlocks);
    }

    [Fact]
    public async Task A_slow_consumer_makes_a_capture_source_drop_the_oldest_blocks_while_it_runs_on()
    {
        // a source that cannot wait (WaitWhenFull = false), 20 s of audio, nobody reading: it must reach its end
        var chainEnded = new TaskCompletionSource<LiveAudioStoppedEventArgs>();
        using var source = new LiveAudioSource(
            "burst",
            _ => new FilePlaybackSampleProvider(Sine(440, 0.5, 22050, 20), 22050, loop: false),
            new LiveAudioSourceOptions { CapacityBlocks = 8 });
        source.Stopped += (_, e) => chainEnded.TrySetResult(e);
        source.Start();
        var end = await chainEnded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LiveAudioStopReason.EndOfStream, end.Reason);
        var blocks = (int)Math.Ceiling(20 * 22050 / 1024.0);
        Assert.Equal(blocks - 8, source.DroppedBlocks);
        var left = RawPcmSourceTests.ReadAll(source, 1024);
        Assert.Equal(8 * 1024 - ((blocks * 1024) - (20 * 22050)), left.Count);
    }

    [Fact]
    public async Task A_bad_file_stops_the_source_with_the_decoders_one_line_error()
    {
        var path = Temp("broken.ogg");
        await File.WriteAllTextAsync(path, "not audio at all");
        using var source = LiveAudioSources.File(path);
        var stopped = new TaskCompletionSource<LiveAudioStoppedEventArgs>();
        source.Stopped += (_, e) => stopped.TrySetResult(e);
        source.Start();
        var end = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LiveAudioStopReason.Faulted, end.Reason);
        var error = Assert.IsType<AudioDecodeException>(end.Error);
        Assert.Equal($"{path}: not a valid OGG file (bad header)", error.Message);
        Assert.Equal(0, source.Read(new float[16]));
        Assert.False(source.IsRunning);
    }

    [Fact]
    public async Task Stop_ends_the_named_thread_once_is_safe_twice_and_releases_the_reader()
    {
        string? threadName = null;
        var stops = 0;
        var fresh = new LiveAudioSource("fresh", _ => new FilePlaybackSampleProvider(new float[10], 22050, false));
        Assert.True(fresh.Stop());
        Assert.True(fresh.Stop());
        fresh.Dispose();

        using var running = new LiveAudioSource(
            "tone",
            token =>
            {
                threadName = Thread.CurrentThread.Name;
                return new PacedSampleProvider(new FilePlaybackSampleProvider(new float[22050], 22050, loop: true), token);
            });
        LiveAudioStoppedEventArgs? last = null;
        running.Stopped += (_, e) =>
        {
            Interlocked.Increment(ref stops);
            last = e;
        };
        running.Start();
        Assert.True(running.Read(new float[512]) > 0);
        Assert.True(running.IsRunning);
        // a thread of its own (not the pool, which a loaded CI host with many blocking tests can starve for seconds)
        var reader = Task.Factory.StartNew(() =>
        {
            var buffer = new float[512];
            while (running.Read(buffer) > 0)
            {
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(running.Stop());
        Assert.True(running.Stop());
        await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("lightmood-capture tone", threadName);
        Assert.Equal(1, stops);
        Assert.Equal(LiveAudioStopReason.Requested, last!.Reason);
        Assert.False(running.IsRunning);
        Assert.Throws<InvalidOperationException>(running.Start);
    }

    public void Dispose()
    {
        foreach (var path in _temp)
        {
            File.Delete(path);
        }
    }

    private string Temp(string name)
    {
        var path = TempPath(name);
        _temp.Add(path);
        return path;
    }
}
