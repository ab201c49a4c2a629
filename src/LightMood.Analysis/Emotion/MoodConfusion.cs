using System.Globalization;
using System.Text;

namespace LightMood.Analysis.Emotion;

/// <summary>
/// Confusion matrix over the four moods (rows: true mood, columns: predicted) with per-mood precision, recall and F1
/// and their unweighted mean, macro-F1 = (1/K) Σ_k 2·P_k·R_k / (P_k + R_k). A mood never predicted has precision 0;
/// a mood with no examples has recall 0 (and F1 0), the usual conservative convention.
/// </summary>
public sealed class MoodConfusion
{
    private readonly int[,] _counts = new int[MoodCount, MoodCount];

    public const int MoodCount = 4;

    public void Add(Mood truth, Mood predicted) => _counts[(int)truth, (int)predicted]++;

    public int this[Mood truth, Mood predicted] => _counts[(int)truth, (int)predicted];

    public int Total
    {
        get
        {
            var n = 0;
            foreach (var c in _counts)
            {
                n += c;
            }

            return n;
        }
    }

    public double Accuracy
    {
        get
        {
            var total = Total;
            if (total == 0)
            {
                return 0;
            }

            var hit = 0;
            for (var k = 0; k < MoodCount; k++)
            {
                hit += _counts[k, k];
            }

            return (double)hit / total;
        }
    }

    public double Precision(Mood mood)
    {
        var k = (int)mood;
        var predicted = 0;
        for (var t = 0; t < MoodCount; t++)
        {
            predicted += _counts[t, k];
        }

        return predicted == 0 ? 0 : (double)_counts[k, k] / predicted;
    }

    public double Recall(Mood mood)
    {
        var k = (int)mood;
        var actual = 0;
        for (var p = 0; p < MoodCount; p++)
        {
            actual += _counts[k, p];
        }

        return actual == 0 ? 0 : (double)_counts[k, k] / actual;
    }

    public double F1(Mood mood)
    {
        var p = Precision(mood);
        var r = Recall(mood);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double MacroF1
    {
        get
        {
            var sum = 0.0;
            for (var k = 0; k < MoodCount; k++)
            {
                sum += F1((Mood)k);
            }

            return sum / MoodCount;
        }
    }

    /// <summary>A plain-text report: per-mood precision/recall/F1, macro-F1, accuracy and the matrix.</summary>
    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"{"mood",-8} {"precision",9} {"recall",7} {"F1",6} {"n",4}");
        for (var k = 0; k < MoodCount; k++)
        {
            var m = (Mood)k;
            var n = 0;
            for (var p = 0; p < MoodCount; p++)
            {
                n += _counts[k, p];
            }

            sb.AppendLine(c, $"{m.ToName(),-8} {Precision(m),9:F3} {Recall(m),7:F3} {F1(m),6:F3} {n,4}");
        }

        sb.AppendLine(c, $"macro-F1 {MacroF1:F3}  accuracy {Accuracy:F3}  clips {Total}");
        sb.Append("confusion (rows true, columns predicted):\n         ");
        for (var k = 0; k < MoodCount; k++)
        {
            sb.Append(c, $"{((Mood)k).ToName(),6}");
        }

        sb.AppendLine();
        for (var t = 0; t < MoodCount; t++)
        {
            sb.Append(c, $"{((Mood)t).ToName(),-8} ");
            for (var p = 0; p < MoodCount; p++)
            {
                sb.Append(c, $"{_counts[t, p],6}");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }
}
