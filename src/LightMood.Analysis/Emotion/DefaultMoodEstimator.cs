namespace LightMood.Analysis.Emotion;

/// <summary>The seam that picks the production mood estimator: the CRNN over models/crnn.onnx.</summary>
public static class DefaultMoodEstimator
{
    /// <summary>
    /// Environment variable selecting the estimator: unset or <c>crnn</c> = the CRNN; <c>interim</c> = the model-free
    /// <see cref="InterimFeatureMoodEstimator"/> (for synthetic-signal tests of the soft cut, which the CRNN, trained on
    /// real music, is not meant to label).
    /// </summary>
    public const string EstimatorVariable = "LIGHTMOOD_MOOD_ESTIMATOR";

    /// <summary>
    /// The CRNN at <paramref name="modelPath"/>, or at <see cref="CrnnMoodEstimator.ResolveModelPath"/> when null.
    /// Throws <see cref="MoodModelException"/> (file + reason) when the model is missing or does not fit the contract.
    /// </summary>
    public static CrnnMoodEstimator CreateCrnn(string? modelPath = null) =>
        new(modelPath ?? CrnnMoodEstimator.ResolveModelPath());

    /// <summary>The estimator selected by <see cref="EstimatorVariable"/> (default: <see cref="CreateCrnn"/>).</summary>
    public static IMoodEstimator Create()
    {
        var choice = Environment.GetEnvironmentVariable(EstimatorVariable);
        return choice?.Trim().ToLowerInvariant() switch
        {
            null or "" or "crnn" => CreateCrnn(),
            "interim" => new InterimFeatureMoodEstimator(),
            _ => throw new ArgumentException($"{EstimatorVariable}='{choice}': expected 'crnn' or 'interim'"),
        };
    }
}
