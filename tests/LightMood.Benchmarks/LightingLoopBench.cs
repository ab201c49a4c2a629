using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Output;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Output.Sacn;
using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightMood.Benchmarks;

/// <summary>
/// The lighting render loop in real time: N universes (default 64) fully patched (32 RGBW pars + 16 moving heads,
/// 400 slots each), the shipped scenes with movement, beat pulse and chases, a mood change every 10 s (crossfades),
/// beats at 124 BPM, Art-Net (and optionally sACN) sent to a receiver socket on loopback, at the given rate for the
/// given time. Reports the render thread's CPU share of one core, the frame-interval jitter and allocations per frame.
/// <c>dotnet run -c Release --project tests/LightMood.Benchmarks -- lighting-loop [--seconds 60] [--universes 64] [--rate 44] [--sacn]</c>
/// </summary>
internal static partial class LightingLoopBench
{
    public static int Run(string[] args)
    {
        var seconds = 60.0;
        var universes = 64;
        var rate = 44.0;
        var sacn = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--universes": universes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--sacn": sacn = true; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        var root = FindRoot();
        var library = new FixtureLibrary();
        var errors = new List<string>();
        library.AddJsonFolder(Path.Combine(root, "config", "fixtures"), errors);
        var fixtures = new List<string>();
        for (var u = 0; u < universes; u++)
        {
            for (var p = 0; p < 32; p++)
            {
                fixtures.Add($$"""{ "name": "u{{u}}-par{{p}}", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": {{u}}, "address": {{1 + (p * 6)}}, "group": "pars" }""");
            }

            for (var m = 0; m < 16; m++)
            {
                fixtures.Add($$"""{ "name": "u{{u}}-mover{{m}}", "profile": "LightMood/Wash Mover", "mode": "13ch", "universe": {{u}}, "address": {{193 + (m * 13)}}, "group": "movers" }""");
            }
        }

        var patch = PatchLoader.Parse($"{{ \"fixtures\": [ {string.Join(",\n", fixtures)} ] }}", "bench-patch", root, library);
        var scenes = SceneLoader.Load(Path.Combine(root, "config", "scenes.json"), patch);

        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.ReceiveBufferSize = 16 << 20;
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sinkPort = ((IPEndPoint)sink.LocalEndPoint!).Port;
        long received = 0;
        var draining = new Thread(() =>
        {
            var buffer = new byte[2048];
            try
            {
                while (true)
                {
                    sink.Receive(buffer);
                    Interlocked.Increment(ref received);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // closed
            }
        }) { IsBackground = true, Name = "bench sink" };
        draining.Start();

        var options = new LightingOptions { RateHz = rate };
        options.ArtNet.Nodes = [$"127.0.0.1:{sinkPort}"];
        options.ArtNet.ListenPort = 0;
        options.ArtNet.Sync = true;
        options.Sacn.Destinations = [$"127.0.0.1:{sinkPort}"];
        var outputs = new List<IDmxOutput> { new ArtNetOutput(options.ArtNet, patch.Universes, TimeProvider.System, NullLogger.Instance) };
        if (sacn)
        {
            outputs.Add(new SacnOutput(options.Sacn, patch.Universes, Guid.NewGuid(), TimeProvider.System, NullLogger.Instance));
        }

        using var engine = new LightingEngine(patch, scenes, options, outputs);
        var capacity = (int)(seconds * rate * 1.2) + 100;
        var stamps = new long[capacity];
        var count = 0;
        var tid = 0;
        long allocStart = 0, allocEnd = 0;
        var warmup = (int)rate * 2;
        var renderThread = -1;
        engine.FrameStarted = t =>
        {
            if (count == 0)
            {
                tid = GetTid();
                renderThread = Environment.CurrentManagedThreadId;
            }
            else if (Environment.CurrentManagedThreadId != renderThread)
            {
                return;   // the safe-look frames Stop() renders on the caller's thread
            }

            if (count == warmup)
            {
                allocStart = GC.GetAllocatedBytesForCurrentThread();
            }

            if (count < stamps.Length)
            {
                stamps[count] = t;
            }

            allocEnd = GC.GetAllocatedBytesForCurrentThread();
            count++;
        };

        var moods = MoodNames.All;
        engine.UpdateMood(new MoodState(0, Mood.Happy, 0.9, 0.6, 0.7, 0, 0.6, 124));
        engine.Start();
        var sw = Stopwatch.StartNew();
        while (tid == 0)
        {
            Thread.Sleep(1);
        }

        Thread.Sleep(TimeSpan.FromSeconds(warmup / rate));
        var cpuStart = ThreadCpuSeconds(tid);
        var procStart = Process.GetCurrentProcess().TotalProcessorTime;
        var wallStart = sw.Elapsed;
        var beatPeriod = TimeSpan.FromSeconds(60.0 / 124);
        var nextBeat = sw.Elapsed;
        var nextMood = sw.Elapsed + TimeSpan.FromSeconds(10);
        var moodIndex = 0;
        while (sw.Elapsed - wallStart < TimeSpan.FromSeconds(seconds))
        {
            if (sw.Elapsed >= nextBeat)
            {
                engine.OnBeat(new Beat(sw.Elapsed.TotalSeconds, 124, 1));
                nextBeat += beatPeriod;
            }

            if (sw.Elapsed >= nextMood)
            {
                moodIndex = (moodIndex + 1) % moods.Count;
                var m = moods[moodIndex];
                engine.UpdateMood(new MoodState(sw.Elapsed.TotalSeconds, m, 0.9, m.ValenceSign() * 0.6, m.ArousalSign() * 0.7, 0, 0.6, 124));
                nextMood += TimeSpan.FromSeconds(10);
            }

            Thread.Sleep(5);
        }

        var cpu = ThreadCpuSeconds(tid) - cpuStart;
        var proc = (Process.GetCurrentProcess().TotalProcessorTime - procStart).TotalSeconds;
        var wall = (sw.Elapsed - wallStart).TotalSeconds;
        var framesAtEnd = count;
        engine.Stop();
        var allocated = allocEnd - allocStart;

        var n = Math.Min(framesAtEnd, stamps.Length);
        var period = 1.0 / rate;
        var deviations = new List<double>();
        var intervals = new List<double>();
        for (var i = warmup + 1; i < n; i++)
        {
            var dt = (stamps[i] - stamps[i - 1]) / (double)Stopwatch.Frequency;
            intervals.Add(dt * 1000);
            deviations.Add(Math.Abs(dt - period) * 1000);
        }

        intervals.Sort();
        deviations.Sort();
        double P(List<double> v, double q) => v.Count == 0 ? double.NaN : v[Math.Min(v.Count - 1, (int)Math.Ceiling(q * v.Count) - 1)];
        var measuredFrames = n - warmup - 1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            lighting-loop: {universes} universes ({patch.Fixtures.Count} fixtures), {rate} Hz, {wall:0.0} s, outputs: Art-Net{(sacn ? " + sACN" : "")} to 127.0.0.1:{sinkPort}
            frames                 {measuredFrames} ({measuredFrames / wall:0.00} per s)
            datagrams received     {Interlocked.Read(ref received)}
            render thread CPU      {100 * cpu / wall:0.00} % of one core
            process CPU            {100 * proc / wall:0.00} % of one core (includes the receiving socket thread)
            frame interval         p50 {P(intervals, 0.5):0.000} ms, p99 {P(intervals, 0.99):0.000} ms, max {intervals.LastOrDefault():0.000} ms (nominal {period * 1000:0.000} ms)
            jitter |dt - period|   p50 {P(deviations, 0.5):0.000} ms, p99 {P(deviations, 0.99):0.000} ms, max {deviations.LastOrDefault():0.000} ms
            allocations            {allocated} bytes over {count - warmup} frames on the render thread ({(double)allocated / Math.Max(1, count - warmup):0.00} per frame)
            """));
        sink.Dispose();
        return 0;
    }

    private static double ThreadCpuSeconds(int tid)
    {
        // /proc/self/task/TID/stat: fields 14 and 15 are utime and stime in clock ticks (USER_HZ = 100 on Linux)
        var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    internal static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LightMood.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
