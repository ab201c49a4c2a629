using System.Text.RegularExpressions;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Fixtures.LitCheck;

/// <summary>How a mode makes its colour.</summary>
public enum ColourSystem
{
    /// <summary>No colour channel: a dimmer, a white or single-colour fixture, or a shutter only.</summary>
    None,

    /// <summary>Mixes any colour: RGB(W) emitters, CMY flags or hue/saturation.</summary>
    Mixing,

    /// <summary>Only a colour wheel or macro channel: the nearest slot.</summary>
    Wheel,
}

/// <summary>What a mode's DMX values do, decoded through the QLC+ capabilities of its channels.</summary>
/// <param name="Dark">Why no light comes out (a channel's value falls in a closed / blackout / off range, or the
/// intensity is 0), or null when lit.</param>
/// <param name="Level">Light output 0..1: dimmers × the brightest emitter (1 where there is neither).</param>
/// <param name="System">How the colour is made.</param>
/// <param name="Colour">The decoded colour, normalised to its brightest component; null without a colour system.</param>
/// <param name="Override">A macro or wheel left on a colour in a mixing mode (its colour overrides the mix), or null.</param>
/// <param name="Unknown">Channels whose value falls in a range whose effect the vocabulary cannot tell (listed, not judged).</param>
/// <param name="DarkByDefinition">Dark because a channel closes the beam and its definition offers no range that lets
/// light through (only closed, strobe or program ranges): nothing LightMood could choose would light it steadily.</param>
/// <param name="Inferred">Ranges named closed that the reading took for something else, each with the reason (see
/// <see cref="Read"/>); empty when the mode is lit by its definition's own words.</param>
public sealed partial record ModeReading(string? Dark, double Level, ColourSystem System, Rgb? Colour, string? Override, IReadOnlyList<string> Unknown, bool DarkByDefinition = false, IReadOnlyList<string>? Inferred = null)
{
    public bool Lit => Dark is null;

    /// <summary>True when the mode is lit only because a range named closed was read as something else.</summary>
    public bool LitByInference => Lit && Inferred is { Count: > 0 };

    /// <summary>
    /// Reads the values of one mode's channels (in DMX order). A value in a range named closed / blackout darkens the
    /// mode, except in three cases where the definition's words cannot mean it (listed in <see cref="Inferred"/>):
    /// <list type="bullet">
    /// <item>a strobe channel whose ranges are that one closed range at the bottom and otherwise strobes or programmes,
    /// nothing open and no dimmer range, on an LED fixture (the mode has emitter channels, or its QLC+ type is not a
    /// moving head or scanner, whose lamps have mechanical shutters) that is not a strobe light (QLC+ type
    /// <c>Strobe</c>): the bottom range is the steady light ("no strobe"), else the fixture could show no steady
    /// light at all; manuals of such pars call the same range "0-15 off" or "no strobe" (ADJ's "Black Out");</item>
    /// <item>a programme, show, macro or effect-section channel (not a shutter, not a dimmer) at its bottom "Blackout"
    /// range, with nothing open in it, in a mode with emitter channels: every other value runs a programme that
    /// overrides the emitters, so the bottom range is the one that hands them to DMX (programme off), or switches off
    /// one section (a derby) beside the lit emitters;</item>
    /// <item>a channel named Reset, whose "Closed" range is the reset not engaged (lightmaXX EASY Wash 5IVE).</item>
    /// </list>
    /// </summary>
    /// <param name="channels">The mode's channels.</param>
    /// <param name="dmx">Their values.</param>
    /// <param name="fixtureType">QLC+'s fixture type (<see cref="QxfDefinition.Type"/>), or null when unknown.</param>
    public static ModeReading Read(IReadOnlyList<QxfChannel> channels, ReadOnlySpan<byte> dmx, string? fixtureType = null)
    {
        var emitters = channels.Any(k => k.Role is "red" or "green" or "blue" or "white" or "emitter" or "cyan" or "magenta" or "yellow" or "hue");
        var otherLight = RunsAProgramme(channels, dmx);
        var inferred = new List<string>();
        double level = 1, r = 0, g = 0, b = 0, w = 0, c = 0, m = 0, y = 0, hue = 0, sat = 1;
        bool rgb = false, white = false, cmy = false, hsv = false;
        string? dark = null, over = null;
        var byDefinition = false;
        Rgb? wheel = null;
        var unknown = new List<string>();
        for (var i = 0; i < channels.Count; i++)
        {
            var ch = channels[i];
            var v = dmx[i];
            var x = v / 255.0;
            var cap = ch.At(v);
            var role = ch.Role;
            var effect = cap?.EffectIn(ch.Capabilities);
            // a laser left off beside the fixture's other light is not a dark fixture
            var laser = ch.Name.Contains("laser", StringComparison.OrdinalIgnoreCase) && channels.Any(k => k.Role is "dimmer" or "red" or "green" or "blue" or "white");
            if (effect == CapabilityEffect.Closed && role is not ("red" or "green" or "blue" or "white" or "emitter") && dark is null && !laser &&
                NotClosing(ch, cap!, emitters, otherLight, fixtureType) is { } why)
            {
                inferred.Add($"'{ch.Name}' = {v}: \"{cap!.Name}\": {why}");
            }
            else if (effect == CapabilityEffect.Closed && role is not ("red" or "green" or "blue" or "white" or "emitter") && dark is null && !laser)
            {
                dark = $"{role} channel '{ch.Name}' = {v}: \"{cap!.Name}\"";
                byDefinition = !ch.Capabilities.Any(k => k.EffectIn(ch.Capabilities) == CapabilityEffect.Open ||
                                                        (role == "colour" && k.Colour is { } kc && (kc.R > 0 || kc.G > 0 || kc.B > 0)));
            }
            else if ((effect == CapabilityEffect.Unknown || (cap is null && ch.Capabilities.Count > 0)) && role is "shutter" or "dimmer")
            {
                unknown.Add($"'{ch.Name}' = {v}: \"{cap?.Name ?? "(no range listed)"}\"");
            }

            switch (role)
            {
                case "dimmer" when cap is null && ch.Capabilities.Count > 0:
                    break;   // a value outside every range the channel lists (e.g. "sound sensitivity" filed as intensity): not judged
                case "dimmer":
                    // through its ranges: an open range is full; a ramp within the channel counts from its ends
                    level *= effect == CapabilityEffect.Open ? 1 : cap is { } dc && ch.Capabilities.Count > 1 && dc.Max > dc.Min
                        ? Math.Max(x > 0 ? 1.0 / 255 : 0, (v - dc.Min) / (double)(dc.Max - dc.Min))
                        : x;
                    break;
                case "red":
                    (r, rgb) = (Math.Max(r, x), true);
                    break;
                case "green":
                    (g, rgb) = (Math.Max(g, x), true);
                    break;
                case "blue":
                    (b, rgb) = (Math.Max(b, x), true);
                    break;
                case "white":
                    (w, white) = (Math.Max(w, x), true);
                    break;
                case "cyan":
                    (c, cmy) = (Math.Max(c, x), true);
                    break;
                case "magenta":
                    (m, cmy) = (Math.Max(m, x), true);
                    break;
                case "yellow":
                    (y, cmy) = (Math.Max(y, x), true);
                    break;
                case "hue":
                    (hue, hsv) = (x, true);
                    break;
                case "saturation":
                    sat = x;
                    break;
                case "colour" when cap?.Colour is { } k && (k.R > 0 || k.G > 0 || k.B > 0):   // #000000: "off", no colour
                    wheel ??= k;
                    if (k.R < 0.95 || k.G < 0.95 || k.B < 0.95)
                    {
                        over ??= $"'{ch.Name}' = {v}: \"{cap.Name}\" ({k})";
                    }

                    break;
            }
        }

        var system = rgb || (cmy && !rgb) || hsv ? ColourSystem.Mixing : wheel is not null ? ColourSystem.Wheel : ColourSystem.None;
        Rgb? colour = null;
        var emitted = 1.0;
        if (rgb || white)
        {
            // additive: white adds equally to R, G and B (other emitters, amber, UV, lime, are left out of the colour)
            var mix = new Rgb(r + w, g + w, b + w);
            emitted = Math.Min(1, Math.Max(mix.R, Math.Max(mix.G, mix.B)));
            colour = rgb ? mix : null;   // a white-only fixture has no colour to judge
        }

        if (colour is null && cmy)
        {
            colour = new Rgb(1 - c, 1 - m, 1 - y);   // subtractive flags in front of a white source
        }
        else if (colour is null && hsv)
        {
            colour = FromHueSaturation(hue, sat);
        }
        else if (colour is null && wheel is { } k)
        {
            colour = k;
        }

        var total = level * emitted;
        if (dark is null && total <= 0)
        {
            dark = level <= 0 ? "the dimmer is at 0" : "every emitter is at 0";
        }

        if (dark is null && fixtureType == "Strobe" && FlashIntensity(channels, dmx) is { } flash && !Flashing(channels, dmx))
        {
            // a strobe light whose intensity is the intensity of its flashes ("Flash intensity"): with no flash rate
            // set it gives no steady light, whatever that intensity
            dark = $"a strobe light not flashing: '{flash}' sets the intensity of flashes, and no flash rate is set";
            byDefinition = true;
        }

        return new ModeReading(dark, total, system, colour is { } col ? Normalise(col) : null, system == ColourSystem.Mixing ? over : null, unknown, dark is not null && byDefinition, inferred);
    }

    /// <summary>Why a value in a range named closed does not close this channel's light (the cases of <see cref="Read"/>), or null when it does.</summary>
    private static string? NotClosing(QxfChannel ch, QxfCapability cap, bool emitters, bool otherLight, string? fixtureType)
    {
        if (ResetName().IsMatch(ch.Name))
        {
            return "a reset channel's idle range";
        }

        var caps = ch.Capabilities;
        if (ch.Role == "dimmer" || cap.Min != caps[0].Min || caps.Any(k => k.EffectIn(caps) == CapabilityEffect.Open))
        {
            return null;
        }

        if (ch.Role == "shutter" || StrobeName().IsMatch(ch.Name))
        {
            var lampHead = fixtureType is "Moving Head" or "Scanner" && !emitters;
            var strobesOnly = caps.All(k => ReferenceEquals(k, cap) || k.EffectIn(caps) == CapabilityEffect.Strobe || ProgrammeWords().IsMatch(k.Name));
            return fixtureType == "Strobe" || lampHead || !strobesOnly || caps.Any(k => DimmerWords().IsMatch(k.Name)) ? null
                : "an LED strobe channel's bottom range, the steady light (the rest are strobes and programmes)";
        }

        return emitters ? "programme off: every other value runs a programme over the emitters"
            : otherLight ? "one section off (every other value runs its programme) beside a section that runs one"
            : null;
    }

    /// <summary>
    /// True when a rate is set: a channel other than a dimmer sits in a range giving a rate in Hz, or a shutter, strobe
    /// or rate channel sits in a strobe range other than a single flash.
    /// </summary>
    private static bool Flashing(IReadOnlyList<QxfChannel> channels, ReadOnlySpan<byte> dmx)
    {
        for (var i = 0; i < channels.Count; i++)
        {
            var ch = channels[i];
            if (ch.Role != "dimmer" && ch.At(dmx[i]) is { } at &&
                (HertzWords().IsMatch(at.Name) ||
                 ((ch.Role == "shutter" || RateOrStrobeName().IsMatch(ch.Name)) && at.EffectIn(ch.Capabilities) == CapabilityEffect.Strobe &&
                  !at.Name.Contains("single", StringComparison.OrdinalIgnoreCase))))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"\brate\b|strob", RegexOptions.IgnoreCase)]
    private static partial Regex RateOrStrobeName();

    /// <summary>The name of a dimmer channel whose current range is a flash intensity, or null.</summary>
    private static string? FlashIntensity(IReadOnlyList<QxfChannel> channels, ReadOnlySpan<byte> dmx)
    {
        for (var i = 0; i < channels.Count; i++)
        {
            if (channels[i].Role == "dimmer" && channels[i].At(dmx[i]) is { } at && at.Name.Contains("flash", StringComparison.OrdinalIgnoreCase))
            {
                return channels[i].Name;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\d\s*hz", RegexOptions.IgnoreCase)]
    private static partial Regex HertzWords();

    /// <summary>True when a programme channel (one whose bottom range is closed) sits on a programme that makes light.</summary>
    private static bool RunsAProgramme(IReadOnlyList<QxfChannel> channels, ReadOnlySpan<byte> dmx)
    {
        for (var i = 0; i < channels.Count; i++)
        {
            var caps = channels[i].Capabilities;
            if (channels[i].Role is "other" or "colour" && caps.Count > 1 && caps[0].EffectIn(caps) == CapabilityEffect.Closed &&
                channels[i].At(dmx[i]) is { } at && at.EffectIn(caps) == CapabilityEffect.Unknown)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"auto|program|show|chase|pattern|sound|music|random|puls|ramp|open.*clos|clos.*open", RegexOptions.IgnoreCase)]
    private static partial Regex ProgrammeWords();

    [GeneratedRegex(@"^reset$", RegexOptions.IgnoreCase)]
    private static partial Regex ResetName();

    [GeneratedRegex(@"strob", RegexOptions.IgnoreCase)]
    private static partial Regex StrobeName();

    [GeneratedRegex(@"dimm|intensity", RegexOptions.IgnoreCase)]
    private static partial Regex DimmerWords();

    /// <summary>The colour scaled so that its brightest component is 1 (black stays black).</summary>
    public static Rgb Normalise(Rgb c)
    {
        var max = Math.Max(c.R, Math.Max(c.G, c.B));
        return max <= 0 ? c : new Rgb(c.R / max, c.G / max, c.B / max);
    }

    /// <summary>Distance of two colours after normalising each: 0 = the same hue and saturation, √3 at most.</summary>
    public static double Distance(Rgb a, Rgb b) => Math.Sqrt(Normalise(a).DistanceSquared(Normalise(b)));

    private static Rgb FromHueSaturation(double hue, double saturation)
    {
        var h = (hue - Math.Floor(hue)) * 6;
        var f = h - Math.Floor(h);
        var p = 1 - saturation;
        var q = 1 - (saturation * f);
        var t = 1 - (saturation * (1 - f));
        return ((int)Math.Floor(h) % 6) switch
        {
            0 => new Rgb(1, t, p),
            1 => new Rgb(q, 1, p),
            2 => new Rgb(p, 1, t),
            3 => new Rgb(p, q, 1),
            4 => new Rgb(t, p, 1),
            _ => new Rgb(1, p, q),
        };
    }
}
