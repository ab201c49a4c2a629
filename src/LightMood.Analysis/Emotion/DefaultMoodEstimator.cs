namespace LightMood.Analysis.Emotion;

/// <summary>The estimator the analysis uses unless told otherwise (the <c>analyze</c> and <c>evaluate-segments</c> verbs, the demo test).</summary>
public static class DefaultMoodEstimator
{
    /// <summary>INTERIM: the feature estimator. When the CRNN lands, this one line becomes the <c>CrnnMoodEstimator</c>.</summary>
    public static IMoodEstimator Create() => new InterimFeatureMoodEstimator();
}
