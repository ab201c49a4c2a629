using LightMood.Lighting.Engine;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Engine;

/// <summary>
/// Library scenes through the real engine (LookChooser, LookMixer, DmxWriter) on a manual clock: a static channel
/// scene is its values exactly, whatever the modulation and the beat; it crossfades with a rendered look both ways;
/// chases step by time and by the beat; a mapping's own modulation and its list of scenes per section; a preset switch
/// crossfades. Rig (Rigs.Small): par p1 at 1 (dimmer, R, G, B, W, strobe), p2 at 7, mover m1 at 101 (pan, pan fine,
/// tilt, tilt fine, speed, dimmer, shutter, R, G, B, W, CTO, UV).
/// </summary>
public sealed class SceneLibraryEngineTests
{
    private const string Show = """
        {
          "crossfadeSeconds": 2,
          "modulation": { "arousalIntensity": 0.5, "arousalSpeed": 0.5, "valenceWarmth": 0.5 },
          "library": {
            "green": { "intensity": 0.5, "palette": { "*": ["#00ff00"] }, "movement": { "pattern": "none", "pan": 0.25, "tilt": 0.25 }, "pulseDepth": 0.8 },
            "red": { "intensity": 1, "palette": { "*": ["#ff0000"] }, "movement": { "pattern": "none", "pan": 0.5, "tilt": 0.5 } },
            "blue": { "intensity": 1, "palette": { "*": ["#0000ff"] }, "movement": { "pattern": "none", "pan": 0.5, "tilt": 0.5 } },
            "raw": { "channels": { "p1": { "1": 200, "2": 10, "3": 20, "4": 30 }, "m1": { "1": 40, "3": 50, "6": 255, "8": 7 } } },
            "chase": { "fadeSeconds": 0, "chase": { "steps": ["red", "blue", "raw"], "holdSeconds": 1 } },
            "beat-chase": { "fadeSeconds": 0, "chase": { "steps": ["red", "blue"], "stepsPerBeat": 1 } }
          },
          "presets": {
            "default": {
              "moods": {
                "happy": { "scenes": ["green", "red"] },
                "tense": { "scenes": ["red"], "modulation": { "arousalIntensity": 0 } },
                "sad": { "scenes": ["chase"] },
                "calm": { "scenes": ["raw"] }
              },
              "silence": { "scene": "blue" }, "house": "blue"
            },
            "other": {
              "moods": { "happy": { "scenes": ["blue"] }, "tense": { "scenes": ["beat-chase"] }, "sad": { "scenes": ["red"] }, "calm": { "scenes": ["green"] } },
              "silence": { "scene": "blue" }, "house": "red"
            }
          },
          "activePreset": "default"
        }
        """;

    private readonly ManualTime _time = new();
    private readonly LightingShow _show = SceneLoader.ParseShow(Show, "test", Rigs.Small());

    private LightingEngine Engine(SceneBook? book = null) =>
        new(Rigs.Small(), book ?? _show.Book, new LightingOptions { ModulationSmoothingSeconds = 0 }, [], _time);

    private static MoodState State(Mood mood, double valence, double arousal, double section = 0) =>
        new(0, mood, 0.9, valence, arousal, 0, 0.5, 120, SectionStartSeconds: section);

    private static byte[] Frame(LightingEngine engine)
    {
        var frame = new byte[512];
        Assert.True(engine.CopyFrame(0, frame));
        return frame;
    }

    private void Step(LightingEngine engine, double seconds)
    {
        for (var t = 0.0; t < seconds - 1e-9; t += 0.025)
        {
            _time.AdvanceSeconds(0.025);
            engine.RenderFrame();
        }
    }

    /// <summary>The raw scene's slots: p1 as written (strobe at its safe default 0), p2 dark, m1 as written over the safe defaults.</summary>
    private static void AssertRaw(byte[] f)
    {
        Assert.Equal(new byte[] { 200, 10, 20, 30, 0, 0 }, f[0..6]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0 }, f[6..12]);
        // m1: pan 40, pan fine (centre's fine 0x00... of 0x8000 → 0), tilt 50, tilt fine 0, speed 0, dimmer 255, shutter open 255 (its off), R 7, rest 0
        Assert.Equal(new byte[] { 40, 0, 50, 0, 0, 255, 255, 7, 0, 0, 0, 0, 0 }, f[100..113]);
    }

    [Fact]
    public void A_static_channel_scene_is_its_values_exactly_whatever_the_modulation_and_the_beat()
    {
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Calm, 0.9, -0.9));
        engine.OnBeat(new Beat(0, 120, 1));
        for (var i = 0; i < 40; i++)
        {
            Step(engine, 0.025);
            AssertRaw(Frame(engine));
        }

        var snapshot = engine.GetSnapshot();
        Assert.Equal("calm", snapshot.Look);
        // the page's preview reads the levels back: p1 at dimmer 200 in #0a141e, p2 dark, m1 at pan 40/255
        Assert.Equal("#0a141e", snapshot.Fixtures[0].Tint);
        Assert.Equal(200 / 255.0, snapshot.Fixtures[0].Intensity, 3);
        Assert.Equal(0, snapshot.Fixtures[1].Intensity, 3);
        Assert.Equal(40 / 255.0, snapshot.Fixtures[2].Pan, 3);
        engine.ForceMood(Mood.Calm);
        Step(engine, 0.5);
        AssertRaw(Frame(engine));

        // the grand master scales its intensity channels; blackout zeroes them, positions stay
        engine.SetMaster(0.5);
        Step(engine, 0.05);
        Assert.Equal(100, Frame(engine)[0]);
        Assert.Equal(40, Frame(engine)[100]);
        engine.SetMaster(1);
        engine.SetBlackout(true);
        Step(engine, 0.05);
        Assert.Equal(0, Frame(engine)[0]);
        Assert.Equal(40, Frame(engine)[100]);
    }

    [Fact]
    public void A_rendered_look_and_a_static_channel_scene_crossfade_both_ways()
    {
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Tense, 0, 0));     // red: p1 dimmer 255, R 255; no modulation for tense
        engine.RenderFrame();
        Assert.Equal(new byte[] { 255, 255, 0, 0, 0, 0 }, Frame(engine)[0..6]);
        engine.UpdateMood(State(Mood.Calm, 0, 0));
        engine.RenderFrame();
        Step(engine, 1.0);
        // halfway through the 2 s crossfade: every slot halfway between the two
        var f = Frame(engine);
        Assert.InRange(f[0], 226, 229);      // 255 → 200
        Assert.InRange(f[1], 131, 134);      // 255 → 10
        Assert.InRange(f[100], 83, 85);      // pan 128 → 40
        Step(engine, 1.05);
        AssertRaw(Frame(engine));

        // and back out: halfway, then the look itself
        engine.UpdateMood(State(Mood.Tense, 0, 0));
        engine.RenderFrame();
        Step(engine, 1.0);
        f = Frame(engine);
        Assert.InRange(f[0], 226, 229);
        Assert.InRange(f[1], 131, 134);
        Step(engine, 1.05);
        Assert.Equal(new byte[] { 255, 255, 0, 0, 0, 0 }, Frame(engine)[0..6]);
        Assert.Equal(128, Frame(engine)[100]);
    }

    [Fact]
    public void A_chase_steps_through_library_scenes_by_time_and_by_the_beat()
    {
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Sad, 0, 0));       // chase: red, blue, raw, 1 s each, no fade
        engine.RenderFrame();
        Assert.Equal(255, Frame(engine)[1]);            // red
        Step(engine, 1.0);
        Assert.Equal(new byte[] { 0, 0, 255 }, Frame(engine)[1..4]);   // blue
        Step(engine, 1.0);
        AssertRaw(Frame(engine));
        Step(engine, 1.0);
        Assert.Equal(255, Frame(engine)[1]);            // round again

        // the other preset: tense is a chase locked to the beat, one step per beat (0.5 s at 120 BPM)
        var other = _show.Resolve("other");
        using var beat = Engine(other);
        beat.OnBeat(new Beat(0, 120, 1));
        beat.UpdateMood(State(Mood.Tense, 0, 0));
        beat.RenderFrame();
        var first = Frame(beat)[1];
        Step(beat, 0.5);
        var second = Frame(beat)[1];
        Assert.NotEqual(first, second);
        Assert.True(first is 0 or 255 && second is 0 or 255, $"{first}, {second}");
        Step(beat, 0.5);
        Assert.Equal(first, Frame(beat)[1]);
    }

    [Fact]
    public void A_mappings_modulation_and_its_scene_list_per_section_apply()
    {
        // tense has arousalIntensity 0 of its own: full arousal leaves red at 1.0 (the show's 0.5 would clamp it too,
        // so compare happy's green at 0.5: 0.5 × (1 + 0.5 × 0.8) = 0.7 with the show's modulation)
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Happy, 0, 0.8));
        engine.RenderFrame();
        Assert.InRange(Frame(engine)[0], 175, 180);     // 0.7 × 255 = 178.5, at the beat pulse's top (no beat: 1)
        engine.UpdateMood(State(Mood.Tense, 0, -0.8));
        engine.RenderFrame();
        Step(engine, 2.05);
        Assert.Equal(255, Frame(engine)[0]);            // red at 1.0: its own modulation ignores arousal

        // happy's list: the next section of the music shows red
        engine.UpdateMood(State(Mood.Happy, 0, 0));
        Step(engine, 2.05);
        Assert.Equal(new byte[] { 0, 255, 0 }, Frame(engine)[1..4]);
        engine.UpdateMood(State(Mood.Happy, 0, 0, section: 10));
        Step(engine, 2.05);
        Assert.Equal(new byte[] { 255, 0, 0 }, Frame(engine)[1..4]);
        Assert.Equal(255, Frame(engine)[0]);
    }

    [Fact]
    public void Switching_the_preset_crossfades_to_its_look()
    {
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Happy, 0, 0));     // default: green at 0.5
        engine.RenderFrame();
        Assert.Equal(new byte[] { 0, 255, 0 }, Frame(engine)[1..4]);
        engine.ReplaceScenes(_show.Resolve("other"));   // other: happy is blue
        engine.RenderFrame();
        Step(engine, 1.0);
        var f = Frame(engine);
        Assert.InRange(f[2], 100, 155);                 // green going
        Assert.InRange(f[3], 100, 155);                 // blue coming
        Step(engine, 1.05);
        Assert.Equal(new byte[] { 0, 0, 255 }, Frame(engine)[1..4]);
        Assert.Equal("other", engine.Scenes.Preset);
    }

    [Fact]
    public void Chases_through_channel_scenes_and_looks_allocate_nothing_per_frame()
    {
        // sad is a chase (red, blue, raw: 1 s each); happy has a section list and its own crossfade into it
        using var engine = Engine();
        engine.UpdateMood(State(Mood.Sad, 0.3, 0.5));
        engine.OnBeat(new Beat(0, 120, 1));
        for (var i = 0; i < 1000; i++)
        {
            _time.AdvanceSeconds(0.025);
            engine.RenderFrame();
        }

        engine.UpdateMood(State(Mood.Calm, 0.3, 0.5));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            _time.AdvanceSeconds(0.025);
            engine.RenderFrame();   // a chase into a static channel scene, crossfading slot by slot
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        AssertRaw(Frame(engine));
    }
}
