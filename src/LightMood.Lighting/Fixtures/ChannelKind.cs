namespace LightMood.Lighting.Fixtures;

/// <summary>What a DMX channel of a fixture controls. The JSON names (snake_case) are part of the profile format.</summary>
public enum ChannelKind
{
    /// <summary>A channel LightMood does not drive; it holds the channel's default value.</summary>
    Generic = 0,
    Intensity,
    IntensityFine,
    Red,
    RedFine,
    Green,
    GreenFine,
    Blue,
    BlueFine,
    White,
    WhiteFine,
    Amber,
    Uv,
    /// <summary>Colour temperature orange (warming) mix: 0 = none, 255 = full CTO.</summary>
    Cto,
    Strobe,
    Pan,
    PanFine,
    Tilt,
    TiltFine,

    /// <summary>A colour wheel, or a colour macro / virtual wheel: its slots (colours) and, as its default, the open /
    /// no-function value. A slot is chosen only when the mode has no other colour system; otherwise it stays open.</summary>
    ColourWheel,

    /// <summary>Subtractive cyan (a CMY flag: 0 = out, 255 = full cyan), or an additive cyan emitter where the mode has RGB emitters.</summary>
    Cyan,
    CyanFine,
    Magenta,
    MagentaFine,
    Yellow,
    YellowFine,

    /// <summary>Hue of an HSV/HSL colour system: 0..255 = 0..360°.</summary>
    Hue,
    HueFine,

    /// <summary>Saturation of an HSV/HSL colour system: 0 = white, 255 = full colour.</summary>
    Saturation,
    SaturationFine,

    /// <summary>Lightness of an HSL colour system: 50 % = full colour, 100 % = white.</summary>
    Lightness,

    /// <summary>Colour temperature correction (CTC), warm (0) to cool (255): neutral at the middle, warmed by valence.</summary>
    Ctc,
}

/// <summary>Names and merge rules of <see cref="ChannelKind"/>.</summary>
public static class ChannelKinds
{
    private static readonly string[] Names =
    [
        "generic", "intensity", "intensity_fine", "red", "red_fine", "green", "green_fine", "blue", "blue_fine",
        "white", "white_fine", "amber", "uv", "cto", "strobe", "pan", "pan_fine", "tilt", "tilt_fine", "colour_wheel",
        "cyan", "cyan_fine", "magenta", "magenta_fine", "yellow", "yellow_fine", "hue", "hue_fine", "saturation",
        "saturation_fine", "lightness", "ctc",
    ];

    /// <summary>Every kind, in enum order.</summary>
    public static IReadOnlyList<ChannelKind> All { get; } = Enum.GetValues<ChannelKind>();

    public static string ToName(this ChannelKind kind) => Names[(int)kind];

    public static bool TryParse(string? name, out ChannelKind kind)
    {
        kind = ChannelKind.Generic;
        if (name is null)
        {
            return false;
        }

        var i = Array.IndexOf(Names, name.Trim().ToLowerInvariant());
        if (i < 0)
        {
            return false;
        }

        kind = (ChannelKind)i;
        return true;
    }

    /// <summary>
    /// Highest-takes-precedence channels: the light-emitting ones (intensity and colour emitters, coarse and fine).
    /// Blackout zeroes exactly these; every other channel (pan, tilt, CTO, strobe, wheel, generic) is
    /// latest-takes-precedence and keeps its value through a blackout so moving heads do not move.
    /// </summary>
    public static bool IsHtp(this ChannelKind kind) => kind is ChannelKind.Intensity or ChannelKind.IntensityFine
        or ChannelKind.Red or ChannelKind.RedFine or ChannelKind.Green or ChannelKind.GreenFine
        or ChannelKind.Blue or ChannelKind.BlueFine or ChannelKind.White or ChannelKind.WhiteFine
        or ChannelKind.Amber or ChannelKind.Uv;

    /// <summary>The fine (least significant byte) partner of a coarse kind, or null.</summary>
    public static ChannelKind? FineOf(this ChannelKind kind) => kind switch
    {
        ChannelKind.Intensity => ChannelKind.IntensityFine,
        ChannelKind.Red => ChannelKind.RedFine,
        ChannelKind.Green => ChannelKind.GreenFine,
        ChannelKind.Blue => ChannelKind.BlueFine,
        ChannelKind.White => ChannelKind.WhiteFine,
        ChannelKind.Pan => ChannelKind.PanFine,
        ChannelKind.Tilt => ChannelKind.TiltFine,
        ChannelKind.Cyan => ChannelKind.CyanFine,
        ChannelKind.Magenta => ChannelKind.MagentaFine,
        ChannelKind.Yellow => ChannelKind.YellowFine,
        ChannelKind.Hue => ChannelKind.HueFine,
        ChannelKind.Saturation => ChannelKind.SaturationFine,
        _ => null,
    };

    /// <summary>The coarse partner of a fine kind, or null when <paramref name="kind"/> is not a fine channel.</summary>
    public static ChannelKind? CoarseOf(this ChannelKind kind) => kind switch
    {
        ChannelKind.IntensityFine => ChannelKind.Intensity,
        ChannelKind.RedFine => ChannelKind.Red,
        ChannelKind.GreenFine => ChannelKind.Green,
        ChannelKind.BlueFine => ChannelKind.Blue,
        ChannelKind.WhiteFine => ChannelKind.White,
        ChannelKind.PanFine => ChannelKind.Pan,
        ChannelKind.TiltFine => ChannelKind.Tilt,
        ChannelKind.CyanFine => ChannelKind.Cyan,
        ChannelKind.MagentaFine => ChannelKind.Magenta,
        ChannelKind.YellowFine => ChannelKind.Yellow,
        ChannelKind.HueFine => ChannelKind.Hue,
        ChannelKind.SaturationFine => ChannelKind.Saturation,
        _ => null,
    };
}
