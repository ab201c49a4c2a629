using BenchmarkDotNet.Attributes;
using LightMood.Audio;
using LightMood.Audio.Decoding;
using LightMood.Audio.Live;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace LightMood.Benchmarks;

/// <summary>
/// Audio input costs: decoding files to the analysis format, the sinc resampler against NAudio's WDL provider, and
/// the live hand-over (a 48 kHz chain resampled into the block ring and read out, as the capture thread and its
/// consumer do). Run: <c>dotnet run -c Release --project tests/LightMood.Benchmarks -- --filter '*AudioBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class AudioBenchmarks
{
    private const int Seconds = 60;
    private string _wav = "";
    private string _demo = "";
    private float[] _stereo48k = [];
    private float[] _block = new float[1024];

    [GlobalSetup]
    public void Setup()
    {
        _wav = Path.Combine(Path.GetTempPath(), $"lm-bench-{Environment.ProcessId}.wav");
        using (var writer = new WaveFileWriter(_wav, new WaveFormat(44100, 16, 2)))
        {
            var frame = new float[2];
            for (var i = 0; i < Seconds * 44100; i++)
            {
                frame[0] = frame[1] = (float)(0.4 * Math.Sin(2 * Math.PI * 440 * i / 44100.0));
                writer.WriteSamples(frame, 0, 2);
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var demo = Path.Combine(dir.FullName, "fixtures", "demo", "demo.ogg");
            if (File.Exists(demo))
            {
                _demo = demo;
                break;
            }
        }

        _stereo48k = new float[10 * 48000];
        for (var i = 0; i < _stereo48k.Length; i++)
        {
            _stereo48k[i] = (float)(0.4 * Math.Sin(2 * Math.PI * 440 * i / 48000.0));
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_wav);

    [Benchmark(Description = "Decode 60 s WAV 44.1 kHz stereo to 22.05 kHz mono")]
    public int DecodeWav() => AudioFileDecoder.Decode(_wav, 22050).Samples.Length;

    [Benchmark(Description = "Decode demo.ogg (120 s Vorbis, 22.05 kHz mono)")]
    public int DecodeDemo() => AudioFileDecoder.Decode(_demo, 22050).Samples.Length;

    [Benchmark(Description = "Sinc resample 10 s 48 kHz -> 22.05 kHz (1024 blocks)")]
    public int SincResample10s() => Drain(new SincResamplingSampleProvider(new FilePlaybackSampleProvider(_stereo48k, 48000, loop: false), 22050));

    [Benchmark(Description = "NAudio WDL provider, same 10 s (for comparison)")]
    public int WdlResample10s() => Drain(new WdlResamplingSampleProvider(new FilePlaybackSampleProvider(_stereo48k, 48000, loop: false), 22050));

    [Benchmark(Description = "Live hand-over 10 s: 48 kHz chain -> ring -> reader")]
    public int LiveHandOver10s()
    {
        var ring = new AudioBlockRing();
        var pump = new CapturePumpProbe(new SincResamplingSampleProvider(new FilePlaybackSampleProvider(_stereo48k, 48000, loop: false), 22050), ring);
        var total = 0;
        while (pump.Step() > 0)
        {
            total += ring.Read(_block, TimeSpan.Zero);
        }

        return total;
    }

    private int Drain(ISampleProvider provider)
    {
        var total = 0;
        int n;
        while ((n = provider.Read(_block)) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <summary>The capture thread's step (the library's pump is internal): read one block, write it to the ring.</summary>
    private sealed class CapturePumpProbe(ISampleProvider chain, AudioBlockRing ring)
    {
        private readonly float[] _buffer = new float[ring.BlockSamples];

        public int Step()
        {
            var n = chain.Read(_buffer);
            ring.Write(_buffer.AsSpan(0, n));
            return n;
        }
    }
}
