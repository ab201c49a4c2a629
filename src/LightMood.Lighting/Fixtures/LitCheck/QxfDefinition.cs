using System.Xml;
using System.Xml.Linq;

namespace LightMood.Lighting.Fixtures.LitCheck;

/// <summary>A QLC+ channel as the file states it, untyped: what the lit-check decodes DMX values against.</summary>
/// <param name="Name">Channel name.</param>
/// <param name="Preset">QLC+ 4.12 channel preset, or null.</param>
/// <param name="Group">Older files' group (Intensity, Colour, Shutter, ...), or null.</param>
/// <param name="Colour">Older files' colour of an Intensity channel (Red, Cyan, ...), or null.</param>
/// <param name="Fine">True for the fine (LSB) byte of a 16-bit channel.</param>
/// <param name="Capabilities">Its ranges, sorted by value.</param>
public sealed record QxfChannel(string Name, string? Preset, string? Group, string? Colour, bool Fine, IReadOnlyList<QxfCapability> Capabilities)
{
    /// <summary>The capability <paramref name="value"/> falls in, or null.</summary>
    public QxfCapability? At(byte value) => Capabilities.FirstOrDefault(c => c.Contains(value));

    /// <summary>What the channel is, by its preset, else its group and colour: "dimmer", "red", "cyan", "hue", "shutter", "colour"...</summary>
    public string Role => Fine ? "fine" : (Preset, Group, Colour) switch
    {
        ("IntensityMasterDimmer" or "IntensityDimmer" or "IntensityValue", _, _) => "dimmer",
        (null, "Intensity", null or "" or "Generic") => "dimmer",
        ("IntensityRed", _, _) or (null, not ("Colour" or "Shutter"), "Red") => "red",
        ("IntensityGreen", _, _) or (null, not ("Colour" or "Shutter"), "Green") => "green",
        ("IntensityBlue", _, _) or (null, not ("Colour" or "Shutter"), "Blue") => "blue",
        ("IntensityWhite", _, _) or (null, not ("Colour" or "Shutter"), "White") => "white",
        ("IntensityCyan", _, _) or (null, "Intensity", "Cyan") => "cyan",
        ("IntensityMagenta", _, _) or (null, "Intensity", "Magenta") => "magenta",
        ("IntensityYellow", _, _) or (null, "Intensity", "Yellow") => "yellow",
        ("IntensityAmber" or "IntensityUV" or "IntensityLime" or "IntensityIndigo", _, _) or (null, "Intensity", _) => "emitter",
        ("IntensityHue", _, _) => "hue",
        ("IntensitySaturation", _, _) => "saturation",
        ("IntensityLightness", _, _) => "lightness",
        ({ } p, _, _) when p.StartsWith("Shutter", StringComparison.Ordinal) => "shutter",
        (null, "Shutter", _) => "shutter",
        ("ColorMacro" or "ColorWheel" or "ColorRGBMixer", _, _) or (null, "Colour", _) => "colour",
        (null, _, _) when QxfImporter.MultiFunctionEmitter(Name, Capabilities) is { } emitter => emitter.ToLowerInvariant(),
        _ => "other",
    };
}

/// <summary>A QLC+ fixture definition read as stated: its channels and, per mode, the channels in DMX order.</summary>
/// <param name="Type">QLC+'s fixture type ("Color Changer", "Moving Head", "Strobe", "Flower", ...), or "".</param>
public sealed record QxfDefinition(string Manufacturer, string Model, string Type, IReadOnlyDictionary<string, QxfChannel> Channels, IReadOnlyList<(string Name, IReadOnlyList<QxfChannel> Channels)> Modes)
{
    private static readonly XNamespace Ns = "http://www.qlcplus.org/FixtureDefinition";

    /// <summary>Reads a definition; null when it is not readable XML (the importer reports why).</summary>
    public static QxfDefinition? Load(string path)
    {
        XElement root;
        try
        {
            root = XDocument.Load(path).Root!;
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var channels = new Dictionary<string, QxfChannel>(StringComparer.Ordinal);
        foreach (var ch in root.Elements(Ns + "Channel"))
        {
            var name = (string?)ch.Attribute("Name");
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            var group = ch.Element(Ns + "Group");
            var preset = (string?)ch.Attribute("Preset");
            channels[name] = new QxfChannel(
                name,
                preset,
                group?.Value.Trim(),
                ch.Element(Ns + "Colour")?.Value.Trim(),
                QxfImporter.IsFine(preset, group?.Value.Trim(), (string?)group?.Attribute("Byte"), name),
                [.. ch.Elements(Ns + "Capability").Select(QxfCapability.Parse).OfType<QxfCapability>().OrderBy(c => c.Min)]);
        }

        var modes = new List<(string, IReadOnlyList<QxfChannel>)>();
        foreach (var mode in root.Elements(Ns + "Mode"))
        {
            var list = mode.Elements(Ns + "Channel")
                .Select(r => (Number: int.TryParse((string?)r.Attribute("Number"), out var n) ? n : -1, Name: r.Value))
                .OrderBy(x => x.Number)
                .Select(x => channels.GetValueOrDefault(x.Name))
                .ToList();
            if (list.Count > 0 && list.All(c => c is not null))
            {
                modes.Add(((string?)mode.Attribute("Name") ?? "", list!));
            }
        }

        return new QxfDefinition(root.Element(Ns + "Manufacturer")?.Value.Trim() ?? "", root.Element(Ns + "Model")?.Value.Trim() ?? "", root.Element(Ns + "Type")?.Value.Trim() ?? "", channels, modes);
    }
}
