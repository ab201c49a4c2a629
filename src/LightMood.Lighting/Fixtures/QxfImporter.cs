using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Fixtures;

/// <summary>
/// Imports QLC+ fixture definitions (<c>.qxf</c>, namespace <c>http://www.qlcplus.org/FixtureDefinition</c>):
/// channels are typed from their <c>Preset</c> attribute (QLC+ 4.12+) or from their <c>Group</c> (+ <c>Colour</c>,
/// <c>Byte</c> for fine channels) in older files (see QxfImporter.Channels.cs for how each channel is read).
/// </summary>
public static partial class QxfImporter
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
        var programmes = new Dictionary<string, byte>(StringComparer.Ordinal);
        foreach (var ch in root.Elements(Ns + "Channel"))
        {
            var name = (string?)ch.Attribute("Name");
            if (string.IsNullOrEmpty(name))
            {
                errors.Add($"{source}: a <Channel> has no Name");
                continue;
            }

            channels[name] = ParseChannel(ch, name);
            if (channels[name].Kind == ChannelKind.Generic && ProgrammeValue(ch) is { } programme)
            {
                programmes[name] = programme;
            }
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
                // a mode without emitters of its own (a derby, a moonflower, an LED bar's programme mode) makes light
                // only through its programmes: those left at "Blackout" go to their first programme
                var own = list.Any(c => c!.Kind is ChannelKind.Red or ChannelKind.Green or ChannelKind.Blue or ChannelKind.White or
                    ChannelKind.Amber or ChannelKind.Uv or ChannelKind.Cyan or ChannelKind.Magenta or ChannelKind.Yellow or ChannelKind.Hue);
                modes.Add(new FixtureMode(modeName, list.Select(c => !own && programmes.TryGetValue(c!.Name, out var p) ? c with { Default = p } : c!).ToList()));
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

    /// <summary>Reads only the QLC+ fixture type of a definition (<c>&lt;Type&gt;</c>: "Color Changer", "Moving Head", ...), or null.</summary>
    public static string? PeekType(string path)
    {
        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Type")
                {
                    return reader.ReadElementContentAsString().Trim();
                }

                if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "Channel" or "Mode")
                {
                    return null;
                }
            }
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
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
}
