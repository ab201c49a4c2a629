
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
/// A look: what the rig shows for a mood (or for silence, or the house lights).
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
public sealed record Modulation(double ArousalIntensity = 0.25, double ArousalSpeed = 0.5, double ValenceWarmth = 0.3);

/// <summary>What happens in silence (energy below a threshold for longer than the grace time).</summary>
public sealed record SilenceSetting(double EnergyThreshold, double GraceSeconds, double FadeSeconds, MoodLook Look);

/// <summary>All looks: one per mood, silence, house lights, plus crossfade and modulation settings.</summary>
public sealed record SceneBook(
    IReadOnlyDictionary<Mood, MoodLook> Moods,
    SilenceSetting Silence,
    MoodLook House,
    double CrossfadeSeconds,
    Modulation Modulation,
    double BeatTimeoutSeconds = 3.0)
{
    public MoodLook LookFor(Mood mood) => Moods[mood];

    /// <summary>This book with <paramref name="look"/> for <paramref name="mood"/>.</summary>
    public SceneBook WithLook(Mood mood, MoodLook look) =>
        this with { Moods = new Dictionary<Mood, MoodLook>(Moods) { [mood] = look } };
}
