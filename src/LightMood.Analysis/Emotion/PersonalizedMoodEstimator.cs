using MathNet.Numerics.LinearAlgebra;

namespace LightMood.Analysis.Emotion;

/// <summary>Tuning of <see cref="PersonalizedMoodEstimator"/>.</summary>
/// <param name="Temperature">Cosine-kernel temperature τ: k(a, b) = exp((cos(a, b) − 1) / τ). Smaller = more local.</param>
/// <param name="Ridge">Ridge λ of the kernel fit: larger keeps more of the prior prediction.</param>
/// <param name="TargetConfidence">Posterior the fit aims at for a corrected passage's mood.</param>
/// <param name="MaxRecords">Only the newest records are fitted (bounds the n×n solve).</param>
public sealed record PersonalizationOptions(
    double Temperature = 0.05,
    double Ridge = 0.5,
    double TargetConfidence = 0.85,
    int MaxRecords = 400)
{
    public static PersonalizationOptions Default { get; } = new();
}

/// <summary>
/// Wraps a mood estimator (the CRNN) with a calibration layer learned from the operator's corrections
/// (<see cref="FeedbackStore"/>): a kernel ridge regression over the embedding that predicts a log-posterior offset.
/// </summary>
/// <remarks>
/// For the n stored corrections (embedding e_i, prior posterior p_i, corrected mood c_i) the target offset is
/// t_i = log q_i − log p_i, with q_i = <see cref="PersonalizationOptions.TargetConfidence"/> on c_i and the rest
/// shared by the other moods. With the cosine kernel K_ij = k(e_i, e_j) the weights solve (K + λI) A = T
/// (MathNet.Numerics, Cholesky), and a window with embedding e and prior p gets
/// p' = softmax(log p + Σ_i A_i k(e, e_i)). λ mixes prior and feedback: a single correction moves its passage part
/// of the way, consistent repeated corrections of similar windows take it all the way; windows whose embeddings are
/// unlike any corrected passage get k ≈ 0 and keep the CRNN's posterior. Valence/arousal shift with the posterior
/// by the quadrant signs. The fit is rebuilt from the store at construction (so corrections persist across restarts)
/// and after every <see cref="Correct"/>.
/// </remarks>
public sealed class PersonalizedMoodEstimator : IMoodEstimator
{
    private static readonly float[] ValenceSign = [1, -1, -1, 1];
    private static readonly float[] ArousalSign = [1, 1, -1, -1];

    private readonly IMoodEstimator _inner;
    private readonly FeedbackStore _store;
    private readonly PersonalizationOptions _options;
    private readonly Lock _gate = new();
    private float[][] _keys = [];
    private float[] _keyNorms = [];
    private double[,] _weights = new double[0, MoodNames.Count];

    public PersonalizedMoodEstimator(IMoodEstimator inner, FeedbackStore store, PersonalizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(store);
        _inner = inner;
        _store = store;
        _options = options ?? PersonalizationOptions.Default;
        Refit();
    }

    /// <summary>Number of corrections in the current fit.</summary>
    public int CorrectionCount => _keys.Length;

    /// <inheritdoc />
    public int ChromaBands => _inner.ChromaBands;

    public MoodEstimate Estimate(ReadOnlySpan<float> melWindow) => Adjust(_inner.Estimate(melWindow));

    /// <summary>Applies the learned correction to an estimate of the wrapped estimator.</summary>
    public MoodEstimate Adjust(MoodEstimate prior)
    {
        float[][] keys;
        float[] norms;
        double[,] weights;
        lock (_gate)
        {
            (keys, norms, weights) = (_keys, _keyNorms, _weights);
        }

        if (keys.Length == 0 || prior.Embedding.Length == 0)
        {
            return prior;
        }

        Span<double> logits = stackalloc double[MoodNames.Count];
        for (var k = 0; k < logits.Length; k++)
        {
            logits[k] = Math.Log(Math.Max(prior.Probabilities[k], 1e-6));
        }

        var norm = Norm(prior.Embedding);
        for (var i = 0; i < keys.Length; i++)
        {
            var sim = Kernel(prior.Embedding, norm, keys[i], norms[i]);
            for (var k = 0; k < logits.Length; k++)
            {
                logits[k] += weights[i, k] * sim;
            }
        }

        var p = Softmax(logits);
        float valence = prior.Valence, arousal = prior.Arousal;
        for (var k = 0; k < p.Length; k++)
        {
            var d = p[k] - prior.Probabilities[k];
            valence += d * ValenceSign[k];
            arousal += d * ArousalSign[k];
        }

        return new MoodEstimate(p, Math.Clamp(valence, -1f, 1f), Math.Clamp(arousal, -1f, 1f), prior.Embedding);
    }

    /// <summary>
    /// Records that the passage whose (unpersonalized) estimate is <paramref name="prior"/> is really
    /// <paramref name="corrected"/>, durably, and refits. Pass the wrapped estimator's estimate (not an adjusted one).
    /// </summary>
    public FeedbackRecord Correct(MoodEstimate prior, double startSeconds, double endSeconds, Mood corrected) =>
        CorrectAll([prior], startSeconds, endSeconds, corrected)[0];

    /// <summary>
    /// Records one correction made of several windows (the passage the operator tapped), durably, and refits once:
    /// a refit is O(records² × embedding), so one per window would make a correction slow.
    /// </summary>
    public IReadOnlyList<FeedbackRecord> CorrectAll(IReadOnlyList<MoodEstimate> priors, double startSeconds, double endSeconds, Mood corrected)
    {
        ArgumentNullException.ThrowIfNull(priors);
        if (priors.Any(p => p is null || p.Embedding.Length == 0))
        {
            throw new ArgumentException("The estimate has no embedding; personalization needs the CRNN's embedding.", nameof(priors));
        }

        var records = priors.Select(p => new FeedbackRecord(startSeconds, endSeconds, (float[])p.Embedding.Clone(), (float[])p.Probabilities.Clone(), corrected, DateTimeOffset.UtcNow)).ToArray();
        foreach (var record in records)
        {
            _store.Append(record);
        }

        Refit();
        return records;
    }

    /// <summary>Estimates <paramref name="melWindow"/> with the wrapped estimator and records the correction.</summary>
    public FeedbackRecord Correct(ReadOnlySpan<float> melWindow, double startSeconds, double endSeconds, Mood corrected) =>
        Correct(_inner.Estimate(melWindow), startSeconds, endSeconds, corrected);

    private void Refit()
    {
        var all = _store.Records;
        var records = all.Skip(Math.Max(0, all.Count - _options.MaxRecords)).Where(r => r.Embedding.Length > 0).ToArray();
        var n = records.Length;
        var keys = records.Select(r => r.Embedding).ToArray();
        var norms = keys.Select(k => Norm(k)).ToArray();
        var weights = new double[n, MoodNames.Count];
        if (n > 0)
        {
            var kernel = Matrix<double>.Build.Dense(n, n, (i, j) => Kernel(keys[i], norms[i], keys[j], norms[j]) + (i == j ? _options.Ridge : 0));
            var targets = Matrix<double>.Build.Dense(n, MoodNames.Count, (i, k) =>
            {
                var q = k == (int)records[i].Corrected ? _options.TargetConfidence : (1 - _options.TargetConfidence) / (MoodNames.Count - 1);
                return Math.Log(q) - Math.Log(Math.Max(records[i].Prior[k], 1e-6));
            });
            var solution = kernel.Cholesky().Solve(targets);
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < MoodNames.Count; k++)
                {
                    weights[i, k] = solution[i, k];
                }
            }
        }

        lock (_gate)
        {
            (_keys, _keyNorms, _weights) = (keys, norms, weights);
        }
    }

    private double Kernel(float[] a, float na, float[] b, float nb)
    {
        if (a.Length != b.Length || na == 0 || nb == 0)
        {
            return 0;
        }

        var dot = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return Math.Exp((dot / (na * nb) - 1) / _options.Temperature);
    }

    private static float Norm(float[] v)
    {
        var s = 0.0;
        foreach (var x in v)
        {
            s += x * x;
        }

        return (float)Math.Sqrt(s);
    }

    private static float[] Softmax(ReadOnlySpan<double> logits)
    {
        var p = new float[logits.Length];
        Emotion.Softmax.Of(logits, p);
        return p;
    }
}
