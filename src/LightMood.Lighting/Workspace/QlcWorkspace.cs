using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Workspace;

/// <summary>A fixture patched in a QLC+ workspace (<c>&lt;Engine&gt;&lt;Fixture&gt;</c>).</summary>
/// <param name="Id">The workspace's fixture ID, which scenes reference.</param>
/// <param name="Universe">QLC+ universe, counted from 0.</param>
/// <param name="Address">DMX address as QLC+ stores it: counted from 0.</param>
/// <param name="Channels">The channel count QLC+ patched (a generic dimmer has no definition, only this).</param>
public sealed record QlcFixture(int Id, string Manufacturer, string Model, string Mode, string Name, int Universe, int Address, int Channels)
{
    /// <summary>QLC+'s built-in generic dimmer: no <c>.qxf</c>, only a channel count.</summary>
    public bool IsGenericDimmer =>
        string.Equals(Manufacturer, "Generic", StringComparison.OrdinalIgnoreCase) && string.Equals(Model, "Generic", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A fixture group of the workspace (<c>&lt;FixtureGroup&gt;</c>): its name and the fixtures of its heads.</summary>
public sealed record QlcFixtureGroup(int Id, string Name, IReadOnlyList<int> FixtureIds);

/// <summary>One channel value of a scene: workspace fixture ID, channel counted from 0, value.</summary>
public sealed record QlcChannelValue(int FixtureId, int Channel, byte Value);

/// <summary>Times in milliseconds as QLC+ keeps them; <see cref="QlcWorkspace.Infinite"/> for "until told".</summary>
/// <param name="Hold">Duration − fade in (QLC+ 4.3.1+ writes <c>Hold</c> on steps, <c>Duration</c> = fade in + hold elsewhere).</param>
public sealed record QlcTimes(long FadeIn, long Hold, long FadeOut);

/// <summary>A chaser or sequence step: the function it runs (chaser) or its own values (sequence), and its times.</summary>
public sealed record QlcStep(int FunctionId, QlcTimes Times, IReadOnlyList<QlcChannelValue> Values);

/// <summary>
/// A function of the workspace (<c>&lt;Function Type=... Name=... ID=...&gt;</c>): Scene, Chaser, Sequence, EFX,
/// RGBMatrix, Collection, Show, Script, Audio, Video. Scenes carry <see cref="Values"/>; chasers and sequences
/// <see cref="Steps"/>, their direction, run order and which times are common, per step or the steps' own
/// (<c>&lt;SpeedModes&gt;</c>: Common, PerStep, Default).
/// </summary>
public sealed record QlcFunction(int Id, string Type, string Name, QlcTimes Times)
{
    public IReadOnlyList<QlcChannelValue> Values { get; init; } = [];

    public IReadOnlyList<QlcStep> Steps { get; init; } = [];

    public string Direction { get; init; } = "Forward";

    public string RunOrder { get; init; } = "Loop";

    public string FadeInMode { get; init; } = "Default";

    public string DurationMode { get; init; } = "Common";

    /// <summary>A sequence's bound scene (the fixtures and channels its steps set), or −1.</summary>
    public int BoundScene { get; init; } = -1;
}

/// <summary>
/// A QLC+ workspace (<c>.qxw</c>) as far as LightMood reads it: the patched fixtures, fixture groups, functions and
/// the virtual console's audio-trigger widgets (by caption). Read with <see cref="XmlReader"/> under safe settings
/// (the DTD QLC+ writes, <c>&lt;!DOCTYPE Workspace&gt;</c>, is skipped, never processed; no resolver). Older files have
/// no namespace, 4.x ones <c>http://www.qlcplus.org/Workspace</c>: elements are matched by local name.
/// </summary>
public sealed record QlcWorkspace(
    IReadOnlyList<QlcFixture> Fixtures,
    IReadOnlyList<QlcFixtureGroup> FixtureGroups,
    IReadOnlyList<QlcFunction> Functions,
    IReadOnlyList<string> AudioTriggers)
{
    /// <summary>QLC+'s "infinite" time (<c>Function::infiniteSpeed()</c>, −2 as an unsigned int): any value that is negative as an int.</summary>
    public const long Infinite = -1;

    public const string Namespace = "http://www.qlcplus.org/Workspace";

    /// <summary>Reads a workspace; every problem of the file at once in the <see cref="LightingConfigException"/>, one per line, each naming the file.</summary>
    public static QlcWorkspace Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LightingConfigException($"{path}: cannot read the workspace: {e.Message}", e);
        }
    }

    public static QlcWorkspace Parse(Stream stream, string source)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,   // none are defined (the DTD is ignored); a bound all the same
            IgnoreComments = true,
        };
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            // a truncated file is an XmlException too ("Unexpected end of file ... Line 812, position 3")
            throw new LightingConfigException($"{source}: not a readable QLC+ workspace (XML): {e.Message}", e);
        }

        return Read(doc, source);
    }

    private static QlcWorkspace Read(XDocument doc, string source)
    {
        var root = doc.Root!;
        if (root.Name.LocalName != "Workspace" || root.Name.NamespaceName is not ("" or Namespace))
        {
            throw new LightingConfigException($"{source}: root element is '{root.Name.LocalName}', expected a QLC+ <Workspace>");
        }

        var engine = Child(root, "Engine")
            ?? throw new LightingConfigException($"{source}: <Workspace> has no <Engine> (the fixtures and functions)");
        var errors = new List<string>();
        var fixtures = new List<QlcFixture>();
        var groups = new List<QlcFixtureGroup>();
        var functions = new List<QlcFunction>();
        foreach (var e in engine.Elements())
        {
            switch (e.Name.LocalName)
            {
                case "Fixture":
                    if (ReadFixture(e, Where(source, e), errors) is { } f)
                    {
                        fixtures.Add(f);
                    }

                    break;
                case "FixtureGroup":
                    groups.Add(new QlcFixtureGroup(
                        Int(e.Attribute("ID")?.Value, Where(source, e), "ID", errors) ?? -1,
                        Text(e, "Name") ?? "",
                        Children(e, "Head").Select(h => Int(h.Attribute("Fixture")?.Value, Where(source, h), "Fixture", errors) ?? -1).Where(id => id >= 0).Distinct().ToList()));
                    break;
                case "Function":
                    if (QlcFunctionReader.Read(e, Where(source, e), errors) is { } fn)
                    {
                        functions.Add(fn);
                    }

                    break;
            }
        }

        foreach (var dup in fixtures.GroupBy(f => f.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"{source}: fixture ID {dup.Key} is given to {dup.Count()} fixtures");
        }

        foreach (var dup in functions.GroupBy(f => f.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"{source}: function ID {dup.Key} is given to {dup.Count()} functions");
        }

        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        var triggers = Child(root, "VirtualConsole")?.Descendants().Where(d => d.Name.LocalName == "AudioTriggers")
            .Select(d => (string?)d.Attribute("Caption") ?? "Audio Triggers").ToList() ?? [];
        return new QlcWorkspace(fixtures, groups, functions, triggers);
    }

    private static QlcFixture? ReadFixture(XElement e, string where, List<string> errors)
    {
        var before = errors.Count;
        var manufacturer = Required(e, "Manufacturer", where, errors);
        var model = Required(e, "Model", where, errors);
        var mode = Required(e, "Mode", where, errors);
        var id = Int(Text(e, "ID"), where, "<ID>", errors, required: true);
        var name = Text(e, "Name");
        var universe = Int(Text(e, "Universe"), where, "<Universe>", errors) ?? 0;
        var address = Int(Text(e, "Address"), where, "<Address>", errors, required: true);
        var channels = Int(Text(e, "Channels"), where, "<Channels>", errors) ?? 0;
        if (address is not null and not (>= 0 and <= 511))
        {
            errors.Add($"{where}: <Address> {address} is outside 0..511 (QLC+ counts addresses from 0)");
        }

        if (universe is < 0 or > Patch.MaxUniverse)
        {
            errors.Add($"{where}: <Universe> {universe} is outside 0..{Patch.MaxUniverse}");
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new QlcFixture(id!.Value, manufacturer!, model!, mode!, string.IsNullOrWhiteSpace(name) ? $"{model} {id}" : name.Trim(), universe, address!.Value, channels);
    }

    internal static string Where(string source, XElement e) =>
        ((IXmlLineInfo)e).HasLineInfo() ? $"{source}:{((IXmlLineInfo)e).LineNumber}: <{e.Name.LocalName}>" : $"{source}: <{e.Name.LocalName}>";

    internal static XElement? Child(XElement e, string localName) => e.Elements().FirstOrDefault(c => c.Name.LocalName == localName);

    internal static IEnumerable<XElement> Children(XElement e, string localName) => e.Elements().Where(c => c.Name.LocalName == localName);

    internal static string? Text(XElement e, string localName) => Child(e, localName)?.Value;

    private static string? Required(XElement e, string localName, string where, List<string> errors)
    {
        var value = Text(e, localName)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            errors.Add($"{where}: <{localName}> is missing");
            return null;
        }

        return value;
    }

    internal static int? Int(string? text, string where, string what, List<string> errors, bool required = false)
    {
        if (text is null)
        {
            if (required)
            {
                errors.Add($"{where}: {what} is missing");
            }

            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add($"{where}: {what} '{text}' is not a whole number");
        return null;
    }
}
