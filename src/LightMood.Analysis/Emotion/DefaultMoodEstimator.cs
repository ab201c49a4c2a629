namespace LightMood.Analysis.Emotion;

/// <summary>The seam that builds the production mood estimator: the CRNN over models/crnn.onnx.</summary>
public static class DefaultMoodEstimator
{
    /// <summary>
    /// The CRNN at <paramref name="modelPath"/>, or at <see cref="CrnnMoodEstimator.ResolveModelPath"/> when null, run as
    /// <paramref name="session"/> says (default <see cref="CrnnSessionSettings.Live"/>).
    /// Throws <see cref="MoodModelException"/> (file + reason) when the model is missing or does not fit the contract.
    /// </summary>
    public static CrnnMoodEstimator CreateCrnn(string? modelPath = null, CrnnSessionSettings? session = null) =>
        new(modelPath ?? CrnnMoodEstimator.ResolveModelPath(), session);

    /// <summary>The production estimator (<see cref="CreateCrnn"/> at the default model path).</summary>
    public static IMoodEstimator Create() => CreateCrnn();
}
