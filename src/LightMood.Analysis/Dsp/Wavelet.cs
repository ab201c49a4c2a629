namespace LightMood.Analysis.Dsp;

/// <summary>
/// An orthogonal wavelet's decomposition filters: low-pass h (the paper's l, up to time reversal) and high-pass g
/// (the paper's f). Coefficients as PyWavelets' <c>Wavelet(name).dec_lo</c> / <c>dec_hi</c>.
/// </summary>
public sealed class Wavelet
{
    private Wavelet(string name, double[] decLo)
    {
        Name = name;
        DecLo = decLo;
        var n = decLo.Length;
        DecHi = new double[n];
        for (var k = 0; k < n; k++)
        {
            // quadrature mirror: g[k] = (−1)^(k+1) · h[L−1−k]
            DecHi[k] = (k % 2 == 0 ? -1 : 1) * decLo[n - 1 - k];
        }
    }

    public string Name { get; }

    /// <summary>Decomposition low-pass filter (pywt <c>dec_lo</c>).</summary>
    public double[] DecLo { get; }

    /// <summary>Decomposition high-pass filter (pywt <c>dec_hi</c>).</summary>
    public double[] DecHi { get; }

    public int Length => DecLo.Length;

    /// <summary>Haar (db1).</summary>
    public static Wavelet Db1 { get; } = new("db1", [0.7071067811865476, 0.7071067811865476]);

    /// <summary>Daubechies, 2 vanishing moments (4 taps).</summary>
    public static Wavelet Db2 { get; } = new("db2",
    [
        -0.12940952255126037, 0.2241438680420134, 0.8365163037378079, 0.48296291314453416,
    ]);

    /// <summary>Daubechies, 4 vanishing moments (8 taps): the default for sub-band envelopes.</summary>
    public static Wavelet Db4 { get; } = new("db4",
    [
        -0.010597401785069032, 0.0328830116668852, 0.030841381835560764, -0.18703481171909309,
        -0.027983769416859854, 0.6308807679298589, 0.7148465705529157, 0.2303778133088965,
    ]);

    /// <summary>Looks a wavelet up by its pywt name (db1, haar, db2, db4).</summary>
    public static Wavelet FromName(string name) => name.ToLowerInvariant() switch
    {
        "db1" or "haar" => Db1,
        "db2" => Db2,
        "db4" => Db4,
        _ => throw new ArgumentException($"Unknown wavelet '{name}'; expected db1, db2 or db4.", nameof(name)),
    };
}
