namespace LightMood;

/// <summary>A stretch of audio with one coarse emotion: the unit the soft cut produces.</summary>
/// <param name="StartSeconds">Start of the region in seconds from the start of the stream.</param>
/// <param name="EndSeconds">End of the region in seconds (exclusive).</param>
/// <param name="Mood">The region's mood.</param>
/// <param name="Confidence">Probability of <paramref name="Mood"/>, in [0, 1].</param>
/// <param name="Valence">Mean valence in [−1, 1].</param>
/// <param name="Arousal">Mean arousal in [−1, 1].</param>
/// <param name="Silent">
/// The audio is silence (below the silence gate's level): the region's label is <c>silence</c>, not a mood;
/// <paramref name="Mood"/> then only repeats the mood heard before it, confidence is 1, valence 0 and arousal −1.
/// </param>
public sealed record MoodRegion(double StartSeconds, double EndSeconds, Mood Mood, double Confidence, double Valence, double Arousal, bool Silent = false)
{
    public double DurationSeconds => EndSeconds - StartSeconds;

    /// <summary>What the region is called in the JSON contract, the API and the page: a mood name or <c>silence</c>.</summary>
    public string Label => Silent ? MoodNames.Silence : Mood.ToName();
}

/// <summary>The live estimate the analysis publishes for the lighting engine and the web page.</summary>
/// <param name="TimeSeconds">Stream time the estimate refers to.</param>
/// <param name="Mood">The confirmed mood of the current region.</param>
/// <param name="Confidence">Probability of <paramref name="Mood"/>, in [0, 1].</param>
/// <param name="Valence">Current valence in [−1, 1].</param>
/// <param name="Arousal">Current arousal in [−1, 1].</param>
/// <param name="RegionStartSeconds">Where the current region started (where the change happened, not where it was confirmed).</param>
/// <param name="Energy">Short-term energy, normalised to [0, 1] (0 = silence).</param>
/// <param name="TempoBpm">Current tempo estimate in BPM, or null when there is none (silence, no pulse).</param>
/// <param name="Silent">
/// The audio is silence now (the silence gate has closed): the lights show the silence look and the page says
/// <c>silence</c>; <paramref name="Mood"/> only repeats the mood heard before it.
/// </param>
/// <param name="SectionStartSeconds">Where the current section (structural segment, whatever the mood) started: a new
/// value with the same mood is a new section of the music (the lights vary the mood's look).</param>
public sealed record MoodState(
    double TimeSeconds,
    Mood Mood,
    double Confidence,
    double Valence,
    double Arousal,
    double RegionStartSeconds,
    double Energy,
    double? TempoBpm,
    bool Silent = false,
    double SectionStartSeconds = 0)
{
    /// <summary>A mood name or <c>silence</c>.</summary>
    public string Label => Silent ? MoodNames.Silence : Mood.ToName();
}

/// <summary>A detected beat.</summary>
/// <param name="TimeSeconds">Stream time of the beat.</param>
/// <param name="TempoBpm">Tempo the beat belongs to.</param>
/// <param name="Strength">Onset strength normalised to [0, 1].</param>
public readonly record struct Beat(double TimeSeconds, double TempoBpm, double Strength);
