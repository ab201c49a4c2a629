using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests.Scenes;

/// <summary>
/// The DMX a scene book renders for each mood through the real engine on a manual clock: a beat at 120 BPM, the mood
/// analysed (with valence and arousal, so modulation shows) and then a new section of the music, and the mood forced
/// without an estimate. The same procedure made the golden frames in fixtures/scenes/ with the code before the scene
/// library (main at 107b674), so a migrated file must render exactly these bytes.
/// </summary>
internal static class MoodFrames
{
    /// <summary>Frames (whole universe 0, base64) sampled at these frame numbers of 25 ms each.</summary>
    public static readonly int[] Samples = [0, 7, 20, 50, 99, 100, 130, 199];

    public static Dictionary<string, List<string>> Record(Patch patch, SceneBook book)
    {
        var frames = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var mood in MoodNames.All)
        {
            frames[mood.ToName()] = Run(patch, book, mood, forced: false);
            frames[mood.ToName() + " forced"] = Run(patch, book, mood, forced: true);
        }

        return frames;
    }

    private static List<string> Run(Patch patch, SceneBook book, Mood mood, bool forced)
    {
        var time = new ManualTime();
        using var engine = new LightingEngine(patch, book, new LightingOptions { ModulationSmoothingSeconds = 0 }, [], time);
        var valence = mood is Mood.Happy or Mood.Calm ? 0.6 : -0.6;
        var arousal = mood is Mood.Happy or Mood.Tense ? 0.8 : -0.7;
        if (forced)
        {
            engine.ForceMood(mood);
        }
        else
        {
            engine.UpdateMood(new MoodState(0, mood, 0.9, valence, arousal, 0, 0.5, 120));
        }

        engine.OnBeat(new Beat(0, 120, 1));
        var samples = new List<string>();
        var frame = new byte[512];
        for (var i = 0; i < 200; i++)
        {
            if (i == 100 && !forced)
            {
                // a new section of the music while the mood stays
                engine.UpdateMood(new MoodState(2.5, mood, 0.9, valence, arousal, 0, 0.5, 120, SectionStartSeconds: 2.5));
            }

            if (i > 0)
            {
                time.AdvanceSeconds(0.025);
            }

            engine.RenderFrame();
            if (Samples.Contains(i))
            {
                Assert.True(engine.CopyFrame(0, frame));
                samples.Add(Convert.ToBase64String(frame));
            }
        }

        return samples;
    }
}
