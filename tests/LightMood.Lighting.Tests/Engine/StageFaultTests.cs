using LightMood.Lighting.Engine;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Engine;

/// <summary>
/// Health has one owner (<see cref="StageHealth"/>, the host's): the engine observes it. A stage that becomes healthy
/// clears only its own fault, so the safe look stays up while any stage is faulted (issue 12: with the model file
/// missing, the capture stage's recovery used to clear the analysis' fault and the look left the safe look).
/// </summary>
public sealed class StageFaultTests
{
    private const int P1 = 1;
    private const byte HouseDimmer = 153; // 0.6 of the house look
    private readonly ManualTime _time = new();

    private LightingEngine Engine(StageHealth health) =>
        new(Rigs.Small(), Rigs.Plain(crossfade: 0.5), new LightingOptions { SafeLook = SafeLook.House, ModulationSmoothingSeconds = 0 }, [], _time, health: health);

    private static MoodState Sad() => new(0, Mood.Sad, 0.9, -0.5, -0.5, 0, 0.5, null);

    private static byte Slot(LightingEngine engine, int address)
    {
        var frame = new byte[512];
        Assert.True(engine.CopyFrame(0, frame));
        return frame[address - 1];
    }

    [Fact]
    public void Analysis_faulted_and_capture_healthy_keeps_the_safe_look_throughout()
    {
        var health = new StageHealth();
        using var engine = Engine(health);
        engine.UpdateMood(Sad());
        engine.RenderFrame();
        Assert.Equal("sad", engine.GetSnapshot().Look);

        health.Fault("analysis", "model file missing: /x/crnn.onnx");
        health.Fault("capture", "audio device lost");
        var frames = 0;
        for (var t = 0; t < 200; t++)                 // 5 s at 40 Hz; capture recovers after 1 s, fails and recovers again
        {
            if (t == 40 || t == 120)
            {
                Assert.True(health.Clear("capture"));  // the capture stage becomes healthy (Healthy())
            }

            if (t == 80)
            {
                health.Fault("capture", "audio device lost");
            }

            engine.UpdateMood(Sad());                  // the analysis is faulted, but a stale estimate may still arrive
            _time.AdvanceSeconds(0.025);
            engine.RenderFrame();
            var snap = engine.GetSnapshot();
            Assert.True(snap.Faulted, $"frame {t}: lights not faulted while the analysis is");
            Assert.Equal("house", snap.Look);
            Assert.Equal(HouseDimmer, Slot(engine, P1));
            Assert.Equal("analysis", snap.FaultStage);
            Assert.Equal("model file missing: /x/crnn.onnx", snap.FaultReason);
            frames++;
        }

        Assert.Equal(200, frames);
        Assert.Equal(["analysis"], health.Faults.Select(f => f.Stage));

        health.Clear("analysis");                      // the model is back
        for (var t = 0; t < 40; t++)
        {
            _time.AdvanceSeconds(0.025);
            engine.RenderFrame();
        }

        var back = engine.GetSnapshot();
        Assert.False(back.Faulted);
        Assert.Null(back.FaultReason);
        Assert.Equal("sad", back.Look);
        Assert.Equal(102, Slot(engine, P1));           // 0.4 of sad's look, after the 0.5 s crossfade
    }

    [Fact]
    public void A_render_failure_is_the_engines_own_fault_and_new_looks_clear_it()
    {
        var health = new StageHealth();
        var scenes = Rigs.Plain(crossfade: 0);
        using var engine = Engine(health);
        engine.ReplaceScenes(scenes);
        engine.UpdateMood(Sad());
        engine.RenderFrame();
        var moods = new Dictionary<Mood, MoodLook>(scenes.Moods);
        moods.Remove(Mood.Sad);
        engine.ReplaceScenes(scenes with { Moods = moods }); // rendering sad now throws
        health.Fault("capture", "audio device lost");
        health.Clear("capture");                       // another stage's recovery does not clear the render fault
        _time.AdvanceSeconds(0.025);
        engine.RenderFrame();
        Assert.True(health.IsStageFaulted(LightingEngine.RenderStage));
        for (var t = 0; t < 10; t++)
        {
            health.Fault("capture", "audio device lost");
            health.Clear("capture");
            _time.AdvanceSeconds(0.025);
            engine.RenderFrame();
            Assert.Equal("house", engine.GetSnapshot().Look);
        }

        engine.ReplaceScenes(scenes);                  // looks that render
        Assert.False(health.IsFaulted);
        _time.AdvanceSeconds(0.025);
        engine.RenderFrame();
        Assert.Equal("sad", engine.GetSnapshot().Look);
    }

    [Fact]
    public void Stage_health_keeps_one_fault_per_stage_oldest_first_and_each_stage_clears_only_its_own()
    {
        var health = new StageHealth();
        Assert.False(health.IsFaulted);
        Assert.Null(health.First);
        health.Fault("analysis", "a");
        health.Fault("capture", "c");
        health.Fault("analysis", "a2");                // a new reason keeps the stage's place
        Assert.Equal([("analysis", "a2"), ("capture", "c")], health.Faults.Select(f => (f.Stage, f.Reason)));
        var before = health.Faults;
        Assert.False(health.Clear("render"));
        Assert.True(health.Clear("analysis"));
        Assert.Equal(2, before.Count);                 // a reader's snapshot does not change under it
        Assert.Equal(new StageFault("capture", "c"), health.First);
        Assert.True(health.IsStageFaulted("capture"));
        Assert.False(health.IsStageFaulted("analysis"));
        Assert.True(health.Clear("capture"));
        Assert.False(health.IsFaulted);
        Assert.Throws<ArgumentException>(() => health.Fault("", "x"));
    }
}
