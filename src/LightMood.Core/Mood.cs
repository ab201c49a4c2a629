using System.Numerics;

namespace LightMood;

/// <summary>
/// The four coarse moods: the quadrants of Russell's valence-arousal plane.
/// The names are a contract (config, API, JSON, UI): <c>happy</c>, <c>tense</c>, <c>sad</c>, <c>calm</c>.
/// </summary>
public enum Mood
{
    /// <summary>+valence +arousal, quadrant Q1.</summary>
    Happy = 0,

    /// <summary>−valence +arousal, quadrant Q2 (the paper's anxiety/fierce).</summary>
    Tense = 1,

    /// <summary>−valence −arousal, quadrant Q3 (the paper's mawkish/low).</summary>
    Sad = 2,

    /// <summary>+valence −arousal, quadrant Q4 (the paper's relax/gentle).</summary>
    Calm = 3,
}

/// <summary>The wire names of <see cref="Mood"/> and their mapping to quadrants and the valence-arousal plane.</summary>
public static class MoodNames
{
    public const int Count = 4;

    /// <summary>
    /// The label of audio below the silence level (the analysis's silence gate): a region or state of its own,
    /// never one of the four moods (DESIGN.md: <c>"mood": "silence"</c>). Not a <see cref="Mood"/>: it cannot be forced.
    /// </summary>
    public const string Silence = "silence";

    private static readonly string[] Names = ["happy", "tense", "sad", "calm"];

    /// <summary>All moods in quadrant order Q1..Q4.</summary>
    public static IReadOnlyList<Mood> All { get; } = [Mood.Happy, Mood.Tense, Mood.Sad, Mood.Calm];

    public static string ToName(this Mood mood) => Names[(int)mood];

    /// <summary>Quadrant number 1..4.</summary>
    public static int ToQuadrant(this Mood mood) => (int)mood + 1;

    /// <summary>Parses a mood name (<c>happy</c>) or a quadrant (<c>Q1</c>), case-insensitive.</summary>
    public static bool TryParse(string? text, out Mood mood)
    {
        mood = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(t, Names[i], StringComparison.OrdinalIgnoreCase) ||
                string.Equals(t, "Q" + (i + 1), StringComparison.OrdinalIgnoreCase))
            {
                mood = (Mood)i;
                return true;
            }
        }

        return false;
    }

    public static Mood Parse(string text) =>
        TryParse(text, out var mood)
            ? mood
            : throw new FormatException($"'{text}' is not a mood; expected one of happy, tense, sad, calm (or Q1..Q4).");

    /// <summary>The mood of the largest of <paramref name="scores"/> (in <see cref="Mood"/> order; a tie goes to the first).</summary>
    public static Mood MostLikely<T>(ReadOnlySpan<T> scores)
        where T : IComparisonOperators<T, T, bool>
    {
        var best = 0;
        for (var m = 1; m < scores.Length; m++)
        {
            if (scores[m] > scores[best])
            {
                best = m;
            }
        }

        return (Mood)best;
    }

    /// <summary>The quadrant a valence-arousal point falls in (ties go to the positive side).</summary>
    public static Mood FromValenceArousal(double valence, double arousal) =>
        (valence >= 0, arousal >= 0) switch
        {
            (true, true) => Mood.Happy,
            (false, true) => Mood.Tense,
            (false, false) => Mood.Sad,
            (true, false) => Mood.Calm,
        };

    /// <summary>Sign of valence (+1/−1) for the quadrant's centre.</summary>
    public static int ValenceSign(this Mood mood) => mood is Mood.Happy or Mood.Calm ? 1 : -1;

    /// <summary>Sign of arousal (+1/−1) for the quadrant's centre.</summary>
    public static int ArousalSign(this Mood mood) => mood is Mood.Happy or Mood.Tense ? 1 : -1;
}
