using System.Text.Json;

namespace LightMood.Analysis.Tests;

/// <summary>Reads fixtures/golden/*.json written by tools/reference/make_goldens.py.</summary>
internal static class Golden
{
    public static JsonElement Load(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "fixtures", "golden")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new DirectoryNotFoundException("fixtures/golden not found above " + AppContext.BaseDirectory);
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "fixtures", "golden", name)));
        return doc.RootElement.Clone();
    }

    public static double[] Doubles(this JsonElement e) =>
        [.. e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble())];

    public static void Close(double expected, double actual, double absolute, double relative, string what)
    {
        var tolerance = absolute + (relative * Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual} (tolerance {tolerance})");
    }
}
