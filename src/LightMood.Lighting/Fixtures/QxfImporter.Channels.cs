using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LightMood.Lighting.Fixtures;

/// <summary>
/// How a QLC+ channel becomes a typed LightMood channel:
/// <list type="bullet">
/// <item>emitters, dimmers, pan/tilt, CMY, hue/saturation/lightness, CTO and CTC from the QLC+ 4.12 preset, or from
/// Group + Colour + Byte in older files (HSV "value" is a dimmer);</item>
/// <item>shutters: the open value from a <c>ShutterOpen</c> capability, else from the names ("Open", "Shuuter open",
/// "No function", "Strobe off"...; never a range named closed); the strobe ramp from a strobe preset, else from a
/// name such as "Strobe slow to fast 1-20 Hz" (direction from the order of "slow" and "fast", rates from the Hz);
/// irises open, framing blades left at their default;</item>
/// <item>colour channels (wheels, macros, virtual wheels): the capabilities that name a colour become slots, and the
/// channel's default is its open / no-function value ("No function", "Off", "Open", "RGB mode", then "White"),
/// which is what it is left at when the mode mixes colour by RGB, CMY or HSV.</item>
/// </list>
/// </summary>
public static partial class QxfImporter
{
    private static FixtureChannel ParseChannel(XElement ch, string name)
    {
        var preset = (string?)ch.Attribute("Preset");
        var group = ch.Element(Ns + "Group");
        var groupName = group?.Value.Trim();
        var fine = IsFine(preset, groupName, (string?)group?.Attribute("Byte"), name);
        var colour = ch.Element(Ns + "Colour")?.Value.Trim();
        var caps = ch.Elements(Ns + "Capability").Select(QxfCapability.Parse).OfType<QxfCapability>().OrderBy(c => c.Min).ToList();
        var def = byte.TryParse((string?)ch.Attribute("Default"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : (byte)0;

        var kind = preset is not null ? KindFromPreset(preset) : KindFromGroup(groupName, colour, fine);
        if (kind == ChannelKind.Generic && preset is null && !fine && groupName is not ("Colour" or "Shutter") && MultiFunctionEmitter(name, caps) is { } emitter)
        {
            kind = KindFromGroup("Intensity", emitter, fine: false);
        }
        if (kind == ChannelKind.Intensity && caps.Any(c => c.Min > 0 && c.EffectIn(caps) is CapabilityEffect.Closed or CapabilityEffect.Strobe))
        {
            // a "dimmer" channel that also closes or strobes above 0: its dimmer ramp ("1-63 light intensity 0-100 %"),
            // with 0 % at the channel's closed/off value; without a ramp, a shutter left open
            // (a strobe light's "Flash intensity" is its dimmer too: the intensity of each flash)
            var ramp = caps.FirstOrDefault(c => c.Max > c.Min + 8 && DimmerName().IsMatch(c.Name) &&
                                                (c.EffectIn(caps) != CapabilityEffect.Strobe || StrictDimmerName().IsMatch(c.Name)));
            var open = caps.FirstOrDefault(c => c.EffectIn(caps) == CapabilityEffect.Open);
            return ramp is not null
                ? new FixtureChannel(name, kind, def, DimmerRange: DimmerName().Match(ramp.Name).Groups["down"].Success ? new DimmerRange(ramp.Max, ramp.Min) : new DimmerRange(ramp.Min, ramp.Max))
                : new FixtureChannel(name, ChannelKind.Generic, open?.Min ?? def);
        }

        if (kind != ChannelKind.Generic || fine)
        {
            return new FixtureChannel(name, kind, def);
        }

        if (groupName == "Shutter" || preset?.StartsWith("Shutter", StringComparison.Ordinal) == true)
        {
            return ShutterChannel(name, preset, caps, def);
        }

        if (groupName == "Colour" || preset is "ColorMacro" or "ColorWheel" or "ColorRGBMixer")
        {
            return ColourChannel(name, caps, def);
        }

        if (RateName().IsMatch(name) && caps.FirstOrDefault(c => c.Max > c.Min + 8 && HertzName().IsMatch(c.Name)) is { } rate)
        {
            // a strobe light's flash rate on a speed channel ("Rate": "0-5 Single flash, 6-255 0.5 to 25/30Hz"): a strobe
            // channel, off at its lowest range (no flash), the rate ramp from its Hz range
            var (slowHz, fastHz) = rate.RateHz ?? (1, 20);
            var off = caps[0] == rate ? def : caps[0].Min;
            return new FixtureChannel(name, ChannelKind.Strobe, off, null,
                rate.IsFastToSlow ? new StrobeRange(off, rate.Max, rate.Min, slowHz, Math.Max(fastHz, slowHz)) : new StrobeRange(off, rate.Min, rate.Max, slowHz, Math.Max(fastHz, slowHz)));
        }

        if (caps.FirstOrDefault(c => c.Contains(def))?.EffectIn(caps) == CapabilityEffect.Closed &&
            !caps.Any(c => c.EffectIn(caps) == CapabilityEffect.Open) && DimmerRamp(caps) is { } dimmer)
        {
            // an effect channel whose only steady light is a dimmer ramp ("0-7 Blackout, 8-190 Master dimmer
            // (0-100 %), 191-200 sound mode, ..."): that ramp is its intensity
            return new FixtureChannel(name, ChannelKind.Intensity, def, DimmerRange: dimmer);
        }

        return new FixtureChannel(name, kind, LetLightThrough(caps, def));
    }

    /// <summary>
    /// The emitter colour of a multi-function channel filed under another group, named for the emitter first and
    /// ramping it 0-100 % in DMX mode ("Red/Colour Macro1 (Flow 8/9)": "0 - 100%/15 colour macro 1", Cameo Multi-PAR 3),
    /// or null.
    /// </summary>
    internal static string? MultiFunctionEmitter(string name, IReadOnlyList<QxfCapability> caps)
    {
        var m = EmitterFirstName().Match(name);
        return m.Success && caps.Count > 0 && caps.All(c => PercentRamp().IsMatch(c.Name))
            ? char.ToUpperInvariant(m.Groups[1].Value[0]) + m.Groups[1].Value[1..].ToLowerInvariant()
            : null;
    }

    [GeneratedRegex(@"^(red|green|blue|white)\b[^/]*/", RegexOptions.IgnoreCase)]
    private static partial Regex EmitterFirstName();

    [GeneratedRegex(@"^0\s*-\s*100\s*%", RegexOptions.IgnoreCase)]
    private static partial Regex PercentRamp();

    /// <summary>A dimmer ramp within a channel that does more: a range named for dimming, not a strobe, over 8 values wide.</summary>
    private static DimmerRange? DimmerRamp(List<QxfCapability> caps)
    {
        // named a dimmer or an intensity ("Master dimmer (0-100%)", "Intensity"), not a programme ("Dark->Bright")
        var ramp = caps.FirstOrDefault(c => c.Max > c.Min + 8 && StrictDimmerName().IsMatch(c.Name) && c.EffectIn(caps) != CapabilityEffect.Strobe);
        return ramp is null ? null
            : DimmerName().Match(ramp.Name).Groups["down"].Success ? new DimmerRange(ramp.Max, ramp.Min) : new DimmerRange(ramp.Min, ramp.Max);
    }

    /// <summary>
    /// For a channel LightMood leaves at a value that closes the beam because nothing in it is open ("Blackout", then
    /// only shows, chases, patterns or macros): the first static macro, else the first programme that is neither
    /// sound-driven, random, a strobe nor a laser, else the first range that lights; null when there is none. Used only in modes with no emitter
    /// channel of their own (derbies, moonflowers, the programme modes of LED bars), where such a programme is the
    /// fixture's only light: beside emitters the "Blackout" is the programme-off value that hands the emitters
    /// to DMX, and it stays.
    /// </summary>
    internal static byte? ProgrammeValue(XElement ch)
    {
        var caps = ch.Elements(Ns + "Capability").Select(QxfCapability.Parse).OfType<QxfCapability>().OrderBy(c => c.Min).ToList();
        var def = byte.TryParse((string?)ch.Attribute("Default"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : (byte)0;
        if (caps.FirstOrDefault(c => c.Contains(def))?.EffectIn(caps) != CapabilityEffect.Closed || caps.Any(c => c.EffectIn(caps) == CapabilityEffect.Open))
        {
            return null;
        }

        var candidates = caps.Where(c => c.EffectIn(caps) is not (CapabilityEffect.Closed or CapabilityEffect.Strobe) && !MaintenanceName().IsMatch(c.Name)).ToList();
        // a static macro first ("Colour macro", "Red"), then a programme ("Auto 1", "Chase 1"), then anything that lights
        return (candidates.FirstOrDefault(c => !AutomaticName().IsMatch(c.Name) && !BusyProgrammeName().IsMatch(c.Name))
            ?? candidates.FirstOrDefault(c => !BusyProgrammeName().IsMatch(c.Name)) ?? candidates.FirstOrDefault())?.Min;
    }

    /// <summary>
    /// A channel LightMood does not drive sits at its default, unless that falls in a range that closes the beam (a
    /// gobo wheel's "Closed" slot, an effect channel's "Blackout"): then at the first range that lets light through.
    /// </summary>
    private static byte LetLightThrough(List<QxfCapability> caps, byte def)
    {
        var at = caps.FirstOrDefault(c => c.Contains(def));
        if (at is null || at.EffectIn(caps) != CapabilityEffect.Closed)
        {
            return def;
        }

        return caps.FirstOrDefault(c => c.EffectIn(caps) == CapabilityEffect.Open)?.Min ?? def;
    }

    /// <summary>
    /// The fine byte of a 16-bit pair: a *Fine preset, or Byte="1" on an intensity/pan/tilt channel or on one named
    /// fine (some files mark every channel Byte="1"; a shutter or colour wheel so marked is still the coarse channel).
    /// </summary>
    internal static bool IsFine(string? preset, string? group, string? byteAttribute, string name) =>
        preset?.EndsWith("Fine", StringComparison.Ordinal) == true ||
        (byteAttribute == "1" && (group is "Intensity" or "Pan" or "Tilt" || name.Contains("fine", StringComparison.OrdinalIgnoreCase) ||
                                  name.Contains("lsb", StringComparison.OrdinalIgnoreCase)));

    private static FixtureChannel ShutterChannel(string name, string? preset, List<QxfCapability> caps, byte def)
    {
        var open = caps.FirstOrDefault(c => c.Preset == "ShutterOpen" && c.EffectIn(caps) == CapabilityEffect.Open)
            ?? caps.FirstOrDefault(c => c.EffectIn(caps) == CapabilityEffect.Open);
        if (preset?.StartsWith("ShutterIris", StringComparison.Ordinal) == true || IrisName().IsMatch(name))
        {
            // an iris: wide open (its "open" range, else the large end of a plain min-to-max range)
            var wide = preset == "ShutterIrisMinToMax" ? (byte)255 : (byte)0;
            return new FixtureChannel(name, ChannelKind.Generic, open?.Min ?? (caps.Count == 0 ? wide : def));
        }

        if (BladeName().IsMatch(name))
        {
            return new FixtureChannel(name, ChannelKind.Generic, def);   // framing blades: out of the beam at their default
        }

        var ramp = caps.FirstOrDefault(c => c.IsStrobeRamp);
        if (caps.Count == 0 && preset is "ShutterStrobeSlowFast" or "ShutterStrobeFastSlow")
        {
            // a bare strobe channel: 0 is no strobe
            var d = new StrobeRange();
            return new FixtureChannel(name, ChannelKind.Strobe, 0, null,
                preset == "ShutterStrobeFastSlow" ? d with { Slow = d.Fast, Fast = d.Slow } : d);
        }

        if (open is null && DimmerRamp(caps) is { } dimmer)
        {
            // "Blackout, Strobe, Intensity" with nothing open: the intensity range is the steady light
            return new FixtureChannel(name, ChannelKind.Intensity, def, DimmerRange: dimmer);
        }

        var off = open?.Min ?? def;
        if (ramp is null)
        {
            return new FixtureChannel(name, ChannelKind.Generic, off);
        }

        var (slowHz, fastHz) = ramp.RateHz ?? (1, 20);
        if (fastHz <= slowHz)
        {
            fastHz = Math.Max(20, slowHz);
        }

        var range = ramp.IsFastToSlow
            ? new StrobeRange(off, ramp.Max, ramp.Min, slowHz, fastHz)
            : new StrobeRange(off, ramp.Min, ramp.Max, slowHz, fastHz);
        return new FixtureChannel(name, ChannelKind.Strobe, off, null, range);
    }

    private static FixtureChannel ColourChannel(string name, List<QxfCapability> caps, byte def)
    {
        // a black "slot" is kept only when it closes the beam ("Blackout"): the writer then knows the channel's lowest
        // value is dark; a black "Off" / "No function" is the open value, not a colour
        var slots = caps.Where(c => c.Colour is { } k && (k != Scenes.Rgb.Black || c.EffectIn(caps) == CapabilityEffect.Closed))
            .Select(c => new ColourWheelSlot(c.Middle, c.Colour!.Value)).ToList();
        if (slots.All(k => k.Colour == Scenes.Rgb.Black))
        {
            slots.Clear();   // "Blackout" and then only programmes: no colour to choose, not a wheel
        }

        // the open / no-function value: "no function", "off", "RGB mode" first; "open" and "white" next (on a wheel,
        // the open hole); a white slot last
        var open = caps.FirstOrDefault(c => c.Colour is null && ColourOffName().IsMatch(c.Name) && !ClosedName().IsMatch(c.Name))
            ?? caps.FirstOrDefault(c => ColourOffName().IsMatch(c.Name) && !ClosedName().IsMatch(c.Name))
            ?? caps.FirstOrDefault(c => OpenWhiteName().IsMatch(c.Name) && !ClosedName().IsMatch(c.Name))
            ?? caps.FirstOrDefault(c => c.Colour is { R: > 0.95, G: > 0.95, B: > 0.95 });
        // "Blackout" and then only macros or programmes without a colour: it stays at "Blackout", which beside
        // emitters is the programme-off value; in a mode without emitters the mode goes to its first macro
        // (ProgrammeValue), which lights the fixture in a colour LightMood cannot know
        var value = open?.Min ?? def;

        return slots.Count > 0
            ? new FixtureChannel(name, ChannelKind.ColourWheel, value, slots)
            : new FixtureChannel(name, ChannelKind.Generic, value);
    }

    [GeneratedRegex(@"dimm|intensity|brightness|\d+\s*%\s*(-|–|to|>)\s*\d+\s*%|(?<down>100\s*%\s*(-|–|to|>)\s*0\s*%)|dark.*bright|0\s*-\s*100", RegexOptions.IgnoreCase)]
    private static partial Regex DimmerName();

    [GeneratedRegex(@"auto|sound|music|program|show|chase|random|strob|fade|jump|chang", RegexOptions.IgnoreCase)]
    private static partial Regex AutomaticName();

    [GeneratedRegex(@"dimm|intensity", RegexOptions.IgnoreCase)]
    private static partial Regex StrictDimmerName();

    [GeneratedRegex(@"^(flash |strobe )?rate\b", RegexOptions.IgnoreCase)]
    private static partial Regex RateName();

    [GeneratedRegex(@"\d\s*hz", RegexOptions.IgnoreCase)]
    private static partial Regex HertzName();

    [GeneratedRegex(@"reset|\blamp\b|calibrat|test", RegexOptions.IgnoreCase)]
    private static partial Regex MaintenanceName();

    [GeneratedRegex(@"sound|music|audio|random|strob|laser", RegexOptions.IgnoreCase)]
    private static partial Regex BusyProgrammeName();

    [GeneratedRegex(@"\biris\b", RegexOptions.IgnoreCase)]
    private static partial Regex IrisName();

    [GeneratedRegex(@"\bblades?\b|framing|\bframe\b", RegexOptions.IgnoreCase)]
    private static partial Regex BladeName();

    [GeneratedRegex(@"\bno ?func|no funtion|not functional|\b(colou?r|macro|macros|effect|program)s? off\b|^off\b|\bno (colou?r|macro|effect|cto|mix)|\bnone\b|\bnothing\b|\bunused\b|rgb ?(mode|mix|control)|\bmanual\b|adjustable via|\buse ch|colou?r mixing enable|^(no|normal|original)$|^-$", RegexOptions.IgnoreCase)]
    private static partial Regex ColourOffName();

    [GeneratedRegex(@"\bopen\b|\bwhite\b|empty position|\bclear\b", RegexOptions.IgnoreCase)]
    private static partial Regex OpenWhiteName();

    [GeneratedRegex(@"black ?out|\bclos|\bdark\b|(leds?|lights?|laser|lamp) off", RegexOptions.IgnoreCase)]
    private static partial Regex ClosedName();

    private static ChannelKind KindFromPreset(string preset) => preset switch
    {
        "IntensityMasterDimmer" or "IntensityDimmer" or "IntensityValue" => ChannelKind.Intensity,
        "IntensityMasterDimmerFine" or "IntensityDimmerFine" or "IntensityValueFine" => ChannelKind.IntensityFine,
        "IntensityRed" => ChannelKind.Red,
        "IntensityRedFine" => ChannelKind.RedFine,
        "IntensityGreen" => ChannelKind.Green,
        "IntensityGreenFine" => ChannelKind.GreenFine,
        "IntensityBlue" => ChannelKind.Blue,
        "IntensityBlueFine" => ChannelKind.BlueFine,
        "IntensityWhite" => ChannelKind.White,
        "IntensityWhiteFine" => ChannelKind.WhiteFine,
        "IntensityAmber" => ChannelKind.Amber,
        "IntensityUV" => ChannelKind.Uv,
        "IntensityCyan" => ChannelKind.Cyan,
        "IntensityCyanFine" => ChannelKind.CyanFine,
        "IntensityMagenta" => ChannelKind.Magenta,
        "IntensityMagentaFine" => ChannelKind.MagentaFine,
        "IntensityYellow" => ChannelKind.Yellow,
        "IntensityYellowFine" => ChannelKind.YellowFine,
        "IntensityHue" => ChannelKind.Hue,
        "IntensityHueFine" => ChannelKind.HueFine,
        "IntensitySaturation" => ChannelKind.Saturation,
        "IntensitySaturationFine" => ChannelKind.SaturationFine,
        "IntensityLightness" => ChannelKind.Lightness,
        "ColorCTOMixer" => ChannelKind.Cto,
        "ColorCTCMixer" => ChannelKind.Ctc,
        "PositionPan" => ChannelKind.Pan,
        "PositionPanFine" => ChannelKind.PanFine,
        "PositionTilt" => ChannelKind.Tilt,
        "PositionTiltFine" => ChannelKind.TiltFine,
        _ => ChannelKind.Generic,
    };

    private static ChannelKind KindFromGroup(string? group, string? colour, bool fine) => group switch
    {
        "Intensity" => (colour, fine) switch
        {
            (null or "" or "Generic", false) => ChannelKind.Intensity,
            (null or "" or "Generic", true) => ChannelKind.IntensityFine,
            ("Red", false) => ChannelKind.Red,
            ("Red", true) => ChannelKind.RedFine,
            ("Green", false) => ChannelKind.Green,
            ("Green", true) => ChannelKind.GreenFine,
            ("Blue", false) => ChannelKind.Blue,
            ("Blue", true) => ChannelKind.BlueFine,
            ("White", false) => ChannelKind.White,
            ("White", true) => ChannelKind.WhiteFine,
            ("Amber", false) => ChannelKind.Amber,
            ("UV", false) => ChannelKind.Uv,
            ("Cyan", false) => ChannelKind.Cyan,
            ("Cyan", true) => ChannelKind.CyanFine,
            ("Magenta", false) => ChannelKind.Magenta,
            ("Magenta", true) => ChannelKind.MagentaFine,
            ("Yellow", false) => ChannelKind.Yellow,
            ("Yellow", true) => ChannelKind.YellowFine,
            _ => ChannelKind.Generic,
        },
        "Pan" => fine ? ChannelKind.PanFine : ChannelKind.Pan,
        "Tilt" => fine ? ChannelKind.TiltFine : ChannelKind.Tilt,
        // a multi-function channel some older files file under Effect with an emitter colour ("Red/Fade Speed"):
        // its plain range is that emitter
        not ("Colour" or "Shutter") when colour is "Red" or "Green" or "Blue" or "White" => KindFromGroup("Intensity", colour, fine),
        _ => ChannelKind.Generic,
    };
}
