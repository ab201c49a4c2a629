using System.Numerics;

namespace LightMood.Analysis.Emotion;

/// <summary>
/// Numerically stable softmax, written once for the CRNN's float logits and the personalization's double ones:
/// p_i = exp(z_i − max z) / Σ_j exp(z_j − max z), computed in the logits' own precision, the result as float.
/// </summary>
public static class Softmax
{
    /// <summary>The softmax of <paramref name="logits"/> into <paramref name="p"/> (same length); allocation-free.</summary>
    public static void Of<T>(ReadOnlySpan<T> logits, Span<float> p)
        where T : IFloatingPointIeee754<T>
    {
        if (p.Length != logits.Length)
        {
            throw new ArgumentException($"Need {logits.Length} values, got {p.Length}.", nameof(p));
        }

        var max = T.NegativeInfinity;
        foreach (var z in logits)
        {
            max = T.Max(max, z);
        }

        var sum = T.Zero;
        foreach (var z in logits)
        {
            sum += T.Exp(z - max);
        }

        for (var i = 0; i < p.Length; i++)
        {
            p[i] = float.CreateTruncating(T.Exp(logits[i] - max) / sum);
        }
    }
}
