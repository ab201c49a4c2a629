namespace LightMood.Analysis.Dsp;

/// <summary>Analysis windows (pure functions).</summary>
public static class Windows
{
    /// <summary>Periodic Hann window, as <c>scipy.signal.get_window("hann", n)</c> (the DFT-even form librosa uses).</summary>
    public static float[] HannPeriodic(int length)
    {
        var w = new float[length];
        for (var n = 0; n < length; n++)
        {
            w[n] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * n / length)));
        }

        return w;
    }
}
