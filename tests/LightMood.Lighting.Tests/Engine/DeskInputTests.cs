using LightMood.Lighting.Engine;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Engine;

/// <summary>
/// The desk's inputs (house lights, look preview, group overrides, fade times) on a manual clock, read back from the
/// published frames. Rig (Rigs.Small): pars p1 at 1 and p2 at 7 (dimmer, R, G, B, W, strobe), mover m1 at 101.
/// </summary>
public sealed class DeskInputTests
{
    private const int P1 = 1;
    private const int M1Dimmer = 106;
    private readonly ManualTime _time = new();

    private LightingEngine Engine(SceneBook? scenes = null) =>
        new(Rigs.Small(), scenes ?? Rigs.Plain(), new LightingOptions { ModulationSmoothingSeconds = 0 }, [], _time);

    private static MoodState State(Mood mood) => new(0, mood, 0.9, 0, 0, 0, 0.5, null);

    private static byte[] Par(LightingEngine engine, int address = P1)
    {
        var frame = new byte[512];
        Assert.True(engine.CopyFrame(0, frame));
        return frame[(address - 1)..(address + 5)];
    }

    private static byte Slot(LightingEngine engine, int address)
    {
        var frame = new byte[512];
        engine.CopyFrame(0, frame);
        return frame[address - 1];
    }

    private void Step(LightingEngine engine, double seconds)
    {
        for (var t = 0.0; t < seconds - 1e-9; t += 0.025)
        {
            _time.AdvanceSeconds(0.025);
            engine.RenderFrame();
        }
    }

    [Fact]
    public void House_lights_replace_the_music_look_and_blackout_still_applies()
    {
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Happy));
        engine.RenderFrame();
        Assert.Equal(new byte[] { 255, 255, 128, 0, 0, 0 }, Par(engine));

        engine.SetHouse(true);
        Step(engine, 2.1); // the crossfade
        // house: 0.6, #ffd9a0 -> W = 0xa0, R = ff-a0, G = d9-a0, B = 0
        Assert.Equal(new byte[] { 153, 0x5f, 0x39, 0, 0xa0, 0 }, Par(engine));
        var snap = engine.GetSnapshot();
        Assert.Equal("house", snap.Look);
        Assert.True(snap.House);

        engine.SetBlackout(true);
        Step(engine, 0.05);
        Assert.Equal(0, Par(engine)[0]);
        engine.SetBlackout(false);
        engine.SetHouse(false);
        Step(engine, 2.1);
        Assert.Equal(new byte[] { 255, 255, 128, 0, 0, 0 }, Par(engine));
        Assert.Equal("happy", engine.GetSnapshot().Look);
    }

    [Fact]
    public void A_preview_shows_at_once_and_ends_by_itself_when_not_renewed()
    {
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Happy));
        engine.RenderFrame();
        engine.SetPreview(MoodLook.Static(0.5, Rigs.Parse("#ff0000")), TimeSpan.FromSeconds(10));
        Step(engine, LightingEngine.PreviewFadeSeconds + 0.05);
        Assert.Equal(new byte[] { 128, 255, 0, 0, 0, 0 }, Par(engine));
        Assert.Equal("preview", engine.GetSnapshot().Look);
        Assert.True(engine.GetSnapshot().Preview);

        Step(engine, 10); // not renewed: the music's look fades back
        Step(engine, 2.1);
        Assert.Equal("happy", engine.GetSnapshot().Look);
        Assert.False(engine.GetSnapshot().Preview);
        Assert.Equal(new byte[] { 255, 255, 128, 0, 0, 0 }, Par(engine));

        engine.SetPreview(MoodLook.Static(0.5, Rigs.Parse("#0000ff")), TimeSpan.FromSeconds(10));
        Step(engine, 0.5);
        engine.EndPreview();
        Step(engine, 2.1);
        Assert.Equal("happy", engine.GetSnapshot().Look);
    }

    [Fact]
    public void A_preview_naming_a_group_not_in_the_patch_is_refused_and_changes_nothing()
    {
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Happy));
        engine.RenderFrame();
        var bad = new MoodLook(0.5, new Dictionary<string, IReadOnlyList<Rgb>> { ["lasers"] = [Rgb.White] }, Movement.Still);
        var e = Assert.Throws<LightMood.Lighting.Fixtures.LightingConfigException>(() => engine.SetPreview(bad, TimeSpan.FromSeconds(5)));
        Assert.Contains("preview.palette.lasers", e.Message, StringComparison.Ordinal);
        Step(engine, 0.5);
        Assert.Equal("happy", engine.GetSnapshot().Look);
    }

    [Fact]
    public void A_group_override_sets_intensity_and_colour_of_that_group_only_under_master_and_blackout()
    {
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Happy));
        engine.RenderFrame();
        var moverDimmer = Slot(engine, M1Dimmer);

        engine.SetGroupOverride("pars", 0.2, Rigs.Parse("#0000ff"));
        Step(engine, 0.05);
        Assert.Equal(new byte[] { 51, 0, 0, 255, 0, 0 }, Par(engine));
        Assert.Equal(new byte[] { 51, 0, 0, 255, 0, 0 }, Par(engine, 7));
        Assert.Equal(moverDimmer, Slot(engine, M1Dimmer));
        var o = Assert.Single(engine.GetGroupOverrides());
        Assert.Equal(("pars", 0.2, "#0000ff"), (o.Group, o.Intensity, o.Colour?.ToString()));

        engine.SetMaster(0.5);
        Step(engine, 0.05);
        Assert.Equal(25, Par(engine)[0]); // 0.1 as 16 bits, high byte
        engine.SetMaster(1);
        engine.SetBlackout(true);
        Step(engine, 0.05);
        Assert.Equal(0, Par(engine)[0]);
        engine.SetBlackout(false);

        engine.SetGroupOverride("pars", null, Rigs.Parse("#00ff00")); // colour only: the look's intensity
        Step(engine, 0.05);
        Assert.Equal(new byte[] { 255, 0, 255, 0, 0, 0 }, Par(engine));

        engine.ClearGroupOverride("pars");
        Step(engine, 0.05);
        Assert.Equal(new byte[] { 255, 255, 128, 0, 0, 0 }, Par(engine));
        Assert.Empty(engine.GetGroupOverrides());
    }

    [Fact]
    public void Bad_group_overrides_are_refused()
    {
        using var engine = Engine();
        Assert.Throws<ArgumentException>(() => engine.SetGroupOverride("lasers", 0.5, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.SetGroupOverride("pars", 1.5, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.SetGroupOverride("pars", double.NaN, null));
        Assert.Empty(engine.GetGroupOverrides());
    }

    [Fact]
    public void The_crossfade_can_be_changed_live_and_a_look_may_bring_its_own_fade()
    {
        using var engine = Engine(Rigs.Plain(crossfade: 2));
        engine.UpdateMood(State(Mood.Happy));
        engine.RenderFrame();
        engine.SetCrossfadeSeconds(0);
        Assert.Equal(0, engine.GetSnapshot().CrossfadeSeconds);
        engine.UpdateMood(State(Mood.Sad));
        Step(engine, 0.05);
        Assert.Equal(102, Par(engine)[0]); // sad at 0.4, at once

        engine.SetCrossfadeSeconds(2);
        engine.SetLook(Mood.Calm, engine.Scenes.LookFor(Mood.Calm) with { FadeSeconds = 0.5 });
        engine.UpdateMood(State(Mood.Calm));
        Step(engine, 0.55);
        Assert.Equal(153, Par(engine)[0]); // calm at 0.6 after its own 0.5 s fade, not the 2 s crossfade
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.SetCrossfadeSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.SetCrossfadeSeconds(double.NaN));
    }
}
