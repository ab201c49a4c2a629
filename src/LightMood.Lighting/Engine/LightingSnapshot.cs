namespace LightMood.Lighting.Engine;

/// <summary>One universe's frame as the web page's DMX monitor shows it.</summary>
/// <param name="Universe">LightMood universe (Art-Net Port-Address).</param>
/// <param name="PortAddress">Art-Net notation Net:SubNet:Universe.</param>
/// <param name="SacnUniverse">The sACN universe it maps to (1..63999).</param>
/// <param name="Slots">512 slot values (a copy).</param>
public sealed record UniverseSnapshot(int Universe, string PortAddress, int SacnUniverse, byte[] Slots);

/// <summary>One fixture's output for the colour preview.</summary>
/// <param name="Colour">Emitted colour <c>#rrggbb</c> (colour × intensity × master; black in blackout).</param>
/// <param name="Intensity">Effective intensity 0..1.</param>
/// <param name="Pan">0..1.</param>
/// <param name="Tilt">0..1.</param>
public sealed record FixturePreview(string Name, string Group, int Universe, int Address, string Colour, double Intensity, double Pan, double Tilt)
{
    /// <summary>The colour before intensity, master and blackout (<c>#rrggbb</c>): what a dim look is tinted.</summary>
    public string Tint { get; init; } = "#000000";
}

/// <summary>The engine's state after a frame, for the web page and the state hub (a copy; safe to keep).</summary>
/// <param name="Frame">Frames rendered since start.</param>
/// <param name="Look">What is showing: a mood name, <c>silence</c>, <c>house</c>, <c>preview</c>, <c>hold</c> or <c>blackout</c>.</param>
/// <param name="Mood">The mood the look follows (forced or analysed), null before the first estimate.</param>
/// <param name="Forced">True while an operator forces the mood.</param>
/// <param name="Blackout">Operator blackout on.</param>
/// <param name="Master">Grand master 0..1.</param>
/// <param name="Silent">True while the silence look is up.</param>
/// <param name="Faulted">True while any stage is faulted (the safe look is up unless an operator forces a mood).</param>
/// <param name="FaultReason">Why (the oldest standing fault's reason), when <paramref name="Faulted"/>.</param>
/// <param name="CrossfadeProgress">0..1 of the running crossfade; 1 when none.</param>
/// <param name="TempoBpm">Tempo of the beat clock, null when no beats arrive.</param>
/// <param name="Universes">Frames per universe.</param>
/// <param name="Fixtures">Per-fixture preview.</param>
public sealed record LightingSnapshot(
    long Frame,
    DateTimeOffset Time,
    string Look,
    string? Mood,
    bool Forced,
    bool Blackout,
    double Master,
    bool Silent,
    bool Faulted,
    string? FaultReason,
    double CrossfadeProgress,
    double? TempoBpm,
    IReadOnlyList<UniverseSnapshot> Universes,
    IReadOnlyList<FixturePreview> Fixtures)
{
    /// <summary>House lights on (the house look replaces the music's).</summary>
    public bool House { get; init; }

    /// <summary>An unsaved look is being previewed.</summary>
    public bool Preview { get; init; }

    /// <summary>The crossfade between looks, seconds.</summary>
    public double CrossfadeSeconds { get; init; }

    /// <summary>Frames per second the engine renders.</summary>
    public double RateHz { get; init; }

    /// <summary>The stage whose fault <see cref="FaultReason"/> is (the oldest standing), when <see cref="Faulted"/>.</summary>
    public string? FaultStage { get; init; }
}
