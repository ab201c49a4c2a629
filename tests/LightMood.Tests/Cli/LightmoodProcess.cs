using System.Diagnostics;

namespace LightMood.Tests.Cli;

/// <summary>Runs the built <c>lightmood</c> (lightmood.dll beside the tests) as a real process.</summary>
internal static class LightmoodProcess
{
    /// <summary>Runs the CLI (with the production CRNN, the only mood estimator).</summary>
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

    /// <summary>White noise at an RMS of <paramref name="dbfs"/> at 22 050 Hz (−∞: digital silence).</summary>
    public static float[] Noise(double seconds, double dbfs, int seed = 1)
    {
        var x = new float[(int)(seconds * 22050)];
        if (!double.IsNegativeInfinity(dbfs))
        {
            var random = new Random(seed);
            var amplitude = Math.Sqrt(3 * Math.Pow(10, dbfs / 10));   // uniform in ±a has mean square a²/3
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = (float)(amplitude * ((2 * random.NextDouble()) - 1));
            }
        }

        return x;
    }

    /// <summary>
    /// Real music with a clear change at 12 s: 12 s of the bundled demo's calm section (8-20 s) cut to 12 s of its tense
    /// section (62-74 s). Synthetic tones are out of the CRNN's training distribution.
    /// </summary>
    public static float[] CalmThenTense()
    {
        const int Sr = 22050;
        var demo = Demo.Value;
        return [.. demo.AsSpan(8 * Sr, 12 * Sr), .. demo.AsSpan(62 * Sr, 12 * Sr)];
    }

    private static readonly Lazy<float[]> Demo = new(() =>
        LightMood.Audio.Decoding.AudioFileDecoder.Decode(Path.Combine(AppContext.BaseDirectory, "fixtures", "demo", "demo.ogg"), 22050).Samples);
}
