
namespace LightMood.Lighting.Scenes;

/// <summary>Pan/tilt figure a look draws with the moving heads.</summary>
public enum MovementPattern
{
    None = 0,
    Circle,
    Figure8,
    Sweep,
    Wave,
}

/// <summary>Movement of a look. Positions and ranges are fractions of the full pan/tilt range (0..1).</summary>
/// <param name="Pattern">The figure.</param>
/// <param name="SpeedHz">Cycles per second when no tempo is known.</param>
/// <param name="BeatsPerCycle">When &gt; 0 and a tempo is known, one cycle takes this many beats (locks to the beat).</param>
/// <param name="Pan">Centre pan.</param>
/// <param name="Tilt">Centre tilt.</param>
/// <param name="PanRange">Half-amplitude of pan.</param>
/// <param name="TiltRange">Half-amplitude of tilt.</param>
/// <param name="Spread">Phase offset between successive fixtures of a group, in cycles.</param>
public sealed record Movement(
    MovementPattern Pattern = MovementPattern.None,
    double SpeedHz = 0.1,
    double BeatsPerCycle = 0,
    double Pan = 0.5,
    double Tilt = 0.5,
    double PanRange = 0.2,
    double TiltRange = 0.1,
    double Spread = 0.25)
{
    public static Movement Still { get; } = new();
}

/// <summary>Strobe permission of a look: used only above an arousal threshold and never faster than the rate limit.</summary>
public sealed record StrobeSetting(bool Allowed = false, double MaxRateHz = 0, double ArousalAbove = 0.7)
{
    public static StrobeSetting Off { get; } = new();
}

/// <summary>
/// A look: what the rig shows for a mood (or for silence, or the house lights); a scene of the library. Most are
/// rendered from their palette, movement, pulse and chase; a static channel scene (<see cref="Channels"/>) is raw DMX,
/// and a chase (<see cref="Chase"/>) steps through other scenes.
/// </summary>
/// <param name="Intensity">Base intensity 0..1 (modulated by arousal).</param>
/// <param name="Palettes">Colours per group; the key <c>*</c> is the palette for groups not named.</param>
/// <param name="Movement">Pan/tilt pattern and speed.</param>
/// <param name="PulseDepth">How far intensity dips between beats, 0..1 (0 = no beat pulse).</param>
/// <param name="ChaseStepsPerBeat">Palette steps per beat across a group (0 = static palette).</param>
/// <param name="Strobe">Strobe permission.</param>
/// <param name="Uv">UV channel level 0..1.</param>
/// <param name="FadeSeconds">Seconds to fade into this look; null = the book's crossfade.</param>
/// <param name="Sections">How the look varies with each new section of the music within its mood; null: it does not.</param>
public sealed record MoodLook(
    double Intensity,
    IReadOnlyDictionary<string, IReadOnlyList<Rgb>> Palettes,
    Movement Movement,
    double PulseDepth = 0,
    double ChaseStepsPerBeat = 0,
    StrobeSetting? Strobe = null,
    double Uv = 0,
    double? FadeSeconds = null,
    SectionVariation? Sections = null)
{
    public const string AnyGroup = "*";

    public StrobeSetting StrobeOrOff => Strobe ?? StrobeSetting.Off;

    /// <summary>A static channel scene: these DMX values, as they are (the look's own fields are not used).</summary>
    public ChannelLevels? Channels { get; init; }

    /// <summary>A chase through other scenes of the library (the look's own fields are not used).</summary>
    public ChaseSetting? Chase { get; init; }

    /// <summary>A static channel scene, faded into over <paramref name="fadeSeconds"/> (null: the crossfade).</summary>
    public static MoodLook FromChannels(ChannelLevels channels, double? fadeSeconds = null) =>
        new(0, new Dictionary<string, IReadOnlyList<Rgb>>(), Movement.Still, FadeSeconds: fadeSeconds) { Channels = channels };

    /// <summary>A chase, faded into over <paramref name="fadeSeconds"/> (null: the crossfade).</summary>
    public static MoodLook FromChase(ChaseSetting chase, double? fadeSeconds = null) =>
        new(0, new Dictionary<string, IReadOnlyList<Rgb>>(), Movement.Still, FadeSeconds: fadeSeconds) { Chase = chase };

    /// <summary>A static look: one colour everywhere, no movement, no pulse.</summary>
    public static MoodLook Static(double intensity, Rgb colour) =>
        new(intensity, new Dictionary<string, IReadOnlyList<Rgb>> { [AnyGroup] = [colour] }, Movement.Still);

    public IReadOnlyList<Rgb> PaletteFor(string group) =>
        Palettes.TryGetValue(group, out var p) && p.Count > 0 ? p
        : Palettes.TryGetValue(AnyGroup, out var any) && any.Count > 0 ? any
        : [Rgb.White];
}

/// <summary>How valence and arousal bend a look within its mood.</summary>
/// <param name="ArousalIntensity">Intensity × (1 + this × arousal).</param>
/// <param name="ArousalSpeed">Movement and chase speed × (1 + this × arousal).</param>
/// <param name="ValenceWarmth">Colours shift warm (valence &gt; 0) or cool (valence &lt; 0) by this × |valence|.</param>
public sealed record Modulation(double ArousalIntensity = 0.25, double ArousalSpeed = 0.5, double ValenceWarmth = 0.3)
{
    /// <summary>This modulation with the parts <paramref name="change"/> gives replaced.</summary>
    public Modulation With(ModulationChange? change) => change is null ? this : new(
        change.ArousalIntensity ?? ArousalIntensity, change.ArousalSpeed ?? ArousalSpeed, change.ValenceWarmth ?? ValenceWarmth);
}

/// <summary>A mapping entry's change to the show's modulation: the parts given replace the show's.</summary>
public sealed record ModulationChange(double? ArousalIntensity = null, double? ArousalSpeed = null, double? ValenceWarmth = null);

/// <summary>What happens in silence (energy below a threshold for longer than the grace time).</summary>
public sealed record SilenceSetting(double EnergyThreshold, double GraceSeconds, double FadeSeconds, MoodLook Look);

/// <summary>
/// What the engine renders: one look per mood, silence, house lights, plus crossfade and modulation settings (a show
/// preset resolved against the scene library, <see cref="LightingShow.Resolve"/>). A mood may also have a list of
/// looks that its sections step through (<see cref="MoodScenes"/>) and modulation of its own (<see cref="MoodModulation"/>).
/// </summary>
public sealed record SceneBook(
    IReadOnlyDictionary<Mood, MoodLook> Moods,
    SilenceSetting Silence,
    MoodLook House,
    double CrossfadeSeconds,
    Modulation Modulation,
    double BeatTimeoutSeconds = 3.0)
{
    public MoodLook LookFor(Mood mood) => Moods[mood];

    /// <summary>The show preset this book was resolved from ("default" for a book made in code).</summary>
    public string Preset { get; init; } = LightingShow.DefaultPreset;

    /// <summary>Per mood, the looks its sections step through (the first is <see cref="Moods"/>' look); null or absent: that look alone.</summary>
    public IReadOnlyDictionary<Mood, IReadOnlyList<MoodLook>>? MoodScenes { get; init; }

    /// <summary>Per mood, its mapping's modulation; absent: <see cref="Modulation"/>.</summary>
    public IReadOnlyDictionary<Mood, Modulation>? MoodModulation { get; init; }

    /// <summary>The modulation of <paramref name="mood"/>'s look.</summary>
    public Modulation ModulationFor(Mood mood) => MoodModulation is { } m && m.TryGetValue(mood, out var own) ? own : Modulation;

    /// <summary>
    /// The look of the <paramref name="section"/>-th section (0: the first) of a run of <paramref name="mood"/>, or null
    /// for the mood's look itself: section n shows scene n mod L of the mood's list of L, varied by its own
    /// <see cref="SectionVariation"/> for the (n div L)-th time round (a list of one: today's variation of the look).
    /// </summary>
    public MoodLook? SectionLook(Mood mood, int section)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(section);
        var first = Moods[mood];
        var list = MoodScenes is { } s && s.TryGetValue(mood, out var l) && l.Count > 0 ? l : [first];
        var look = list[section % list.Count];
        var round = section / list.Count;
        var varied = round > 0 && look.Sections is { Varies: true } variation ? variation.Apply(look, round) : look;
        return ReferenceEquals(varied, first) ? null : varied;
    }

    /// <summary>This book with <paramref name="look"/> for <paramref name="mood"/>.</summary>
    public SceneBook WithLook(Mood mood, MoodLook look) =>
        this with
        {
            Moods = new Dictionary<Mood, MoodLook>(Moods) { [mood] = look },
            MoodScenes = MoodScenes is null ? null : new Dictionary<Mood, IReadOnlyList<MoodLook>>(MoodScenes) { [mood] = [look, .. MoodScenes.TryGetValue(mood, out var l) ? l.Skip(1) : []] },
        };
}
