namespace LightMood.Analysis.Tests;

/// <summary>The closed-form test signals of tools/reference/make_goldens.py (float64 formula, rounded to float32).</summary>
internal static class TestSignals
{
    private const double Sr = AnalysisFormat.SampleRate;

    /// <summary>A C major triad (C4, E4, G4) at 0.3 each (tools/reference/make_goldens.py: triad).</summary>
    public static float[] Triad(int n)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++)
        {
            double t = i;
            x[i] = (float)((0.3 * Math.Sin(2 * Math.PI * 261.6256 * t / Sr))
                + (0.3 * Math.Sin(2 * Math.PI * 329.6276 * t / Sr))
                + (0.3 * Math.Sin(2 * Math.PI * 391.9954 * t / Sr)));
        }

        return x;
    }

    public static float[] ToneMix(int n)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++)
        {
            double t = i;
            x[i] = (float)((0.5 * Math.Sin(2 * Math.PI * 440.0 * t / Sr))
                + (0.25 * Math.Sin((2 * Math.PI * 3000.0 * t / Sr) + 0.3))
                + (0.1 * Math.Sin(2 * Math.PI * (50.0 + (2000.0 * t / n)) * t / Sr)));
        }

        return x;
    }

    public static float[] SteppedTone(IReadOnlyList<double> amplitudes, int segment)
    {
        var x = new float[amplitudes.Count * segment];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(amplitudes[i / segment] * Math.Sin(2 * Math.PI * 1000.0 * i / Sr));
        }

        return x;
    }

    /// <summary>A kick (60 Hz decaying sine plus a 2 kHz click) on every beat from <paramref name="firstBeat"/>.</summary>
    public static float[] KickTrack(double bpm, double seconds, double firstBeat = 0.1)
    {
        var x = new double[(int)Math.Round(seconds * Sr)];
        AddKicks(x, bpm, firstBeat, x.Length);
        return Array.ConvertAll(x, v => (float)v);
    }

    /// <summary>Kicks from <paramref name="firstBeat"/> up to sample <paramref name="end"/>.</summary>
    public static void AddKicks(double[] x, double bpm, double firstBeat, int end)
    {
        var period = 60.0 / bpm;
        for (var k = 0; ; k++)
        {
            var start = firstBeat + (k * period);
            var s0 = (int)Math.Ceiling(start * Sr);
            if (s0 >= end)
            {
                break;
            }

            var length = Math.Min((int)(0.25 * Sr), x.Length - s0);
            for (var i = 0; i < length; i++)
            {
                var tt = ((i + s0) / Sr) - start;
                x[s0 + i] += (0.8 * Math.Sin(2 * Math.PI * 60.0 * tt) * Math.Exp(-tt / 0.08))
                    + (0.2 * Math.Sin(2 * Math.PI * 2000.0 * tt) * Math.Exp(-tt / 0.005));
            }
        }
    }
}
