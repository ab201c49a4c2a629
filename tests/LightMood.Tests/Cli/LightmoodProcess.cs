using System.Diagnostics;

namespace LightMood.Tests.Cli;

/// <summary>Runs the built <c>lightmood</c> (lightmood.dll beside the tests) as a real process.</summary>
internal static class LightmoodProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "lightmood.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill();
            throw new TimeoutException("lightmood did not finish in 120 s");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Writes small WAV files for the CLI tests.</summary>
internal static class TestWav
{
    public static void WritePcm16(string path, float[] samples, int rate = 22050, int channels = 1)
    {
        using var w = new BinaryWriter(File.Create(path));
        var data = samples.Length * 2;
        w.Write("RIFF"u8);
        w.Write(36 + data);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)channels);
        w.Write(rate);
        w.Write(rate * channels * 2);
        w.Write((short)(channels * 2));
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(data);
        foreach (var s in samples)
        {
            w.Write((short)Math.Clamp(Math.Round(s * 32767), -32768, 32767));
        }
    }

    public static void WriteFloat(string path, float[] samples, int rate = 22050)
    {
        using var w = new BinaryWriter(File.Create(path));
        var data = samples.Length * 4;
        w.Write("RIFF"u8);
        w.Write(36 + data);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)3);
        w.Write((short)1);
        w.Write(rate);
        w.Write(rate * 4);
        w.Write((short)4);
        w.Write((short)32);
        w.Write("data"u8);
        w.Write(data);
        foreach (var s in samples)
        {
            w.Write(s);
        }
    }

    /// <summary>Quiet tone for 12 s, then loud kicks with noise for 12 s (a clear change at 12 s).</summary>
    public static float[] QuietThenLoud()
    {
        const int Sr = 22050;
        var x = new float[24 * Sr];
        var random = new Random(7);
        for (var i = 0; i < x.Length; i++)
        {
            var t = (double)i / Sr;
            if (t < 12)
            {
                x[i] = (float)(0.03 * Math.Sin(2 * Math.PI * 220 * t));
            }
            else
            {
                var beat = (t - 12) % 0.5;
                x[i] = (float)((0.7 * Math.Sin(2 * Math.PI * 60 * beat) * Math.Exp(-beat / 0.08)) + ((random.NextDouble() - 0.5) * 0.3 * Math.Exp(-((t - 12) % 0.25) / 0.03)) + (0.1 * Math.Sin(2 * Math.PI * 1760 * t)));
            }
        }

        return x;
    }
}
