namespace LightMood.Lighting.Engine;

/// <summary>
/// An estimate with every number finite and in range: a NaN valence would stick in the modulation low-pass for
/// good (and NaN cannot be written to the page as JSON), so a non-finite value counts as neutral.
/// </summary>
internal static class FiniteEstimate
{
    /// <summary>The estimate itself when it is clean, else a cleaned copy.</summary>
    public static MoodState Of(MoodState s)
    {
        static double Clean(double v, double min, double max, double fallback) => double.IsFinite(v) ? Math.Clamp(v, min, max) : fallback;
        var clean = s with
        {
            Confidence = Clean(s.Confidence, 0, 1, 0),
            Valence = Clean(s.Valence, -1, 1, 0),
            Arousal = Clean(s.Arousal, -1, 1, 0),
            Energy = Clean(s.Energy, 0, 1, 0),
            TempoBpm = s.TempoBpm is { } t && double.IsFinite(t) && t > 0 ? t : null,
            TimeSeconds = Clean(s.TimeSeconds, 0, double.MaxValue, 0),
            RegionStartSeconds = Clean(s.RegionStartSeconds, 0, double.MaxValue, 0),
        };
        return clean == s ? s : clean;
    }
}
