using System.Text.Json;

namespace LightMood.Tests.Daemon;

/// <summary>Finds numbers that are not finite in a JSON answer, and numbers of the page's state that went missing.</summary>
internal static class FiniteJson
{
    private static readonly string[] NamedNonFinite = ["NaN", "Infinity", "-Infinity", "+Infinity"];

    /// <summary>Every number anywhere must be finite; no string may be a named non-finite literal.</summary>
    public static IEnumerable<string> Problems(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    foreach (var problem in Problems(p.Value, $"{path}.{p.Name}"))
                    {
                        yield return problem;
                    }
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var problem in Problems(item, $"{path}[{i++}]"))
                    {
                        yield return problem;
                    }
                }

                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var v) || !double.IsFinite(v))
                {
                    yield return $"{path} = {element.GetRawText()}";
                }

                break;
            case JsonValueKind.String when NamedNonFinite.Contains(element.GetString()):
                yield return $"{path} = \"{element.GetString()}\"";
                break;
        }
    }

    /// <summary>
    /// The state of <c>/api/state</c> or one event: finite everywhere, and the values a NaN would have replaced by null
    /// (the server writes a non-finite double as null) present as numbers.
    /// </summary>
    public static void AssertState(JsonElement state)
    {
        var problems = Problems(state).ToList();
        Number(state, problems, "time_s");
        Number(state.GetProperty("lights"), problems, "master");
        if (state.GetProperty("mood") is { ValueKind: JsonValueKind.Object } mood)
        {
            foreach (var name in new[] { "confidence", "valence", "arousal", "energy", "region_start_s", "section_start_s" })
            {
                Number(mood, problems, name);
            }
        }

        foreach (var region in state.GetProperty("regions").EnumerateArray())
        {
            foreach (var name in new[] { "start_s", "end_s", "confidence", "valence", "arousal" })
            {
                Number(region, problems, name);
            }
        }

        foreach (var fixture in state.GetProperty("fixtures").EnumerateArray())
        {
            Number(fixture, problems, "intensity");
        }

        foreach (var point in state.GetProperty("trail").EnumerateArray())
        {
            foreach (var v in point.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Number)
                {
                    problems.Add($"trail point {point.GetRawText()}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    private static void Number(JsonElement owner, List<string> problems, string name)
    {
        if (!owner.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number)
        {
            problems.Add($"{name} is not a number ({(owner.TryGetProperty(name, out var x) ? x.GetRawText() : "missing")})");
        }
    }
}
