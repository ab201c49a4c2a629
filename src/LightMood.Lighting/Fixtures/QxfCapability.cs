using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Fixtures;

/// <summary>What a capability (a DMX range of a channel) does to the light, as far as being lit is concerned.</summary>
public enum CapabilityEffect
{
    /// <summary>Nothing said that LightMood understands.</summary>
    Unknown,

    /// <summary>Light passes: shutter open, strobe off, no function, iris open, colour off / open / white.</summary>
    Open,

    /// <summary>No light: shutter closed, blackout, LEDs off.</summary>
    Closed,

    /// <summary>Light flashes: strobe, pulse, ramps (lit, not steady).</summary>
    Strobe,
}

/// <summary>
/// One <c>&lt;Capability&gt;</c> of a QLC+ channel: its DMX range, name, QLC+ 4.12 preset and resources (a colour
/// <c>#rrggbb</c>, a second colour, or a frequency in Hz). <see cref="Effect"/> reads the preset, else the name, with
/// a small vocabulary written from the names found in QLC+'s library (typos included: "Shuuter open").
/// </summary>
public sealed partial record QxfCapability(byte Min, byte Max, string Name, string? Preset, string? Res1, string? Res2)
{
    public static QxfCapability? Parse(XElement cap)
    {
        if (!byte.TryParse((string?)cap.Attribute("Min"), NumberStyles.None, CultureInfo.InvariantCulture, out var min) ||
            !byte.TryParse((string?)cap.Attribute("Max"), NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            return null;
        }

        return new QxfCapability(min, Math.Max(min, max), cap.Value.Trim(), (string?)cap.Attribute("Preset"),
            (string?)cap.Attribute("Res1") ?? (string?)cap.Attribute("Color") ?? (string?)cap.Attribute("Res"), (string?)cap.Attribute("Res2") ?? (string?)cap.Attribute("Color2"));
    }

    public bool Contains(byte value) => value >= Min && value <= Max;

    public byte Middle => (byte)((Min + Max) / 2);

    /// <summary>
    /// The colour it selects: Res1 (the mean with Res2 for a two-colour macro), else a plain colour name ("Red",
    /// "Light blue", "Colour: magenta"), else null.
    /// </summary>
    public Rgb? Colour
    {
        get
        {
            if (!Rgb.TryParse(Res1, out var a))
            {
                var m = ColourName().Match(Name);
                return m.Success && NamedColours.TryGetValue(m.Groups[1].Value.ToLowerInvariant().Replace("  ", " ", StringComparison.Ordinal), out var named) ? named : null;
            }

            return Rgb.TryParse(Res2, out var b) ? Rgb.Lerp(a, b, 0.5) : a;
        }
    }

    private static readonly Dictionary<string, Rgb> NamedColours = new()
    {
        ["red"] = new(1, 0, 0),
        ["green"] = new(0, 1, 0),
        ["blue"] = new(0, 0, 1),
        ["white"] = new(1, 1, 1),
        ["yellow"] = new(1, 1, 0),
        ["cyan"] = new(0, 1, 1),
        ["magenta"] = new(1, 0, 1),
        ["purple"] = new(0.5, 0, 1),
        ["violet"] = new(0.55, 0, 1),
        ["pink"] = new(1, 0.4, 0.7),
        ["orange"] = new(1, 0.5, 0),
        ["amber"] = new(1, 0.75, 0),
        ["light blue"] = new(0.4, 0.7, 1),
        ["dark blue"] = new(0, 0, 0.6),
        ["light green"] = new(0.5, 1, 0.5),
        ["lime"] = new(0.75, 1, 0),
        ["turquoise"] = new(0, 0.9, 0.8),
    };

    /// <summary>How it affects the light (shutter, strobe, LED on/off, iris), from the preset, else the name.</summary>
    public CapabilityEffect Effect
    {
        get
        {
            if (MovingBlackoutWords().IsMatch(Name))
            {
                return CapabilityEffect.Unknown;   // "XY moving blackout", "Blackout during movement": an option of the movement, not a state of the beam
            }

            var open = OpenWords().IsMatch(Name);
            var closed = ClosedWords().IsMatch(Name);
            switch (Preset)
            {
                case "ShutterOpen":
                    return closed && !open ? CapabilityEffect.Closed : CapabilityEffect.Open;   // a few files tag "Closed" ranges ShutterOpen
                case "ShutterClose":
                    return CapabilityEffect.Closed;
                case "LampOff" or "LampOn":
                    return CapabilityEffect.Unknown;   // lamp and power-outlet commands, not a state of the beam
                case { } p when p.StartsWith("Strobe", StringComparison.Ordinal) || p.StartsWith("Pulse", StringComparison.Ordinal) ||
                                p.StartsWith("Ramp", StringComparison.Ordinal):
                    return CapabilityEffect.Strobe;
            }

            if (StrobeWords().IsMatch(Name))
            {
                return NoStrobeWords().IsMatch(Name) ? CapabilityEffect.Open : CapabilityEffect.Strobe;
            }

            return (open, closed) switch
            {
                (false, true) => CapabilityEffect.Closed,
                (true, false) => CapabilityEffect.Open,
                _ => CapabilityEffect.Unknown,   // neither, or both ("Open > Closed": a ramp)
            };
        }
    }

    /// <summary>
    /// The effect within its channel. Many LED fixtures tag their "strobe off" / "no flash" / "no function" range
    /// ShutterClose although nothing closes (they have no shutter): in a channel without a ShutterOpen range, such a
    /// range lets the light through. The other way round, a range tagged ShutterOpen but named "Closed" / "Blackout"
    /// is the open one when nothing else in its channel is open (the Showtec Club Par 12x6 and Involight AX470 files:
    /// "Closed" / "Blackout", then only strobe): the tag is the file author's statement of what the range does, the
    /// name a copy of the manual's wording for "no strobe"; beside a real open range the name wins.
    /// </summary>
    public CapabilityEffect EffectIn(IReadOnlyList<QxfCapability> channel)
    {
        var effect = Effect;
        if (effect == CapabilityEffect.Closed && Preset == "ShutterClose" && NoStrobeName().IsMatch(Name) &&
            !channel.Any(c => c.Preset == "ShutterOpen"))
        {
            return CapabilityEffect.Open;
        }

        if (effect == CapabilityEffect.Closed && Preset == "ShutterOpen" && !channel.Any(c => !ReferenceEquals(c, this) && c.Effect == CapabilityEffect.Open))
        {
            return CapabilityEffect.Open;
        }

        return effect;
    }

    /// <summary>A strobe whose rate ramps over the range (not random, not sound-driven, not a program or a single rate).</summary>
    public bool IsStrobeRamp =>
        Preset is "StrobeSlowToFast" or "StrobeFastToSlow" or "StrobeFreqRange" or "StrobeFrequency" ||
        (Preset is null && Max > Min + 2 && StrobeWords().IsMatch(Name) && !NoStrobeWords().IsMatch(Name) && !NotARampWords().IsMatch(Name));

    /// <summary>True when the ramp runs fast (at Min) to slow (at Max): a StrobeFastToSlow preset, or "fast" named before "slow".</summary>
    public bool IsFastToSlow
    {
        get
        {
            if (Preset is "StrobeFastToSlow")
            {
                return true;
            }

            if (Preset is not null)
            {
                return false;
            }

            var fast = Name.IndexOf("fast", StringComparison.OrdinalIgnoreCase);
            var slow = Name.IndexOf("slow", StringComparison.OrdinalIgnoreCase);
            return fast >= 0 && slow >= 0 ? fast < slow : Name.Contains("max to min", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>The flash rates at the ends of a ramp: Res1/Res2 (QLC+ 4.12), else "1-20 Hz" in the name; null when unknown.</summary>
    public (double Slow, double Fast)? RateHz
    {
        get
        {
            if (double.TryParse(Res1, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && a > 0)
            {
                var b = double.TryParse(Res2, NumberStyles.Float, CultureInfo.InvariantCulture, out var r2) && r2 > a ? r2 : a;
                return (a, Math.Max(a, b));
            }

            var m = HzRange().Match(Name);
            if (m.Success &&
                double.TryParse(m.Groups[1].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var lo) &&
                double.TryParse(m.Groups[2].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var hi) && hi > 0)
            {
                return (Math.Max(Math.Min(lo, hi), 0.1), Math.Max(lo, hi));
            }

            return null;
        }
    }

    [GeneratedRegex(@"\b(clos(e|ed|ing)?|shut|black ?out|(leds?|lights?|lamp|laser|output|beam|all leds) off|off \(black\)|no output)\b|^dark$", RegexOptions.IgnoreCase)]
    private static partial Regex ClosedWords();

    [GeneratedRegex(@"\b(open(ed)?|on|full|no ?func(tion|tional)?|no funtion|not functional|no (strobe|flash|effect|function)|strobe off|dmx mode|dimmer rgb\w*|rgb\w* (mode|control)|manual (mode|control)|maximum aperture|max(imum)? (aperture|diameter)|white|normal|nothing|none|no|off|unused|empty)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OpenWords();

    [GeneratedRegex(@"moving black ?out|black ?out (during|while|on|when) mov", RegexOptions.IgnoreCase)]
    private static partial Regex MovingBlackoutWords();

    [GeneratedRegex(@"^(no (strobe|flash|function|effect)|strobe off|nothing|off|no ?func\w*)$", RegexOptions.IgnoreCase)]
    private static partial Regex NoStrobeName();

    [GeneratedRegex(@"^(?:colou?r\s*(?:\d+\s*)?[:\-]?\s*)?(red|green|blue|white|yellow|cyan|magenta|purple|violet|pink|orange|amber|light blue|dark blue|light green|lime|turquoise)(?:\s*colou?r)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ColourName();

    [GeneratedRegex(@"strob|flash|puls", RegexOptions.IgnoreCase)]
    private static partial Regex StrobeWords();

    [GeneratedRegex(@"\b(no|off|stop)\b|strobe off|without strobe|^(strobe|shutter)\s*(open|on)$", RegexOptions.IgnoreCase)]
    private static partial Regex NoStrobeWords();

    [GeneratedRegex(@"random|sound|audio|music|program|auto|puls|burst|sine|lightning|ramp|\bopen|\bclos", RegexOptions.IgnoreCase)]
    private static partial Regex NotARampWords();

    [GeneratedRegex(@"(\d+(?:[.,]\d+)?)\s*(?:hz)?\s*(?:-|–|…|\.\.\.?|to|~)\s*(\d+(?:[.,]\d+)?)\s*hz", RegexOptions.IgnoreCase)]
    private static partial Regex HzRange();
}
