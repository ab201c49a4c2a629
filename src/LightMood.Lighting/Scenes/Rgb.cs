using System.Globalization;

namespace LightMood.Lighting.Scenes;

/// <summary>A colour with components in [0, 1]; parsed from and written as <c>#rrggbb</c>.</summary>
public readonly record struct Rgb(double R, double G, double B)
{
    public static Rgb White => new(1, 1, 1);

    public static Rgb Black => new(0, 0, 0);

    public static bool TryParse(string? text, out Rgb colour)
    {
        colour = default;
        if (text is null || text.Length != 7 || text[0] != '#' ||
            !int.TryParse(text.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        colour = new Rgb(((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0);
        return true;
    }

    public static Rgb Lerp(Rgb a, Rgb b, double t) =>
        new(a.R + ((b.R - a.R) * t), a.G + ((b.G - a.G) * t), a.B + ((b.B - a.B) * t));

    public double DistanceSquared(Rgb other)
    {
        var dr = R - other.R;
        var dg = G - other.G;
        var db = B - other.B;
        return (dr * dr) + (dg * dg) + (db * db);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"#{ToByte(R):x2}{ToByte(G):x2}{ToByte(B):x2}");

    private static int ToByte(double v) => (int)Math.Round(Math.Clamp(v, 0, 1) * 255);
}
