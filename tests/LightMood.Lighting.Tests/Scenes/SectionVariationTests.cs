using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Scenes;

/// <summary>A new section of the music within one mood varies the mood's look (config/scenes.json "sections").</summary>
public sealed class SectionVariationTests
{
    private static readonly Rgb Amber = Rigs.Parse("#ff8000");
    private static readonly Rgb Pink = Rigs.Parse("#ff0080");
    private static readonly Rgb Yellow = Rigs.Parse("#ffff00");

    private static MoodLook Look(SectionVariation? sections) => new(
        1.0,
        new Dictionary<string, IReadOnlyList<Rgb>> { ["pars"] = [Amber, Pink, Yellow], ["movers"] = [Rgb.White] },
        new Movement(MovementPattern.None, Pan: 0.5, Tilt: 0.25),
        ChaseStepsPerBeat: 1,
        Sections: sections);

    [Fact]
    public void Each_section_moves_the_palettes_on_and_takes_the_next_chase()
    {
        var variation = new SectionVariation(PaletteStep: 1, Chases: [2, 0.5], FadeSeconds: 0.75);
        var look = Look(variation);
        Assert.Same(look, variation.Apply(look, 0));
        var second = variation.Apply(look, 1);
        Assert.Equal([Pink, Yellow, Amber], second.PaletteFor("pars"));
        Assert.Equal([Rgb.White], second.PaletteFor("movers"));   // one colour: nothing to move on to
        Assert.Equal(2, second.ChaseStepsPerBeat);
        Assert.Equal(0.75, second.FadeSeconds);
        var third = variation.Apply(look, 2);
        Assert.Equal([Yellow, Amber, Pink], third.PaletteFor("pars"));
        Assert.Equal(0.5, third.ChaseStepsPerBeat);
        Assert.Equal([Amber, Pink, Yellow], variation.Apply(look, 3).PaletteFor("pars")); // round again
        Assert.Equal(2, variation.Apply(look, 3).ChaseStepsPerBeat);
        Assert.Same(look, SectionVariation.None.Apply(look, 5));
        Assert.Equal(1, new SectionVariation(0).Apply(look, 4).ChaseStepsPerBeat);
        Assert.Throws<ArgumentOutOfRangeException>(() => variation.Apply(look, -1));
    }

    [Fact]
    public void The_scene_file_carries_the_variation_and_reports_every_bad_value()
    {
        var patch = Rigs.Small();
        var look = SceneLoader.ParseLook("""{ "intensity": 0.5, "palette": { "pars": ["#00ff00", "#0000ff"] }, "sections": { "paletteStep": 1, "chases": [2, 4], "fadeSeconds": 1.5 } }""", "edit", patch);
        Assert.Equal(1, look.Sections!.PaletteStep);
        Assert.Equal([2.0, 4.0], look.Sections.Chases!);
        Assert.Equal(1.5, look.Sections.FadeSeconds);
        Assert.Contains("\"sections\"", SceneLoader.SerializeLook(look), StringComparison.Ordinal);
        var e = Assert.Throws<LightingConfigException>(() => SceneLoader.ParseLook(
            """{ "intensity": 0.5, "palette": { "pars": ["#00ff00"] }, "sections": { "paletteStep": 17, "chases": [2, -1], "fadeSeconds": 700 } }""", "edit", patch));
        Assert.Equal(3, e.Errors.Count);
        Assert.Contains(e.Errors, m => m.Contains("edit.sections.chases[1]", StringComparison.Ordinal));

        var shipped = SceneLoader.Load(Path.Combine(Repo.Config, "scenes.json"), PatchLoader.Load(Path.Combine(Repo.Config, "patch.json")));
        Assert.All(MoodNames.All, m => Assert.True(shipped.LookFor(m).Sections is { Varies: true }, $"{m} varies by section"));
    }

    [Fact]
    public void A_new_section_within_the_mood_shows_the_next_palette_colour_and_a_new_mood_starts_again()
    {
        var time = new ManualTime();
        var book = Rigs.Plain(crossfade: 0).WithLook(Mood.Happy, Look(new SectionVariation(1, FadeSeconds: 0)));
        using var engine = new LightingEngine(Rigs.Small(), book, new LightingOptions { ModulationSmoothingSeconds = 0 }, [], time);

        string Colour()
        {
            time.AdvanceSeconds(0.025);
            engine.RenderFrame();
            return engine.GetSnapshot().Fixtures[0].Colour;
        }

        MoodState State(Mood mood, double section) => new(0, mood, 0.9, 0, 0, 0, 0.5, null, SectionStartSeconds: section);

        engine.UpdateMood(State(Mood.Happy, 0));
        Assert.Equal("#ff8000", Colour());
        engine.UpdateMood(State(Mood.Happy, 0));       // the same section: the same look
        Assert.Equal("#ff8000", Colour());
        engine.UpdateMood(State(Mood.Happy, 12.3));    // a new section, the same mood
        Assert.Equal("#ff0080", Colour());
        Assert.Equal("happy", engine.GetSnapshot().Look);
        engine.UpdateMood(State(Mood.Happy, 20.1));
        Assert.Equal("#ffff00", Colour());
        engine.UpdateMood(State(Mood.Sad, 31.0));      // a new mood: its own look
        Assert.Equal("#000066", Colour());             // (the snapshot colour is scaled by the look's intensity, 0.4)
        engine.UpdateMood(State(Mood.Happy, 40.0));    // back to happy: its first section shows the look itself
        Assert.Equal("#ff8000", Colour());
        engine.UpdateMood(State(Mood.Happy, 47.0));
        engine.ForceMood(Mood.Happy);
        Assert.Equal("#ff8000", Colour());              // a forced mood shows the look itself
    }

    [Fact]
    public void A_new_section_within_the_mood_flashes_the_accent_on_its_first_beat_and_only_then()
    {
        var time = new ManualTime();
        var accent = new SectionAccent(Intensity: 1.0, Seconds: 0.3);
        var book = Rigs.Plain(crossfade: 0).WithLook(Mood.Happy, Look(new SectionVariation(1, FadeSeconds: 0, Accent: accent)) with { Intensity = 0.4 });
        using var engine = new LightingEngine(Rigs.Small(), book, new LightingOptions { ModulationSmoothingSeconds = 0 }, [], time);

        double IntensityAfter(double seconds)
        {
            time.AdvanceSeconds(seconds);
            engine.RenderFrame();
            return engine.GetSnapshot().Fixtures[0].Intensity;
        }

        MoodState State(Mood mood, double section) => new(0, mood, 0.9, 0, 0, 0, 0.5, null, SectionStartSeconds: section);

        engine.UpdateMood(State(Mood.Happy, 0));
        engine.OnBeat(new Beat(0, 120, 1));                      // beats every 0.5 s from t = 0
        Assert.Equal(0.4, IntensityAfter(0.025), 3);             // the mood's first section: no accent
        Assert.Equal(0.4, IntensityAfter(0.3), 3);               // nor on its beats
        engine.UpdateMood(State(Mood.Happy, 12.3));               // t = 0.325: a new section within the mood
        Assert.Equal(0.4, IntensityAfter(0.025), 3);             // waits for the section's first beat (t = 0.5)
        Assert.Equal(0.4, IntensityAfter(0.125), 3);             // t = 0.475
        Assert.Equal(1.0, IntensityAfter(0.05), 3);              // t = 0.525: the flash
        Assert.Equal(1.0, IntensityAfter(0.25), 3);              // t = 0.775: still within its 0.3 s
        Assert.Equal(0.4, IntensityAfter(0.1), 3);               // t = 0.875: over
        Assert.Equal(0.4, IntensityAfter(0.5), 3);               // once per section: not on the next beats

        engine.UpdateMood(State(Mood.Sad, 20.0));                 // a new mood: a crossfade, no accent
        Assert.True(IntensityAfter(0.6) < 0.5);
        engine.UpdateMood(State(Mood.Happy, 25.0));               // back: the look itself, no accent
        Assert.Equal(0.4, IntensityAfter(0.6), 3);

        time.AdvanceSeconds(10);                                  // the beats stopped (past the beat timeout)
        engine.UpdateMood(State(Mood.Happy, 31.0));               // without beats the accent flashes at once
        Assert.Equal(1.0, IntensityAfter(0.025), 3);
        Assert.Equal(0.4, IntensityAfter(0.4), 3);

        engine.UpdateMood(State(Mood.Happy, 40.0));               // a section whose accent a forced mood cuts off
        engine.ForceMood(Mood.Happy);
        Assert.Equal(0.4, IntensityAfter(0.025), 3);
    }

    [Fact]
    public void The_scene_file_carries_the_accent_and_checks_its_ranges()
    {
        var patch = Rigs.Small();
        var look = SceneLoader.ParseLook("""{ "intensity": 0.5, "palette": { "pars": ["#00ff00"] }, "sections": { "paletteStep": 0, "accent": { "intensity": 0.8, "seconds": 0.25 } } }""", "edit", patch);
        Assert.Equal(new SectionAccent(0.8, 0.25), look.Sections!.Accent);
        Assert.Equal(new SectionAccent(0.8, 0.25), SceneLoader.ParseLook(SceneLoader.SerializeLook(look), "again", patch).Sections!.Accent);
        Assert.Equal(new SectionAccent(), SceneLoader.ParseLook("""{ "intensity": 0.5, "palette": { "pars": ["#00ff00"] }, "sections": { "accent": { } } }""", "edit", patch).Sections!.Accent);
        Assert.Null(SceneLoader.ParseLook("""{ "intensity": 0.5, "palette": { "pars": ["#00ff00"] }, "sections": { "paletteStep": 1 } }""", "edit", patch).Sections!.Accent);
        var e = Assert.Throws<LightingConfigException>(() => SceneLoader.ParseLook(
            """{ "intensity": 0.5, "palette": { "pars": ["#00ff00"] }, "sections": { "accent": { "intensity": 1.5, "seconds": 0 } } }""", "edit", patch));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, m => m.Contains("edit.sections.accent.intensity", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("edit.sections.accent.seconds", StringComparison.Ordinal));
    }
}
