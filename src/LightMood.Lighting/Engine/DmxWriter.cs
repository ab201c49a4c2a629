using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// Writes fixture attributes into 512-slot universe frames through each fixture's mode: 16-bit coarse/fine pairs,
/// colour into RGB(W/A/UV) emitters (scaled by intensity when the mode has no dimmer), white extracted as min(R,G,B),
/// subtractive CMY flags (1 − R, G, B) where the mode has no RGB emitters (with them, cyan/magenta/yellow are extra
/// emitters and stay at 0), hue and saturation of an HSV/HSL system, CTC from the warmth; a colour wheel or macro
/// goes to the nearest slot only when it is the mode's only colour (else it stays at its open / no-function
/// default); strobe through the channel's range; untouched channels at their default.
/// </summary>
public sealed class DmxWriter
{
    private readonly Patch _patch;
    private readonly int[] _universeIndex;
    private readonly bool[] _hasDimmer;
    private readonly bool[] _hasWhite;
    private readonly bool[] _hasRgb;
    private readonly bool[] _subtractive;
    private readonly bool[] _mixes;
    private readonly bool[][] _wheelSelects;
    private readonly bool[] _singleColour;
    private readonly int[] _layerOffset;
    private readonly bool[] _layerHtp;

    /// <param name="patch">The rig.</param>
    /// <param name="universeIndexOfFixture">For each fixture, the index of its universe in the frame set.</param>
    public DmxWriter(Patch patch, int[] universeIndexOfFixture)
    {
        _patch = patch;
        _universeIndex = universeIndexOfFixture;
        _hasDimmer = patch.Fixtures.Select(f => f.Mode.Has(ChannelKind.Intensity)).ToArray();
        _hasWhite = patch.Fixtures.Select(f => f.Mode.Has(ChannelKind.White)).ToArray();
        _hasRgb = patch.Fixtures.Select(f => f.Mode.Has(ChannelKind.Red) || f.Mode.Has(ChannelKind.Green) || f.Mode.Has(ChannelKind.Blue)).ToArray();
        _subtractive = patch.Fixtures.Select((f, i) => !_hasRgb[i] && (f.Mode.Has(ChannelKind.Cyan) || f.Mode.Has(ChannelKind.Magenta) || f.Mode.Has(ChannelKind.Yellow))).ToArray();
        _mixes = patch.Fixtures.Select((f, i) => _hasRgb[i] || _subtractive[i] || f.Mode.Has(ChannelKind.Hue)).ToArray();
        // one colour of emitter only (a blue LED bar, a red-only channel set): it cannot mix, so it shows the look's
        // intensity in its own colour rather than going dark for looks without that colour
        _singleColour = patch.Fixtures.Select(f => new[] { ChannelKind.Red, ChannelKind.Green, ChannelKind.Blue, ChannelKind.White }.Count(f.Mode.Has) == 1 &&
            !f.Mode.Has(ChannelKind.White) && !f.Mode.Has(ChannelKind.Hue) && !f.Mode.Has(ChannelKind.Cyan)).ToArray();
        _wheelSelects = patch.Fixtures.Select((f, i) => f.Mode.Channels.Select(c => c.Kind == ChannelKind.ColourWheel && (!_mixes[i] || OpensDark(c))).ToArray()).ToArray();
        _layerOffset = new int[patch.Fixtures.Count];
        for (var i = 1; i < _layerOffset.Length; i++)
        {
            _layerOffset[i] = _layerOffset[i - 1] + patch.Fixtures[i - 1].Footprint;
        }

        _layerHtp = [.. patch.Fixtures.SelectMany(f => f.Mode.Channels.Select(c => c.Kind.IsHtp()))];
    }

    /// <summary>Slots of the whole rig in patch order (the length of a layer of raw levels).</summary>
    public int LayerLength => _layerHtp.Length;

    /// <summary>
    /// A colour channel whose open value is its lowest slot, and that slot is black ("Blackout" at 0, no "no
    /// function" range): the channel is the fixture's colour selector even beside RGB, so a slot is chosen.
    /// </summary>
    private static bool OpensDark(FixtureChannel c)
    {
        var lowest = c.Slots.OrderBy(s => s.Value).FirstOrDefault();
        return lowest is { Colour: { R: <= 0, G: <= 0, B: <= 0 } } && c.Default <= lowest.Value;
    }

    /// <summary>Writes every fixture. <paramref name="master"/> (0..1) scales intensity.</summary>
    public void Write(ReadOnlySpan<FixtureAttributes> attributes, double master, byte[][] frames) => Write(attributes, default, default, master, frames);

    /// <summary>
    /// Writes every fixture, then the raw <paramref name="levels"/> (0..255 per slot of the rig in patch order, empty:
    /// none) over them by <paramref name="weights"/> (0: the rendered value, 1: the level). <paramref name="master"/>
    /// (0..1) scales intensity, the levels of HTP channels included.
    /// </summary>
    public void Write(ReadOnlySpan<FixtureAttributes> attributes, ReadOnlySpan<double> levels, ReadOnlySpan<double> weights, double master, byte[][] frames)
    {
        var fixtures = _patch.Fixtures;
        for (var i = 0; i < fixtures.Count; i++)
        {
            var f = fixtures[i];
            var frame = frames[_universeIndex[i]].AsSpan(f.Address - 1, f.Footprint);
            WriteFixture(f.Mode, attributes[i], master, Colour(i), frame);
            if (weights.IsEmpty)
            {
                continue;
            }

            var offset = _layerOffset[i];
            for (var c = 0; c < frame.Length; c++)
            {
                var w = weights[offset + c];
                if (w > 0)
                {
                    var level = _layerHtp[offset + c] ? levels[offset + c] * Math.Clamp(master, 0, 1) : levels[offset + c];
                    frame[c] = (byte)Math.Clamp(Math.Round((frame[c] * (1 - w)) + (level * w)), 0, 255);
                }
            }
        }
    }

    /// <summary>Writes one fixture (index in the patch) into its <paramref name="slots"/> (its footprint), at full master.</summary>
    public void WriteFixture(int fixture, in FixtureAttributes attributes, Span<byte> slots) =>
        WriteFixture(_patch.Fixtures[fixture].Mode, attributes, 1, Colour(fixture), slots);

    private Colouring Colour(int i) => new(_hasDimmer[i], _hasWhite[i], _hasRgb[i], _subtractive[i], _wheelSelects[i], _singleColour[i]);

    private static void WriteFixture(FixtureMode mode, in FixtureAttributes a, double master, Colouring how, Span<byte> slots)
    {
        var intensity = Math.Clamp(a.Intensity * master, 0, 1);
        var emitterScale = how.HasDimmer ? 1.0 : intensity;
        var r = how.SingleColour ? 1 : Math.Clamp(a.R, 0, 1);
        var g = how.SingleColour ? 1 : Math.Clamp(a.G, 0, 1);
        var b = how.SingleColour ? 1 : Math.Clamp(a.B, 0, 1);
        var (hue, saturation, lightness) = Hsl(r, g, b);
        lightness *= emitterScale;
        var subtract = how.Subtractive ? 1.0 : 0.0;
        double w;
        if (how.HasWhite && how.HasRgb)
        {
            w = Math.Min(r, Math.Min(g, b));
            r -= w;
            g -= w;
            b -= w;
        }
        else
        {
            w = Math.Max(r, Math.Max(g, b));
        }

        var channels = mode.Channels;
        for (var c = 0; c < channels.Count; c++)
        {
            var ch = channels[c];
            slots[c] = ch.Kind switch
            {
                ChannelKind.Intensity => ch.DimmerRange is { } dr ? DimmerValue(dr, intensity, ch.Default) : Coarse(intensity),
                ChannelKind.IntensityFine => Fine(intensity),
                ChannelKind.Red => Coarse(r * emitterScale),
                ChannelKind.RedFine => Fine(r * emitterScale),
                ChannelKind.Green => Coarse(g * emitterScale),
                ChannelKind.GreenFine => Fine(g * emitterScale),
                ChannelKind.Blue => Coarse(b * emitterScale),
                ChannelKind.BlueFine => Fine(b * emitterScale),
                ChannelKind.White => Coarse(w * emitterScale),
                ChannelKind.WhiteFine => Fine(w * emitterScale),
                ChannelKind.Amber => Coarse(a.Amber * emitterScale),
                ChannelKind.Uv => Coarse(a.Uv * emitterScale),
                ChannelKind.Cto => Coarse(a.Cto),
                ChannelKind.Pan => Coarse(a.Pan),
                ChannelKind.PanFine => Fine(a.Pan),
                ChannelKind.Tilt => Coarse(a.Tilt),
                ChannelKind.TiltFine => Fine(a.Tilt),
                ChannelKind.Strobe => StrobeValue(ch, a.StrobeHz),
                ChannelKind.ColourWheel => how.WheelSelects[c] ? WheelValue(ch, a.R, a.G, a.B) : ch.Default,
                ChannelKind.Cyan => Coarse(subtract * (1 - a.R)),
                ChannelKind.CyanFine => Fine(subtract * (1 - a.R)),
                ChannelKind.Magenta => Coarse(subtract * (1 - a.G)),
                ChannelKind.MagentaFine => Fine(subtract * (1 - a.G)),
                ChannelKind.Yellow => Coarse(subtract * (1 - a.B)),
                ChannelKind.YellowFine => Fine(subtract * (1 - a.B)),
                ChannelKind.Hue => Coarse(hue),
                ChannelKind.HueFine => Fine(hue),
                ChannelKind.Saturation => Coarse(saturation),
                ChannelKind.SaturationFine => Fine(saturation),
                ChannelKind.Lightness => Coarse(lightness),
                ChannelKind.Ctc => Coarse(0.5 * (1 - a.Cto)),
                _ => ch.Default,
            };
        }
    }

    /// <summary>
    /// Hue (0..1 of the circle) and saturation of the colour as HSV (what HSV and HSL fixtures take on their hue and
    /// saturation channels), and the HSL lightness of the colour at full brightness: 0.5 for a saturated colour, up to 1
    /// for white.
    /// </summary>
    public static (double Hue, double Saturation, double Lightness) Hsl(double r, double g, double b)
    {
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        if (max <= 0)
        {
            return (0, 0, 0.5);
        }

        var delta = max - min;
        double h = 0;
        if (delta > 0)
        {
            h = max == r ? (g - b) / delta : max == g ? 2 + ((b - r) / delta) : 4 + ((r - g) / delta);
            h /= 6;
            if (h < 0)
            {
                h += 1;
            }
        }

        var saturation = delta / max;
        return (h, saturation, 0.5 + (0.5 * (1 - saturation)));
    }

    /// <summary>High byte of the 16-bit value of <paramref name="v"/> (0..1 → 0..65535).</summary>
    public static byte Coarse(double v) => (byte)(To16(v) >> 8);

    /// <summary>Low byte of the 16-bit value of <paramref name="v"/>.</summary>
    public static byte Fine(double v) => (byte)(To16(v) & 0xFF);

    private static int To16(double v) => (int)Math.Round(Math.Clamp(v, 0, 1) * 65535);

    private static byte DimmerValue(DimmerRange range, double intensity, byte off) =>
        intensity <= 0 ? off : (byte)Math.Round(range.Min + ((range.Max - range.Min) * intensity));

    private static byte StrobeValue(FixtureChannel ch, double hz)
    {
        var range = ch.StrobeRange;
        if (range is null || hz <= 0)
        {
            return range?.Off ?? ch.Default;
        }

        var t = range.FastHz > range.SlowHz ? Math.Clamp((hz - range.SlowHz) / (range.FastHz - range.SlowHz), 0, 1) : 0;
        return (byte)Math.Round(range.Slow + ((range.Fast - range.Slow) * t));
    }

    private static byte WheelValue(FixtureChannel ch, double r, double g, double b)
    {
        var slots = ch.Slots;
        if (slots.Count == 0)
        {
            return ch.Default;
        }

        // hue and saturation decide, not brightness: both colours are scaled to their brightest component
        var max = Math.Max(r, Math.Max(g, b));
        var want = max > 0 ? new Rgb(r / max, g / max, b / max) : Rgb.White;
        var best = -1;
        var bestD = double.MaxValue;
        for (var i = 0; i < slots.Count; i++)
        {
            var c = slots[i].Colour;
            var m = Math.Max(c.R, Math.Max(c.G, c.B));
            if (m <= 0)
            {
                continue;   // a black slot ("blackout") is never a colour
            }

            var d = new Rgb(c.R / m, c.G / m, c.B / m).DistanceSquared(want);
            if (d < bestD)
            {
                bestD = d;
                best = i;
            }
        }

        return best < 0 ? ch.Default : slots[best].Value;
    }

    /// <param name="WheelSelects">Per channel: a colour wheel/macro that selects the nearest slot (else it stays open).</param>
    /// <param name="SingleColour">Only one colour of emitter: it takes the intensity, whatever the look's colour.</param>
    private readonly record struct Colouring(bool HasDimmer, bool HasWhite, bool HasRgb, bool Subtractive, bool[] WheelSelects, bool SingleColour);
}
