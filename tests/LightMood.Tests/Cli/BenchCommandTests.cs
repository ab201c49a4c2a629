using System.Globalization;
using LightMood.Analysis.Emotion;

namespace LightMood.Tests.Cli;

/// <summary><c>lightmood bench</c>: the side-by-side runs the real commands and reports what it timed.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Bench_times_analyze_and_the_reference_commands_it_finds()
    {
        var path = Path.Combine(_dir, "song.wav");
        TestWav.WritePcm16(path, TestWav.CalmThenTense());
        var (code, stdout, stderr) = LightmoodProcess.Run("bench", "--file", path, "--runs", "1", "--hops", "44", "--all-cores");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("24.0 s; 1 timed run(s)", stdout, StringComparison.Ordinal);
        Assert.Contains("load average before: ", stdout, StringComparison.Ordinal);
        // the tests run a build, not the published (ReadyToRun) binary, and the bench says which it timed
        Assert.Contains("lightmood measured: ", stdout, StringComparison.Ordinal);
        Assert.Contains("compiled as it runs (a build, not published)", stdout, StringComparison.Ordinal);
        // the table: the label in 40 columns, then wall, CPU, × real time, wall / NumPy, the runs
        var rows = stdout.Split('\n').SkipWhile(l => !l.StartsWith("command ", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 40)
            .ToDictionary(l => l[..40].Trim(), l => l[40..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"lightmood analyze (hop {MoodWindow.HopFrames})", rows.Keys);
        Assert.Contains("lightmood analyze --window-hop 44", rows.Keys);
        foreach (var row in rows.Values)
        {
            var wall = double.Parse(row[0], CultureInfo.InvariantCulture);
            var speed = double.Parse(row[2], CultureInfo.InvariantCulture);
            if (row[1] != "n/a")
            {
                Assert.InRange(double.Parse(row[1], CultureInfo.InvariantCulture), 0.0, 120);   // CPU seconds of the child
            }

            Assert.InRange(wall, 0.01, 120);
            // × real time is the file's length over the wall time; the wall is printed to 0.01 s, so allow its rounding
            Assert.InRange(speed, (24 / (wall + 0.005)) - 1, (24 / Math.Max(wall - 0.005, 0.001)) + 1);
        }

        // the reference commands run where they are installed, and say so where they are not
        var numpy = File.Exists("/usr/bin/python3") && Run("/usr/bin/python3", "-c", "import numpy, scipy, pywt") == 0;
        Assert.Equal(numpy, rows.ContainsKey("NumPy/SciPy/pywt features script"));
        Assert.Equal(!numpy, stdout.Contains("NumPy script: ", StringComparison.Ordinal));
        var aubio = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "aubio")));
        Assert.Equal(aubio, rows.ContainsKey("aubio tempo"));
        if (numpy)
        {
            Assert.All(rows.Values, r => Assert.Matches(@"^\d+\.\d\d$", r[3]));
        }
    }

    private static int Run(string file, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(info)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }
}
