using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The look of the current section of the music within its mood: counts the sections of a run of one mood (a new
/// <see cref="MoodState.SectionStartSeconds"/> with the same mood) and keeps the varied look
/// (<see cref="SceneBook.SectionLook"/>: the mood's next scene, or its look varied by <see cref="SectionVariation.Apply"/>) for it. Updated with each estimate (the analysis' thread, under the engine's
/// lock; a varied look is made only when a section starts or the scenes change); read by the render thread without
/// allocating. A new mood, silence or a forced mood show the look itself. A new section within the mood also makes
/// the look's accent due (<see cref="TakeAccent"/>, flashed by <see cref="SectionAccentFlash"/>).
/// </summary>
internal sealed class SectionLooks
{
    private Mood? _mood;
    private double _sectionStart = double.NaN;
    private int _section;
    private MoodLook? _look;
    private SceneBook? _scenes;
    private SectionAccent? _accentDue;

    /// <summary>Sections of the current mood since it began (0: its first).</summary>
    public int Section => _section;

    public void Update(MoodState state, SceneBook scenes)
    {
        if (state.Silent)
        {
            _mood = null;   // after silence the music is heard afresh
            _look = null;
            _accentDue = null;
            return;
        }

        if (_mood != state.Mood)
        {
            _mood = state.Mood;
            _section = 0;
            _sectionStart = state.SectionStartSeconds;
            _look = null;
            _accentDue = null;
            return;
        }

        if (state.SectionStartSeconds != _sectionStart)
        {
            _sectionStart = state.SectionStartSeconds;
            _section++;
            _look = null;
            _accentDue = scenes.LookFor(state.Mood).Sections?.Accent;
        }

        if (_section > 0 && (_look is null || !ReferenceEquals(scenes, _scenes)))
        {
            _look = scenes.SectionLook(state.Mood, _section);
            _scenes = scenes;
        }
    }

    /// <summary>
    /// The accent of the section that started since the last call (the look's <see cref="SectionVariation.Accent"/>),
    /// once; null when none is due. A new mood or silence drops one not yet taken.
    /// </summary>
    public SectionAccent? TakeAccent()
    {
        var accent = _accentDue;
        _accentDue = null;
        return accent;
    }

    /// <summary>The varied look for <paramref name="mood"/> in <paramref name="scenes"/>, or null (show the look itself).</summary>
    public MoodLook? LookFor(Mood mood, SceneBook scenes) => _mood == mood && ReferenceEquals(scenes, _scenes) ? _look : null;
}
