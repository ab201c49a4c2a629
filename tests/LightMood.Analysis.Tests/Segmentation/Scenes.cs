namespace LightMood.Analysis.Tests.Segmentation;

/// <summary>Synthetic "songs" of sections with different character, for the soft cut (deterministic).</summary>
internal static class Scenes
{
    private const double Sr = AnalysisFormat.SampleRate;

    /// <summary>Quiet, slow, dark: a soft low harmonic tone with a slow swell (low arousal, low brightness, no pulse).</summary>
    public static void Pad(double[] x, double from, double to, int seed)
    {
        int s0 = (int)(from * Sr), s1 = Math.Min(x.Length, (int)(to * Sr));
        double[] f = [110, 220, 330];
        for (var i = s0; i < s1; i++)
        {
            var t = i / Sr;
            var swell = 0.6 + (0.4 * Math.Sin(2 * Math.PI * 0.25 * t));
            var v = 0.0;
            foreach (var hz in f)
            {
                v += Math.Sin((2 * Math.PI * hz * t) + seed);
            }

            x[i] += 0.02 * swell * v;
        }
    }

    /// <summary>Loud, fast, bright: kicks at <paramref name="bpm"/>, eighth-note noise hats, a bright saw-ish lead and noise.</summary>
    public static void Drive(double[] x, double from, double to, double bpm, int seed)
    {
        int s0 = (int)(from * Sr), s1 = Math.Min(x.Length, (int)(to * Sr));
        var kicks = new double[s1 - s0];
        TestSignals.AddKicks(kicks, bpm, 0.0, kicks.Length);
        var random = new Random(seed);
        var period = 60 / bpm;
        for (var i = s0; i < s1; i++)
        {
            var t = (i - s0) / Sr;
            var phase = t % (period / 2);
            var hat = (random.NextDouble() - 0.5) * 1.2 * Math.Exp(-phase / 0.015);
            var lead = 0.0;
            for (var h = 1; h <= 12; h++)
            {
                lead += Math.Sin(2 * Math.PI * 880 * h * t) / h;
            }

            x[i] += kicks[i - s0] + hat + (0.25 * lead) + ((random.NextDouble() - 0.5) * 0.1);
        }
    }

    public static float[] ToFloat(double[] x) => Array.ConvertAll(x, v => (float)v);

    /// <summary>45 s: a pad (0–15 s), a 128 BPM drive (15–32 s), another pad (32–45 s).</summary>
    public static float[] PadDrivePad()
    {
        var x = new double[45 * AnalysisFormat.SampleRate];
        Pad(x, 0, 15, 1);
        Drive(x, 15, 32, 128, 2);
        Pad(x, 32, 45, 3);
        return ToFloat(x);
    }
}
