using System.Globalization;
using System.Xml.Linq;

namespace LightMood.Lighting.Workspace;

/// <summary>
/// Reads one <c>&lt;Function&gt;</c> of a QLC+ workspace: its times (<c>&lt;Speed FadeIn FadeOut Duration&gt;</c>, ms,
/// Duration = fade in + hold), a scene's <c>&lt;FixtureVal ID="fixture"&gt;channel,value,...&lt;/FixtureVal&gt;</c>
/// (channels from 0), a chaser's or sequence's steps (<c>&lt;Step Number FadeIn Hold|Duration FadeOut&gt;</c> with a
/// function ID, or a sequence's <c>fixture,channel,value</c> triples), as QLC+'s <c>Scene::loadXML</c> and
/// <c>ChaserStep::loadXML</c> read them.
/// </summary>
internal static class QlcFunctionReader
{
    public static QlcFunction? Read(XElement e, string where, List<string> errors)
    {
        var before = errors.Count;
        var id = QlcWorkspace.Int(e.Attribute("ID")?.Value, where, "ID", errors, required: true);
        var type = e.Attribute("Type")?.Value;
        var name = e.Attribute("Name")?.Value;
        if (string.IsNullOrWhiteSpace(type))
        {
            errors.Add($"{where}: Type is missing");
        }

        if (errors.Count > before)
        {
            return null;
        }

        where = $"{where} '{name}' (ID {id})";
        var speed = QlcWorkspace.Child(e, "Speed");
        var function = new QlcFunction(id!.Value, type!, string.IsNullOrWhiteSpace(name) ? $"{type} {id}" : name.Trim(), Times(speed, where, errors));
        switch (type)
        {
            case "Scene":
                function = function with { Values = SceneValues(e, where, errors) };
                break;
            case "Chaser" or "Sequence":
                var modes = QlcWorkspace.Child(e, "SpeedModes");
                function = function with
                {
                    Steps = QlcWorkspace.Children(e, "Step").Select(s => Step(s, type == "Sequence", where, errors)).OfType<(int Number, QlcStep Step)>()
                        .OrderBy(s => s.Number).Select(s => s.Step).ToList(),
                    Direction = QlcWorkspace.Text(e, "Direction")?.Trim() ?? "Forward",
                    RunOrder = QlcWorkspace.Text(e, "RunOrder")?.Trim() ?? "Loop",
                    FadeInMode = modes?.Attribute("FadeIn")?.Value ?? "Default",
                    DurationMode = modes?.Attribute("Duration")?.Value ?? "Common",
                    BoundScene = QlcWorkspace.Int(e.Attribute("BoundScene")?.Value, where, "BoundScene", errors) ?? -1,
                };
                break;
        }

        return errors.Count > before ? null : function;
    }

    private static List<QlcChannelValue> SceneValues(XElement scene, string where, List<string> errors)
    {
        var values = new List<QlcChannelValue>();
        foreach (var val in QlcWorkspace.Children(scene, "FixtureVal"))
        {
            var fixture = QlcWorkspace.Int(val.Attribute("ID")?.Value, where, "<FixtureVal> ID", errors, required: true);
            var text = val.Value.Trim();
            if (fixture is null || text.Length == 0)
            {
                continue; // an empty <FixtureVal>: the fixture is in the scene with no channel set
            }

            var parts = text.Split(',');
            if (parts.Length % 2 != 0)
            {
                errors.Add($"{where}: <FixtureVal ID=\"{fixture}\"> '{Short(text)}' is not channel,value pairs (odd count {parts.Length})");
                continue;
            }

            for (var i = 0; i < parts.Length; i += 2)
            {
                if (Channel(parts[i], parts[i + 1]) is { } cv)
                {
                    values.Add(new QlcChannelValue(fixture.Value, cv.Channel, cv.Value));
                }
                else
                {
                    errors.Add($"{where}: <FixtureVal ID=\"{fixture}\"> pair {(i / 2) + 1} '{parts[i]},{parts[i + 1]}' is not a channel (0..511) and a value (0..255)");
                }
            }
        }

        return values;
    }

    private static (int Number, QlcStep Step)? Step(XElement s, bool sequence, string where, List<string> errors)
    {
        var number = QlcWorkspace.Int(s.Attribute("Number")?.Value, where, "<Step> Number", errors) ?? int.MaxValue;
        var fadeIn = Millis(s.Attribute("FadeIn")?.Value, where, "<Step> FadeIn", errors) ?? 0;
        var fadeOut = Millis(s.Attribute("FadeOut")?.Value, where, "<Step> FadeOut", errors) ?? 0;
        var hold = Millis(s.Attribute("Hold")?.Value, where, "<Step> Hold", errors);
        if (hold is null)
        {
            var duration = Millis(s.Attribute("Duration")?.Value, where, "<Step> Duration", errors) ?? 0;
            hold = HoldOf(duration, fadeIn);
        }

        var times = new QlcTimes(fadeIn, hold.Value, fadeOut);
        var text = s.Value.Trim();
        if (sequence || s.Attribute("Values") is not null)
        {
            var values = new List<QlcChannelValue>();
            var parts = text.Length == 0 ? [] : text.Split(',');
            if (parts.Length % 3 != 0)
            {
                errors.Add($"{where}: sequence <Step Number=\"{number}\"> '{Short(text)}' is not fixture,channel,value triples");
                return null;
            }

            for (var i = 0; i < parts.Length; i += 3)
            {
                if (int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var fixture) && Channel(parts[i + 1], parts[i + 2]) is { } cv)
                {
                    values.Add(new QlcChannelValue(fixture, cv.Channel, cv.Value));
                }
                else
                {
                    errors.Add($"{where}: sequence <Step Number=\"{number}\"> triple '{parts[i]},{parts[i + 1]},{parts[i + 2]}' is not a fixture, channel and value");
                }
            }

            return (number, new QlcStep(-1, times, values));
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var function))
        {
            errors.Add($"{where}: <Step Number=\"{number}\"> '{Short(text)}' is not a function ID");
            return null;
        }

        return (number, new QlcStep(function, times, []));
    }

    private static QlcTimes Times(XElement? speed, string where, List<string> errors)
    {
        var fadeIn = Millis(speed?.Attribute("FadeIn")?.Value, where, "<Speed> FadeIn", errors) ?? 0;
        var fadeOut = Millis(speed?.Attribute("FadeOut")?.Value, where, "<Speed> FadeOut", errors) ?? 0;
        var duration = Millis(speed?.Attribute("Duration")?.Value, where, "<Speed> Duration", errors) ?? 0;
        return new QlcTimes(fadeIn, HoldOf(duration, fadeIn), fadeOut);
    }

    /// <summary>QLC+: hold = duration − fade in, unless the duration is infinite.</summary>
    private static long HoldOf(long duration, long fadeIn) =>
        duration == QlcWorkspace.Infinite ? QlcWorkspace.Infinite : Math.Max(0, duration - (fadeIn == QlcWorkspace.Infinite ? 0 : fadeIn));

    /// <summary>Milliseconds as QLC+ writes them (an unsigned int; −1/−2 as unsigned are "default"/"infinite").</summary>
    private static long? Millis(string? text, string where, string what, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            errors.Add($"{where}: {what} '{text}' is not a time in milliseconds");
            return null;
        }

        return ms is < 0 or > int.MaxValue ? QlcWorkspace.Infinite : ms;
    }

    private static (int Channel, byte Value)? Channel(string channel, string value) =>
        int.TryParse(channel, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 0 and < 512 &&
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 255
            ? (c, (byte)v)
            : null;

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
