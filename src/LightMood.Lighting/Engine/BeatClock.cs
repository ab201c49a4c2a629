namespace LightMood.Lighting.Engine;

/// <summary>
/// The beat clock: re-locks to each detected beat (phase 0 at the beat, period from its tempo) and predicts the
/// following beats, so they are rendered when they are due rather than when the analysis reports them. Thread-safe:
/// beats arrive from the analysis, the render loop reads the clock every frame (allocation-free).
/// </summary>
/// <param name="time">The engine's clock.</param>
/// <param name="offsetSeconds">The configured latency offset between audio and light (<c>BeatOffsetSeconds</c>).</param>
internal sealed class BeatClock(TimeProvider time, double offsetSeconds)
{
    private readonly Lock _gate = new();
    private long _lastBeatAt = long.MinValue;
    private double _period;
    private long _count;

    /// <summary>
    /// A detected beat. <paramref name="age"/> is how long ago the beat was in the audio as it reached the analysis
    /// (the analysis position minus the beat's time): the lock is set that far back (at most 2 s), which removes the
    /// detection delay from every predicted beat. A beat without a finite positive tempo is ignored.
    /// </summary>
    public void OnBeat(Beat beat, TimeSpan age)
    {
        if (!(beat.TempoBpm > 0) || !double.IsFinite(beat.TempoBpm))
        {
            return;
        }

        var now = time.GetTimestamp();
        var ageSeconds = double.IsFinite(age.TotalSeconds) ? Math.Clamp(age.TotalSeconds, 0, 2) : 0;
        var at = now - (long)(ageSeconds * time.TimestampFrequency);
        lock (_gate)
        {
            _count = _lastBeatAt == long.MinValue ? 0 : (long)Math.Round(PositionAt(at));
            _lastBeatAt = at;
            _period = 60.0 / beat.TempoBpm;
        }
    }

    /// <summary>The clock at <paramref name="now"/>: active while the last beat is younger than <paramref name="timeoutSeconds"/>.</summary>
    public BeatReading Read(long now, double timeoutSeconds)
    {
        lock (_gate)
        {
            var active = _lastBeatAt != long.MinValue && time.GetElapsedTime(_lastBeatAt, now).TotalSeconds < timeoutSeconds;
            return active ? new BeatReading(true, PositionAt(now), 60.0 / _period) : default;
        }
    }

    private double PositionAt(long now) =>
        _count + ((time.GetElapsedTime(_lastBeatAt, now).TotalSeconds + offsetSeconds) / _period);
}

/// <summary>The beat clock read at one instant.</summary>
/// <param name="Active">Beats arrive (the last one within the scenes' beat timeout).</param>
/// <param name="Position">Beats since the clock locked (fractional part = phase), when active.</param>
/// <param name="TempoBpm">The clock's tempo, when active.</param>
internal readonly record struct BeatReading(bool Active, double Position, double TempoBpm);
