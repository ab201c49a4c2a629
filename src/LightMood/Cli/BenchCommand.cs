using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using LightMood.Analysis;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Audio.Decoding;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood bench [--file WAV] [--runs N] [--hops H,...] [--all-cores]</c>: the side-by-side of issue 17, whole
/// processes, each run once to warm the file cache and then <c>--runs</c> times (median): <c>lightmood analyze FILE --json</c>
/// (the live hop, then each of <c>--hops</c>), the NumPy/SciPy/pywt features script <c>tools/bench/features.py</c> (when
/// <c>/usr/bin/python3</c> imports numpy, scipy and pywt) and <c>aubio tempo FILE</c> (when installed). Without
/// <c>--file</c> the input is the bundled demo track looped to 240 s, written as a 22 050 Hz mono 16-bit WAV. Each
/// command is pinned to one core with <c>taskset -c 0</c> (when present) unless <c>--all-cores</c>. Prints wall and
/// CPU time (this process's children, from /proc/self/stat), × real time, the ratio to the NumPy script, and the load
/// average. Exit codes: 0 done, 1 a command failed, 2 usage.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Length of the generated input (the issue's 4-minute WAV).</summary>
    private const int GeneratedSeconds = 240;

    public static Command Create()
    {
        var file = new Option<string?>("--file") { Description = "the WAV to analyse (default: the demo track looped to 240 s, 22 050 Hz mono)", HelpName = "WAV" };
        var runs = new Option<int>("--runs") { Description = "timed runs per command (the median is shown)", HelpName = "N", DefaultValueFactory = _ => 3 };
        runs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 50)
            {
                r.AddError("--runs must be 1..50");
            }
        });
        var hops = new Option<string>("--hops")
        {
            Description = $"also time analyze with these --window-hop values (frames, comma-separated; 'none' for none)",
            HelpName = "H,...",
            DefaultValueFactory = _ => "44,110",
        };
        hops.Validators.Add(r =>
        {
            if (ParseHops(r.GetValueOrDefault<string>() ?? "") is null)
            {
                r.AddError($"--hops takes frame counts 1..{MusicAnalyzer.MaxHopFrames}, comma-separated, or 'none'");
            }
        });
        var allCores = new Option<bool>("--all-cores") { Description = "do not pin each command to one core" };
        var command = new Command("bench", "time analyze against a NumPy/SciPy/pywt features script and aubio, whole processes (docs/benchmarks.md)") { file, runs, hops, allCores };
        command.SetAction(parse => Run(parse.GetValue(file), parse.GetValue(runs), parse.GetValue(hops)!, parse.GetValue(allCores), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? file, int runs, string hopList, bool allCores, TextWriter stdout, TextWriter stderr)
    {
        if (ParseHops(hopList) is not { } hops)
        {
            stderr.WriteLine($"lightmood bench: --hops takes frame counts 1..{MusicAnalyzer.MaxHopFrames}, comma-separated, or 'none' (got '{hopList}')");
            return LightmoodCommandLine.UsageExitCode;
        }

        var root = RepositoryRoot();
        string wav;
        double seconds;
        string? scratch = null;
        try
        {
            if (file is null)
            {
                var demo = root is null ? null : Path.Combine(root, "fixtures", "demo", "demo.ogg");
                if (demo is null || !File.Exists(demo))
                {
                    stderr.WriteLine("lightmood bench: no --file given and fixtures/demo/demo.ogg is not found above the working directory");
                    return LightmoodCommandLine.UsageExitCode;
                }

                scratch = Directory.CreateTempSubdirectory("lightmood-bench-").FullName;
                wav = Path.Combine(scratch, "four_minutes.wav");
                seconds = WriteLoopedWav(demo, wav, GeneratedSeconds);
            }
            else
            {
                wav = file;
                seconds = AudioFileDecoder.Decode(file, AnalysisFormat.SampleRate).DurationSeconds;
            }
        }
        catch (Exception e) when (e is AudioDecodeException or IOException or InvalidDataException or FormatException or NotSupportedException)
        {
            stderr.WriteLine($"lightmood bench: {file ?? "the demo track"}: cannot be decoded ({e.Message.TrimEnd('.')})");
            return LightmoodCommandLine.UsageExitCode;
        }

        try
        {
            var pin = !allCores && Executable("taskset") is not null;
            var (self, selfArgs) = Self();
            var commands = new List<(string Label, string File, string[] Args)>
            {
                ($"lightmood analyze (hop {MoodWindow.HopFrames})", self, [.. selfArgs, "analyze", wav, "--json"]),
            };
            commands.AddRange(hops.Select(h => ($"lightmood analyze --window-hop {h}", self, (string[])[.. selfArgs, "analyze", wav, "--json", "--window-hop", h.ToString(CultureInfo.InvariantCulture)])));
            var script = root is null ? null : Path.Combine(root, "tools", "bench", "features.py");
            var notes = new List<string>();
            var numpyLabel = "NumPy/SciPy/pywt features script";
            if (script is null || !File.Exists(script))
            {
                notes.Add("NumPy script: tools/bench/features.py not found above the working directory, not run");
            }
            else if (!PythonHasNumpy())
            {
                notes.Add("NumPy script: /usr/bin/python3 with numpy, scipy and pywt not found (apt-get install python3-numpy python3-scipy python3-pywt), not run");
            }
            else
            {
                commands.Add((numpyLabel, "/usr/bin/python3", [script, wav, "--quiet"]));
            }

            if (Executable("aubio") is { } aubio)
            {
                commands.Add(("aubio tempo", aubio, ["tempo", wav]));
            }
            else
            {
                notes.Add("aubio: not installed (apt-get install aubio-tools), not run");
            }

            var c = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Create(c, $"input {wav}: {seconds:F1} s; {runs} timed run(s) per command after one warm-up, median; {(pin ? "each pinned to CPU 0 (taskset -c 0)" : "not pinned")}; {Environment.ProcessorCount} cores"));
            var (measured, precompiled) = Describe();
            stdout.WriteLine($"lightmood measured: {measured}");
            if (!precompiled)
            {
                notes.Add("a build pays its JIT in every run (~0.09 s here); the installed binary is precompiled: dotnet publish src/LightMood -c Release -o /tmp/lightmood && /tmp/lightmood/lightmood bench");
            }

            stdout.WriteLine(string.Create(c, $"load average before: {LoadAverage()}"));
            stdout.WriteLine();
            stdout.WriteLine("command                                  wall s (median)  CPU s (median)  x real time  wall / NumPy  runs (wall s)");
            var results = new List<(string Label, double Wall, double Cpu, double[] Walls)>();
            foreach (var (label, exe, args) in commands)
            {
                var walls = new double[runs];
                var cpus = new double[runs];
                for (var r = -1; r < runs; r++)
                {
                    var (code, wall, cpu, error) = Time(pin, exe, args);
                    if (code != 0)
                    {
                        stderr.WriteLine($"lightmood bench: {label} exited with {code}: {error.Trim()}");
                        return 1;
                    }

                    if (r >= 0)
                    {
                        walls[r] = wall;
                        cpus[r] = cpu;
                    }
                }

                results.Add((label, Median(walls), Median(cpus), walls));
            }

            var numpy = results.FirstOrDefault(r => r.Label == numpyLabel);
            foreach (var (label, wall, cpu, walls) in results)
            {
                var ratio = numpy.Label is null ? "-" : (wall / numpy.Wall).ToString("F2", c);
                stdout.WriteLine(string.Create(c, $"{label,-40} {wall,15:F2}  {(double.IsNaN(cpu) ? "n/a" : cpu.ToString("F2", c)),14}  {seconds / wall,11:F0}  {ratio,12}  {string.Join(' ', walls.Select(w => w.ToString("F2", c)))}"));
            }

            stdout.WriteLine();
            stdout.WriteLine(string.Create(c, $"load average after: {LoadAverage()}"));
            foreach (var note in notes)
            {
                stdout.WriteLine(note);
            }

            stdout.WriteLine(string.Create(c, $"aims (issue 17): analyze >= 300x real time on one core, and <= 0.5 x the NumPy script's wall time"));
            return 0;
        }
        finally
        {
            if (scratch is not null)
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>The hop list (<c>44,110</c>; <c>none</c> or empty: none), or null when it is not one.</summary>
    private static int[]? ParseHops(string list)
    {
        if (list is "none" or "")
        {
            return [];
        }

        var hops = new List<int>();
        foreach (var part in list.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var hop) || hop is < 1 or > MusicAnalyzer.MaxHopFrames)
            {
                return null;
            }

            hops.Add(hop);
        }

        return [.. hops];
    }

    /// <summary>Decodes <paramref name="source"/> at the analysis rate and writes it looped to <paramref name="seconds"/> as 16-bit mono PCM WAV.</summary>
    private static double WriteLoopedWav(string source, string path, int seconds)
    {
        var audio = AudioFileDecoder.Decode(source, AnalysisFormat.SampleRate).Samples;
        if (audio.Length == 0)
        {
            throw new InvalidDataException("the demo track decodes to no samples");
        }

        var samples = seconds * AnalysisFormat.SampleRate;
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + (samples * 2));
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);                          // PCM
        w.Write((short)1);                          // mono
        w.Write(AnalysisFormat.SampleRate);
        w.Write(AnalysisFormat.SampleRate * 2);     // bytes per second
        w.Write((short)2);                          // block align
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            w.Write((short)Math.Round(Math.Clamp(audio[i % audio.Length], -1f, 1f) * short.MaxValue));
        }

        return seconds;
    }

    /// <summary>Runs one command to its end: exit code, wall seconds, CPU seconds of the child (NaN off Linux), stderr.</summary>
    private static (int Code, double Wall, double Cpu, string Error) Time(bool pin, string exe, string[] args)
    {
        var info = new ProcessStartInfo(pin ? "taskset" : exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (pin)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("0");
            info.ArgumentList.Add(exe);
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var cpu0 = ChildrenCpuSeconds();
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new IOException($"{exe} did not start");
        var stderrTask = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = sw.Elapsed.TotalSeconds;
        return (process.ExitCode, wall, ChildrenCpuSeconds() - cpu0, stderrTask.Result);
    }

    /// <summary>User + system time of this process's waited-for children (/proc/self/stat cutime + cstime), NaN where there is no /proc.</summary>
    private static double ChildrenCpuSeconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return double.NaN;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields from the state (field 3): cutime is field 16, cstime 17, in clock ticks (100 a second on Linux)
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>
    /// The binary that runs (this one): the installed form (<c>dotnet publish</c>, ReadyToRun: precompiled, as in
    /// /opt/lightmood) starts faster than a build's, whose code is compiled as it runs.
    /// </summary>
    private static (string Text, bool Precompiled) Describe()
    {
        var (file, args) = Self();
        var assembly = Assembly.GetEntryAssembly()!.Location;
        var precompiled = false;
        try
        {
            using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
            precompiled = pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            // unknown: say so below
        }

        var how = precompiled ? "ReadyToRun (published, as installed)" : "compiled as it runs (a build, not published)";
        return ($"{string.Join(' ', [file, .. args])}: {how}", precompiled);
    }

    private static (string File, string[] Args) Self()
    {
        var process = Environment.ProcessPath ?? "lightmood";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [Assembly.GetEntryAssembly()!.Location])
            : (process, []);
    }

    private static bool PythonHasNumpy()
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            return false;
        }

        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])["-c", "import numpy, scipy, pywt"])
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info);
        if (p is null)
        {
            return false;
        }

        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    private static string? Executable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>The checkout holding tools/bench/features.py: above the working directory, else above the executable.</summary>
    private static string? RepositoryRoot()
    {
        foreach (var start in (string[])[Directory.GetCurrentDirectory(), AppContext.BaseDirectory])
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "tools", "bench", "features.py")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
