using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The accent on a new section within one mood (<see cref="SectionAccent"/>): armed when the section reaches the
/// lighting, it waits for the beat clock's next beat (the section's first beat the rig can still hit: the section is
/// found ≈ 0.5–1 s after it starts in the audio) and then raises every fixture's intensity to at least the accent's
/// for its seconds. Without beats it flashes at once. It stops when the section's look stops showing (a new mood, a
/// forced mood, silence, a safe look). Render thread only; allocation-free.
/// </summary>
internal sealed class SectionAccentFlash(TimeProvider time)
{
    private SectionAccent? _accent;
    private double _dueBeat = double.NaN;
    private long _start = long.MinValue;

    /// <summary>Whether an accent is armed or flashing.</summary>
    public bool Pending => _accent is not null;

    /// <summary>Arms <paramref name="accent"/>: it flashes on the beat after <paramref name="beat"/>'s position, or at once without beats.</summary>
    public void Arm(SectionAccent accent, in BeatReading beat)
    {
        _accent = accent;
        _start = long.MinValue;
        _dueBeat = beat.Active ? Math.Floor(beat.Position) + 1 : double.NaN;
    }

    /// <summary>Drops an armed or flashing accent.</summary>
    public void Cancel() => _accent = null;

    /// <summary>Raises <paramref name="output"/>'s intensities while the accent flashes; starts it when its beat is due.</summary>
    public void Apply(long now, in BeatReading beat, Span<FixtureAttributes> output)
    {
        if (_accent is not { } accent)
        {
            return;
        }

        if (_start == long.MinValue)
        {
            if (beat.Active && !double.IsNaN(_dueBeat) && beat.Position < _dueBeat)
            {
                return;   // waiting for the section's first beat
            }

            _start = now;
        }

        if (time.GetElapsedTime(_start, now).TotalSeconds >= accent.Seconds)
        {
            _accent = null;
            return;
        }

        for (var i = 0; i < output.Length; i++)
        {
            output[i].Intensity = Math.Max(output[i].Intensity, accent.Intensity);
        }
    }
}
