using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>
/// Renders a <see cref="MoodLook"/> into per-fixture attributes: palette colour per group with a beat-locked chase,
/// valence warmth, arousal-scaled intensity, a beat pulse, pan/tilt figures and a rate-limited strobe.
/// Allocation-free: a look's per-fixture palettes are resolved once in <see cref="Bind"/>.
/// </summary>
public sealed class LookRenderer
{
    private readonly Patch _patch;
    private readonly IReadOnlyList<Rgb>[] _palettes;

    public LookRenderer(Patch patch)
    {
        _patch = patch;
        _palettes = new IReadOnlyList<Rgb>[patch.Fixtures.Count];
    }

    public MoodLook? Look { get; private set; }

    /// <summary>Binds a look (resolves each fixture's palette); allocation happens here, not per frame.</summary>
    public void Bind(MoodLook look)
    {
        Look = look;
        for (var i = 0; i < _patch.Fixtures.Count; i++)
        {
            _palettes[i] = look.PaletteFor(_patch.Fixtures[i].Group);
        }
    }

    /// <summary>Movement speed in cycles per second for the bound look in this context (beat-locked when it can be).</summary>
    public double MovementSpeedHz(in RenderContext ctx, Modulation mod)
    {
        if (Look is null)
        {
            return 0;
        }

        var m = Look.Movement;
        var baseHz = m.BeatsPerCycle > 0 && ctx.TempoBpm > 0 ? ctx.TempoBpm / 60.0 / m.BeatsPerCycle : m.SpeedHz;
        return baseHz * Math.Max(0, 1 + (mod.ArousalSpeed * ctx.Arousal));
    }

    public void Render(in RenderContext ctx, Modulation mod, Span<FixtureAttributes> dest)
    {
        var look = Look ?? throw new InvalidOperationException("no look bound");
        var fixtures = _patch.Fixtures;
        var intensity = Math.Clamp(look.Intensity * (1 + (mod.ArousalIntensity * ctx.Arousal)), 0, 1);
        var pulse = 1.0;
        var chaseStep = 0L;
        if (ctx.BeatActive)
        {
            // flash on the beat, decay over the beat: (1 − depth) + depth·(1 − phase)²
            var phase = ctx.BeatPosition - Math.Floor(ctx.BeatPosition);
            pulse = 1 - look.PulseDepth + (look.PulseDepth * (1 - phase) * (1 - phase));
            if (look.ChaseStepsPerBeat > 0)
            {
                // arousal speeds the chase up or slows it down in powers of two, so its steps stay on the beat
                var speed = Math.Pow(2, Math.Round(Math.Log2(Math.Max(0.25, 1 + (mod.ArousalSpeed * ctx.Arousal)))));
                chaseStep = (long)Math.Floor((ctx.BeatPosition * look.ChaseStepsPerBeat * speed) + 1e-9);
            }
        }

        var warmth = Math.Clamp(mod.ValenceWarmth * ctx.Valence, -1, 1);
        var strobe = look.StrobeOrOff;
        var strobeHz = 0.0;
        if (strobe.Allowed && ctx.Arousal > strobe.ArousalAbove)
        {
            // two flashes per beat when a tempo is known, never above the look's rate limit
            strobeHz = Math.Min(strobe.MaxRateHz, ctx.TempoBpm > 0 ? ctx.TempoBpm / 30.0 : strobe.MaxRateHz);
        }

        var m = look.Movement;
        for (var i = 0; i < fixtures.Count; i++)
        {
            var f = fixtures[i];
            var palette = _palettes[i];
            var c = palette[(int)((f.IndexInGroup + chaseStep) % palette.Count)];
            var r = c.R;
            var g = c.G;
            var b = c.B;
            if (warmth > 0)
            {
                r += (1 - r) * warmth * 0.5;
                b *= 1 - (warmth * 0.5);
            }
            else if (warmth < 0)
            {
                b += (1 - b) * -warmth * 0.5;
                r *= 1 + (warmth * 0.5);
            }

            ref var a = ref dest[i];
            a.Intensity = intensity * pulse;
            a.R = r;
            a.G = g;
            a.B = b;
            a.Amber = Math.Max(0, warmth) * Math.Min(r, g);
            a.Cto = Math.Max(0, warmth);
            a.Uv = look.Uv;
            a.StrobeHz = strobeHz;
            var theta = 2 * Math.PI * (ctx.MovementPhase + (m.Spread * f.IndexInGroup));
            (a.Pan, a.Tilt) = m.Pattern switch
            {
                MovementPattern.Circle => (m.Pan + (m.PanRange * Math.Sin(theta)), m.Tilt + (m.TiltRange * Math.Cos(theta))),
                MovementPattern.Figure8 => (m.Pan + (m.PanRange * Math.Sin(theta)), m.Tilt + (m.TiltRange * Math.Sin(2 * theta))),
                MovementPattern.Sweep => (m.Pan + (m.PanRange * Math.Sin(theta)), m.Tilt),
                MovementPattern.Wave => (m.Pan, m.Tilt + (m.TiltRange * Math.Sin(theta))),
                _ => (m.Pan, m.Tilt),
            };
            a.Pan = Math.Clamp(a.Pan, 0, 1);
            a.Tilt = Math.Clamp(a.Tilt, 0, 1);
        }
    }
}
