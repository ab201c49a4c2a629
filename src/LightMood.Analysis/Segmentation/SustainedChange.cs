namespace LightMood.Analysis.Segmentation;

/// <summary>
/// The run of mood windows, in a row, whose most likely mood (the challenger) beats the live mood: where it began and how
/// long it is. <see cref="SoftCutSegmenter"/> confirms a sustained change when the run is SustainWindows long.
/// </summary>
/// <remarks>A window that disagrees with another challenger starts a new run; one that agrees with the live mood ends it (<see cref="Reset"/>). Allocation-free.</remarks>
public sealed class SustainedChange
{
    /// <summary>The mood the run's windows name.</summary>
    public Mood Challenger { get; private set; }

    /// <summary>Windows in the run (0: none).</summary>
    public int Count { get; private set; }

    /// <summary>Start of the run's first window.</summary>
    public double StartSeconds { get; private set; }

    /// <summary>End of the run's first window.</summary>
    public double EndSeconds { get; private set; }

    /// <summary>Centre of the run's first window.</summary>
    public double CentreSeconds { get; private set; }

    /// <summary>
    /// The earliest the change may lie: the posterior lags the audio, so up to half a window before the run's first window.
    /// </summary>
    public double EarliestSeconds => StartSeconds - ((EndSeconds - StartSeconds) / 2);

    /// <summary>A window over [startSeconds, endSeconds] whose most likely mood <paramref name="best"/> beats the live mood.</summary>
    public void Add(Mood best, double startSeconds, double endSeconds, double centreSeconds)
    {
        if (Count == 0 || best != Challenger)
        {
            Challenger = best;
            Count = 0;
            StartSeconds = startSeconds;
            EndSeconds = endSeconds;
            CentreSeconds = centreSeconds;
        }

        Count++;
    }

    /// <summary>The run ends: a window agreed with the live mood, or the live mood changed.</summary>
    public void Reset() => Count = 0;
}
