namespace LightMood.Lighting.Scenes;

/// <summary>One mood's entry in a preset's mapping.</summary>
/// <param name="Scenes">Library scenes: the first is the mood's scene; each new section of the music within the mood moves on to the next (and round again).</param>
/// <param name="Modulation">Changes to the show's valence/arousal modulation for this mood; null: the show's.</param>
public sealed record MoodMapping(IReadOnlyList<string> Scenes, ModulationChange? Modulation = null);

/// <summary>A preset's silence: the scene shown after <see cref="GraceSeconds"/> below <see cref="EnergyThreshold"/>.</summary>
public sealed record SilenceMapping(string Scene, double EnergyThreshold = 0.02, double GraceSeconds = 4, double FadeSeconds = 3);

/// <summary>A show preset ("rock night", "wedding"): which library scene each mood, silence and the house lights show.</summary>
public sealed record ShowPreset(IReadOnlyDictionary<Mood, MoodMapping> Moods, SilenceMapping Silence, string House)
{
    /// <summary>Every library scene the preset names (its moods' lists, silence, house).</summary>
    public IEnumerable<string> SceneNames => Moods.Values.SelectMany(m => m.Scenes).Append(Silence.Scene).Append(House);
}

/// <summary>
/// The scenes file as a whole: a library of named scenes (looks, static channel scenes, chases), named presets that map
/// moods, silence and the house lights onto library scenes, the active preset, and the show-wide crossfade, beat
/// timeout and modulation. Immutable: every edit returns a new show, which <see cref="SceneLoader.Validate(LightingShow, string, Fixtures.Patch)"/>
/// validates before it goes live. <see cref="Book"/> is what the engine renders.
/// </summary>
public sealed record LightingShow(
    IReadOnlyDictionary<string, MoodLook> Library,
    IReadOnlyDictionary<string, ShowPreset> Presets,
    string ActivePreset,
    double CrossfadeSeconds = 2,
    Modulation? Modulation = null,
    double BeatTimeoutSeconds = 3)
{
    /// <summary>The preset a scenes file of the old format (one look per mood) becomes.</summary>
    public const string DefaultPreset = "default";

    /// <summary>The longest scene or preset name.</summary>
    public const int MaxNameLength = 64;

    public Modulation ModulationOrDefault => Modulation ?? new Modulation();

    /// <summary>Read from a file of the old format (one look per mood): a save will write the library format.</summary>
    public bool FromOldFormat { get; init; }

    /// <summary>The active preset resolved against the library: what the engine renders.</summary>
    public SceneBook Book => Resolve(ActivePreset);

    /// <summary>The scene book of <paramref name="preset"/> (the show must be valid: <see cref="SceneLoader.Validate(LightingShow, string, Fixtures.Patch)"/>).</summary>
    public SceneBook Resolve(string preset)
    {
        var p = Presets[preset];
        var modulation = ModulationOrDefault;
        return new SceneBook(
            p.Moods.ToDictionary(kv => kv.Key, kv => Library[kv.Value.Scenes[0]]),
            new SilenceSetting(p.Silence.EnergyThreshold, p.Silence.GraceSeconds, p.Silence.FadeSeconds, Library[p.Silence.Scene]),
            Library[p.House],
            CrossfadeSeconds,
            modulation,
            BeatTimeoutSeconds)
        {
            Preset = preset,
            MoodScenes = p.Moods.Where(kv => kv.Value.Scenes.Count > 1).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<MoodLook>)[.. kv.Value.Scenes.Select(s => Library[s])]),
            MoodModulation = p.Moods.Where(kv => kv.Value.Modulation is not null).ToDictionary(kv => kv.Key, kv => modulation.With(kv.Value.Modulation)),
        };
    }

    /// <summary>The presets that name <paramref name="scene"/> (directly, not through a chase).</summary>
    public IReadOnlyList<string> PresetsUsing(string scene) =>
        [.. Presets.Where(p => p.Value.SceneNames.Contains(scene, StringComparer.Ordinal)).Select(p => p.Key)];

    /// <summary>The chases with <paramref name="scene"/> as a step.</summary>
    public IReadOnlyList<string> ChasesUsing(string scene) =>
        [.. Library.Where(s => s.Value.Chase?.Steps.Contains(scene, StringComparer.Ordinal) == true).Select(s => s.Key)];

    /// <summary>The scene the active preset shows first for <paramref name="mood"/> (the page's editor edits it).</summary>
    public string SceneOf(Mood mood) => Presets[ActivePreset].Moods[mood].Scenes[0];

    public LightingShow WithScene(string name, MoodLook look) =>
        this with { Library = new Dictionary<string, MoodLook>(Library, StringComparer.Ordinal) { [name] = look } };

    public LightingShow WithoutScene(string name)
    {
        var library = new Dictionary<string, MoodLook>(Library, StringComparer.Ordinal);
        library.Remove(name);
        return this with { Library = library };
    }

    public LightingShow WithPreset(string name, ShowPreset preset) =>
        this with { Presets = new Dictionary<string, ShowPreset>(Presets, StringComparer.Ordinal) { [name] = preset } };

    public LightingShow WithoutPreset(string name)
    {
        var presets = new Dictionary<string, ShowPreset>(Presets, StringComparer.Ordinal);
        presets.Remove(name);
        return this with { Presets = presets };
    }

    /// <summary>The show as the old format held it: the four mood looks, silence and house of the default preset.</summary>
    public static LightingShow FromBook(SceneBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        var library = new Dictionary<string, MoodLook>(StringComparer.Ordinal);
        var moods = new Dictionary<Mood, MoodMapping>();
        foreach (var (mood, look) in book.Moods)
        {
            library[mood.ToName()] = look;
            moods[mood] = new MoodMapping([mood.ToName()]);
        }

        library["silence"] = book.Silence.Look;
        library["house"] = book.House;
        var s = book.Silence;
        var preset = new ShowPreset(moods, new SilenceMapping("silence", s.EnergyThreshold, s.GraceSeconds, s.FadeSeconds), "house");
        return new LightingShow(library, new Dictionary<string, ShowPreset>(StringComparer.Ordinal) { [DefaultPreset] = preset }, DefaultPreset, book.CrossfadeSeconds, book.Modulation, book.BeatTimeoutSeconds);
    }
}
