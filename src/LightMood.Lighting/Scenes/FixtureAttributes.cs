namespace LightMood.Lighting.Scenes;

/// <summary>
/// What a look asks of one fixture in one frame, independent of its channels (all 0..1 except <see cref="StrobeHz"/>).
/// The DMX writer maps these onto whatever channels the fixture's mode has.
/// </summary>
public struct FixtureAttributes
{
    public double Intensity;
    public double R;
    public double G;
    public double B;
    public double Amber;
    public double Uv;
    public double Cto;
    public double Pan;
    public double Tilt;

    /// <summary>Strobe rate in Hz, 0 = no strobe.</summary>
    public double StrobeHz;

    public static FixtureAttributes Lerp(in FixtureAttributes a, in FixtureAttributes b, double t) => new()
    {
        Intensity = a.Intensity + ((b.Intensity - a.Intensity) * t),
        R = a.R + ((b.R - a.R) * t),
        G = a.G + ((b.G - a.G) * t),
        B = a.B + ((b.B - a.B) * t),
        Amber = a.Amber + ((b.Amber - a.Amber) * t),
        Uv = a.Uv + ((b.Uv - a.Uv) * t),
        Cto = a.Cto + ((b.Cto - a.Cto) * t),
        Pan = a.Pan + ((b.Pan - a.Pan) * t),
        Tilt = a.Tilt + ((b.Tilt - a.Tilt) * t),
        StrobeHz = t < 0.5 ? a.StrobeHz : b.StrobeHz,
    };
}

/// <summary>The musical context of a frame: the modulation inputs and the beat clock.</summary>
/// <param name="Valence">Current valence in [−1, 1].</param>
/// <param name="Arousal">Current arousal in [−1, 1].</param>
/// <param name="BeatPosition">Beats since the beat clock started (fractional part = phase), when <paramref name="BeatActive"/>.</param>
/// <param name="BeatActive">True while beats arrive (within the beat timeout).</param>
/// <param name="TempoBpm">Tempo in BPM, 0 when unknown.</param>
/// <param name="MovementPhase">Movement cycles elapsed (integrated from the look's speed).</param>
public readonly record struct RenderContext(double Valence, double Arousal, double BeatPosition, bool BeatActive, double TempoBpm, double MovementPhase);
