using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Fixtures;

/// <summary>
/// Imports QLC+ fixture definitions (<c>.qxf</c>, namespace <c>http://www.qlcplus.org/FixtureDefinition</c>):
/// channels are typed from their <c>Preset</c> attribute (QLC+ 4.12+) or from their <c>Group</c> (+ <c>Colour</c>,
/// <c>Byte</c> for fine channels) in older files; colour wheels keep the capabilities that carry a colour
/// (<c>Res1</c>/<c>Color</c>), shutters become strobe channels with their open value as the default.
/// </summary>
public static class QxfImporter
{
    private static readonly XNamespace Ns = "http://www.qlcplus.org/FixtureDefinition";

    public static FixtureProfile Load(string path)
    {
        XDocument doc;
        try
        {
            using var stream = File.OpenRead(path);
            doc = XDocument.Load(stream);
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            throw new LightingConfigException($"{path}: not a readable QLC+ fixture definition: {e.Message}", e);
        }

        return Parse(doc, path);
    }

    public static FixtureProfile Parse(XDocument doc, string source)
    {
        var root = doc.Root;
        if (root is null || root.Name != Ns + "FixtureDefinition")
        {
            throw new LightingConfigException($"{source}: root element is '{root?.Name.LocalName}', expected FixtureDefinition in namespace {Ns.NamespaceName}");
        }

        var errors = new List<string>();
        var manufacturer = root.Element(Ns + "Manufacturer")?.Value.Trim();
        var model = root.Element(Ns + "Model")?.Value.Trim();
        if (string.IsNullOrEmpty(manufacturer))
        {
            errors.Add($"{source}: <Manufacturer> is missing");
        }

        if (string.IsNullOrEmpty(model))
        {
            errors.Add($"{source}: <Model> is missing");
        }

        var channels = new Dictionary<string, FixtureChannel>(StringComparer.Ordinal);
        foreach (var ch in root.Elements(Ns + "Channel"))
        {
            var name = (string?)ch.Attribute("Name");
            if (string.IsNullOrEmpty(name))
            {
                errors.Add($"{source}: a <Channel> has no Name");
                continue;
            }

            channels[name] = ParseChannel(ch, name);
        }

        var modes = new List<FixtureMode>();
        foreach (var mode in root.Elements(Ns + "Mode"))
        {
            var modeName = (string?)mode.Attribute("Name");
            if (string.IsNullOrEmpty(modeName))
            {
                errors.Add($"{source}: a <Mode> has no Name");
                continue;
            }

            var refs = mode.Elements(Ns + "Channel").ToList();
            var list = new FixtureChannel?[refs.Count];
            foreach (var r in refs)
            {
                if (!int.TryParse((string?)r.Attribute("Number"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n >= refs.Count)
                {
                    errors.Add($"{source}: mode '{modeName}': channel '{r.Value}' has a bad Number '{(string?)r.Attribute("Number")}'");
                    continue;
                }

                if (!channels.TryGetValue(r.Value, out var c))
                {
                    errors.Add($"{source}: mode '{modeName}': channel {n} names '{r.Value}', which is not defined");
                    continue;
                }

                if (list[n] is not null)
                {
                    errors.Add($"{source}: mode '{modeName}': channel number {n} is given twice");
                    continue;
                }

                list[n] = c;
            }

            if (list.Length == 0)
            {
                errors.Add($"{source}: mode '{modeName}' has no channels");
            }
            else if (list.Length > 512)
            {
                errors.Add($"{source}: mode '{modeName}' has {list.Length} channels, more than a universe");
            }
            else if (list.All(c => c is not null))
            {
                modes.Add(new FixtureMode(modeName, list.Select(c => c!).ToList()));
            }
        }

        if (modes.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{source}: no <Mode> defined");
        }

        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        return new FixtureProfile(manufacturer!, model!, modes);
    }

    /// <summary>Reads only the manufacturer and model of a definition (fast, for indexing a folder).</summary>
    public static (string Manufacturer, string Model)? PeekIdentity(string path)
    {
        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
            string? manufacturer = null, model = null;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.LocalName == "Manufacturer")
                {
                    manufacturer = reader.ReadElementContentAsString().Trim();
                }
                else if (reader.LocalName == "Model")
                {
                    model = reader.ReadElementContentAsString().Trim();
                }
                else if (reader.LocalName is "Channel" or "Mode")
                {
                    break;
                }

                if (manufacturer is not null && model is not null)
                {
                    return (manufacturer, model);
                }
            }
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    private static FixtureChannel ParseChannel(XElement ch, string name)
    {
        var preset = (string?)ch.Attribute("Preset");
        var group = ch.Element(Ns + "Group");
        var groupName = group?.Value.Trim();
        var fine = (string?)group?.Attribute("Byte") == "1";
        var colour = ch.Element(Ns + "Colour")?.Value.Trim();
        var caps = ch.Elements(Ns + "Capability").ToList();
        var def = byte.TryParse((string?)ch.Attribute("Default"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : (byte)0;

        var kind = preset is not null ? KindFromPreset(preset) : KindFromGroup(groupName, colour, fine);
        if (kind == ChannelKind.Generic && (groupName == "Shutter" || preset?.StartsWith("Shutter", StringComparison.Ordinal) == true))
        {
            return ShutterChannel(name, caps, def);
        }

        if (kind == ChannelKind.Generic && groupName == "Colour" && !fine)
        {
            var slots = new List<ColourWheelSlot>();
            foreach (var cap in caps)
            {
                var hex = (string?)cap.Attribute("Res1") ?? (string?)cap.Attribute("Color");
                if (Rgb.TryParse(hex, out var rgb) && byte.TryParse((string?)cap.Attribute("Min"), NumberStyles.None, CultureInfo.InvariantCulture, out var min) &&
                    byte.TryParse((string?)cap.Attribute("Max"), NumberStyles.None, CultureInfo.InvariantCulture, out var max))
                {
                    slots.Add(new ColourWheelSlot((byte)((min + max) / 2), rgb));
                }
            }

            if (slots.Count > 0)
            {
                return new FixtureChannel(name, ChannelKind.ColourWheel, def, slots);
            }
        }

        return new FixtureChannel(name, kind, def);
    }

    private static FixtureChannel ShutterChannel(string name, List<XElement> caps, byte def)
    {
        byte? open = null;
        XElement? ramp = null;
        var reversed = false;
        foreach (var cap in caps)
        {
            var p = (string?)cap.Attribute("Preset");
            if (p == "ShutterOpen" && open is null)
            {
                open = Min(cap);
            }
            else if (p is "StrobeSlowToFast" or "StrobeFreqRange" or "ShutterStrobeSlowFast" or "StrobeFrequency" && ramp is null)
            {
                ramp = cap;
            }
            else if (p is "StrobeFastToSlow" or "ShutterStrobeFastSlow" && ramp is null)
            {
                ramp = cap;
                reversed = true;
            }
        }

        if (ramp is null)
        {
            return new FixtureChannel(name, ChannelKind.Generic, open ?? def);
        }

        var slowHz = double.TryParse((string?)ramp.Attribute("Res1"), NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && a > 0 ? a : 1;
        var fastHz = double.TryParse((string?)ramp.Attribute("Res2"), NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && b >= slowHz ? b : Math.Max(20, slowHz);
        var off = open ?? def;
        var range = reversed ? new StrobeRange(off, Max(ramp), Min(ramp), slowHz, fastHz) : new StrobeRange(off, Min(ramp), Max(ramp), slowHz, fastHz);
        return new FixtureChannel(name, ChannelKind.Strobe, off, null, range);
    }

    private static byte Min(XElement cap) =>
        byte.TryParse((string?)cap.Attribute("Min"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (byte)0;

    private static byte Max(XElement cap) =>
        byte.TryParse((string?)cap.Attribute("Max"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (byte)255;

    private static ChannelKind KindFromPreset(string preset) => preset switch
    {
        "IntensityMasterDimmer" or "IntensityDimmer" => ChannelKind.Intensity,
        "IntensityMasterDimmerFine" or "IntensityDimmerFine" => ChannelKind.IntensityFine,
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
        "ColorCTOMixer" => ChannelKind.Cto,
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
            (null or "", false) => ChannelKind.Intensity,
            (null or "", true) => ChannelKind.IntensityFine,
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
            _ => ChannelKind.Generic,
        },
        "Pan" => fine ? ChannelKind.PanFine : ChannelKind.Pan,
        "Tilt" => fine ? ChannelKind.TiltFine : ChannelKind.Tilt,
        _ => ChannelKind.Generic,
    };
}
