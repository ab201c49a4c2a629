using LightMood.Lighting.Engine;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Engine;

/// <summary>The look choice on its own: its order of precedence, one rule per case.</summary>
public sealed class LookChooserTests
{
    private static readonly SceneBook Scenes = Rigs.Plain();
    private static readonly MoodState Sad = new(0, Mood.Sad, 0.9, -0.5, -0.5, 0, 0.5, null);
    private static readonly MoodLook Preview = Scenes.LookFor(Mood.Calm) with { FadeSeconds = 1 };

    private static LookRequest Request(
        bool safeMode = false, SafeLook safe = SafeLook.Hold, bool rendered = true, Mood? forced = null, bool silent = false,
        MoodLook? preview = null, bool house = false, MoodState? mood = null) =>
        new(Scenes, mood ?? Sad, forced, silent, safeMode, safe, rendered, Scenes.LookFor(Mood.Happy), preview, house);

    [Fact]
    public void The_analysed_mood_by_default_and_a_forced_mood_over_it()
    {
        Assert.Equal(new ChosenLook("sad", Scenes.LookFor(Mood.Sad), false), LookChooser.Choose(Request()));
        Assert.Equal(new ChosenLook("tense", Scenes.LookFor(Mood.Tense), false), LookChooser.Choose(Request(forced: Mood.Tense)));
    }

    [Fact]
    public void Silence_beats_the_mood_house_beats_silence_and_a_preview_beats_house()
    {
        Assert.Equal(new ChosenLook("silence", Scenes.Silence.Look, false), LookChooser.Choose(Request(silent: true)));
        Assert.Equal(new ChosenLook("house", Scenes.House, false), LookChooser.Choose(Request(silent: true, house: true)));
        Assert.Equal(new ChosenLook("preview", Preview, false), LookChooser.Choose(Request(silent: true, house: true, preview: Preview)));
    }

    [Fact]
    public void The_safe_look_beats_everything_the_operator_set_up()
    {
        var everything = (silent: true, house: true, preview: Preview);
        Assert.Equal(new ChosenLook("hold", null, false), LookChooser.Choose(Request(safeMode: true, silent: everything.silent, house: everything.house, preview: everything.preview)));
        Assert.Equal(new ChosenLook("house", Scenes.House, false), LookChooser.Choose(Request(safeMode: true, safe: SafeLook.House, preview: Preview)));
        Assert.Equal(new ChosenLook("blackout", Scenes.LookFor(Mood.Happy), true), LookChooser.Choose(Request(safeMode: true, safe: SafeLook.Blackout, preview: Preview)));
    }

    [Fact]
    public void Hold_needs_a_frame_to_hold_before_the_first_the_music_decides()
    {
        Assert.Equal("sad", LookChooser.Choose(Request(safeMode: true, rendered: false)).Key);
        Assert.Equal("silence", LookChooser.Choose(Request(safeMode: true, rendered: false, silent: true)).Key);
    }
}
