namespace LightMood.Lighting.Scenes;

/// <summary>
/// How a mood's look varies when the music starts a new section while the mood stays (the analysis' structural
/// boundaries, <c>MoodState.SectionStartSeconds</c>): the n-th section of a run of one mood shows the look with every
/// group's palette rotated n × <see cref="PaletteStep"/> colours and, when <see cref="Chases"/> is not empty, the chase
/// speed <see cref="Chases"/>[(n − 1) mod count]. A new mood starts again from the look itself and crossfades as usual.
/// </summary>
/// <param name="PaletteStep">Palette colours each group moves on per section (0: the colours stay).</param>
/// <param name="Chases">Chase speeds (palette steps per beat) taken in turn, one per section; empty: the look's own.</param>
/// <param name="FadeSeconds">Fade into a variation; null: the look's own fade, or the scenes' crossfade.</param>
/// <param name="Accent">A flash on the first beat of a new section within the mood; null: none.</param>
public sealed record SectionVariation(int PaletteStep = 1, IReadOnlyList<double>? Chases = null, double? FadeSeconds = null, SectionAccent? Accent = null)
{
    /// <summary>No variation: every section of a mood shows its look unchanged.</summary>
    public static SectionVariation None { get; } = new(0);

    /// <summary>Whether any section looks different from the look itself.</summary>
    public bool Varies => PaletteStep != 0 || Chases is { Count: > 0 };

    /// <summary>The look for the <paramref name="section"/>-th section (0: the look itself) of a run of one mood.</summary>
    public MoodLook Apply(MoodLook look, int section)
    {
        ArgumentNullException.ThrowIfNull(look);
        ArgumentOutOfRangeException.ThrowIfNegative(section);
        if (section == 0 || !Varies)
        {
            return look;
        }

        var palettes = new Dictionary<string, IReadOnlyList<Rgb>>(StringComparer.Ordinal);
        foreach (var (group, colours) in look.Palettes)
        {
            var shift = colours.Count == 0 ? 0 : (int)(((long)section * PaletteStep) % colours.Count);
            palettes[group] = shift == 0 ? colours : [.. colours.Skip(shift), .. colours.Take(shift)];
        }

        var chase = Chases is { Count: > 0 } c ? c[(section - 1) % c.Count] : look.ChaseStepsPerBeat;
        return look with { Palettes = palettes, ChaseStepsPerBeat = chase, FadeSeconds = FadeSeconds ?? look.FadeSeconds };
    }
}

/// <summary>
/// The accent on a new section within one mood: on the section's first beat (the beat clock's next beat after the
/// section reached the lighting; at once when no beat is heard) every fixture's intensity is raised to at least
/// <see cref="Intensity"/> for <see cref="Seconds"/>, colours and positions kept. The master, the group and channel
/// overrides and blackout still apply after it.
/// </summary>
/// <param name="Intensity">The flash's intensity, 0..1 (before the master).</param>
/// <param name="Seconds">How long the flash holds.</param>
public sealed record SectionAccent(double Intensity = 1.0, double Seconds = 0.3);
