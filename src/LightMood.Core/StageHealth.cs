namespace LightMood;

/// <summary>
/// The one owner of the pipeline's fault state: which stages (capture, analysis, render...) are faulted now, and why.
/// Stages report into it (<see cref="Fault"/>, <see cref="Clear"/>); the lighting engine, the page and the watchdog only
/// read it. Each stage clears only its own fault, so a stage that recovers can never clear another stage's fault: the
/// lights stay on the safe look while any stage is faulted.
/// </summary>
/// <remarks>
/// Thread-safe. Writers publish a new immutable list under a lock; readers take <see cref="Faults"/> (one volatile
/// read, no lock, no allocation: the render loop reads it every frame) and see one consistent state: the page derives
/// both its fault list and "lights faulted" from the same read.
/// </remarks>
public sealed class StageHealth
{
    private readonly Lock _gate = new();
    private StageFault[] _faults = [];

    /// <summary>Every fault standing now, oldest first (an immutable snapshot; empty when every stage is healthy).</summary>
    public IReadOnlyList<StageFault> Faults => Volatile.Read(ref _faults);

    /// <summary>True while any stage is faulted.</summary>
    public bool IsFaulted => Volatile.Read(ref _faults).Length > 0;

    /// <summary>The oldest fault still standing, or null when every stage is healthy.</summary>
    public StageFault? First => Volatile.Read(ref _faults) is { Length: > 0 } f ? f[0] : null;

    /// <summary>Marks <paramref name="stage"/> faulted (or updates its reason); it stays faulted until it clears itself.</summary>
    public void Fault(string stage, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentNullException.ThrowIfNull(reason);
        lock (_gate)
        {
            var faults = _faults;
            var i = IndexOf(faults, stage);
            if (i >= 0 && faults[i].Reason == reason)
            {
                return;
            }

            var next = i >= 0 ? (StageFault[])faults.Clone() : [.. faults, null!];
            next[i >= 0 ? i : faults.Length] = new StageFault(stage, reason);
            Volatile.Write(ref _faults, next);
        }
    }

    /// <summary>Clears <paramref name="stage"/>'s own fault (nothing else); true when it was faulted.</summary>
    public bool Clear(string stage)
    {
        lock (_gate)
        {
            var faults = _faults;
            var i = IndexOf(faults, stage);
            if (i < 0)
            {
                return false;
            }

            Volatile.Write(ref _faults, [.. faults[..i], .. faults[(i + 1)..]]);
            return true;
        }
    }

    /// <summary>True while <paramref name="stage"/> is faulted.</summary>
    public bool IsStageFaulted(string stage) => IndexOf(Volatile.Read(ref _faults), stage) >= 0;

    private static int IndexOf(StageFault[] faults, string stage)
    {
        for (var i = 0; i < faults.Length; i++)
        {
            if (string.Equals(faults[i].Stage, stage, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A stage's fault: which stage, and why (the message the page and the log show).</summary>
public sealed record StageFault(string Stage, string Reason);
