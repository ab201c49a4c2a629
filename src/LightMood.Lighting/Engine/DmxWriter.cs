using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// Writes fixture attributes into 512-slot universe frames through each fixture's mode: 16-bit coarse/fine pairs,
/// colour into RGB(W/A/UV) emitters (scaled by intensity when the mode has no dimmer), white extracted as min(R,G,B),
/// colour wheels to the nearest slot, strobe through the channel's range, untouched channels at their default.
/// </summary>
public sealed class DmxWriter
{
    private readonly Patch _patch;
    private readonly int[] _universeIndex;
    private readonly bool[] _hasDimmer;
    private readonly bool[] _hasWhite;
    private readonly bool[] _hasRgb;

    /// <param name="patch">The rig.</param>
    /// <param name="universeIndexOfFixture">For each fixture, the index of its universe in the frame set.</param>
    public DmxWriter(Patch patch, int[] universeIndexOfFixture)
    {
        _patch = patch;
        _universeIndex = universeIndexOfFixture;
        _hasDimmer = patch.Fixtures.Select(f => f.Mode.Has(ChannelKind.Intensity)).ToArray();
        _hasWhite = patch.Fixtures.Select(f => f.Mode.Has(ChannelKind.White)).ToArray();
        _hasRgb = patch.Fixtures.Select(f => f.Mode.Has(ChannelKind.Red) || f.Mode.Has(ChannelKind.Green) || f.Mode.Has(ChannelKind.Blue)).ToArray();
    }

    /// <summary>Writes every fixture. <paramref name="master"/> (0..1) scales intensity.</summary>
    public void Write(ReadOnlySpan<FixtureAttributes> attributes, double master, byte[][] frames)
    {
        var fixtures = _patch.Fixtures;
        for (var i = 0; i < fixtures.Count; i++)
        {
            var f = fixtures[i];
            var frame = frames[_universeIndex[i]].AsSpan(f.Address - 1, f.Footprint);
            WriteFixture(f.Mode, attributes[i], master, _hasDimmer[i], _hasWhite[i], _hasRgb[i], frame);
        }
    }

    private static void WriteFixture(FixtureMode mode, in FixtureAttributes a, double master, bool hasDimmer, bool hasWhite, bool hasRgb, Span<byte> slots)
    {
        var intensity = Math.Clamp(a.Intensity * master, 0, 1);
        var emitterScale = hasDimmer ? 1.0 : intensity;
        var r = Math.Clamp(a.R, 0, 1);
        var g = Math.Clamp(a.G, 0, 1);
        var b = Math.Clamp(a.B, 0, 1);
        double w;
        if (hasWhite && hasRgb)
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
                ChannelKind.Intensity => Coarse(intensity),
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
                ChannelKind.ColourWheel => WheelValue(ch, a.R, a.G, a.B),
                _ => ch.Default,
            };
        }
    }

    /// <summary>High byte of the 16-bit value of <paramref name="v"/> (0..1 → 0..65535).</summary>
    public static byte Coarse(double v) => (byte)(To16(v) >> 8);

    /// <summary>Low byte of the 16-bit value of <paramref name="v"/>.</summary>
    public static byte Fine(double v) => (byte)(To16(v) & 0xFF);

    private static int To16(double v) => (int)Math.Round(Math.Clamp(v, 0, 1) * 65535);

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

        var max = Math.Max(r, Math.Max(g, b));
        var want = max > 0 ? new Rgb(r / max, g / max, b / max) : Rgb.White;
        var best = 0;
        var bestD = double.MaxValue;
        for (var i = 0; i < slots.Count; i++)
        {
            var d = slots[i].Colour.DistanceSquared(want);
            if (d < bestD)
            {
                bestD = d;
                best = i;
            }
        }

        return slots[best].Value;
    }
}
