using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Analysis.Tests.Support;
using Xunit.Abstractions;

namespace LightMood.Analysis.Tests.Segmentation;

/// <summary>The live mood layer: a section's label is revised as its windows come, with hysteresis and a minimum hold.</summary>
public sealed class LiveLabelTests(ITestOutputHelper output)
{
    /// <summary>Posteriors by window index, whatever the audio.</summary>
    private sealed class ScriptedEstimator(Func<int, float[]> script) : IMoodEstimator
    {
        private int _window;

        public MoodEstimate Estimate(ReadOnlySpan<float> melWindow)
        {
            var p = script(_window++);
            return new MoodEstimate(p, 0, 0, []);
        }
    }

    private List<(double At, string Mood)> LiveMoods(IMoodEstimator estimator, SoftCutOptions? options = null)
    {
        var analyzer = new MusicAnalyzer(estimator, new MusicAnalyzerOptions(CollectResults: false, SoftCut: options));
        var changes = new List<(double At, string Mood)>();
        analyzer.StateUpdated += s =>
        {
            if (changes.Count == 0 || changes[^1].Mood != s.Label)
            {
                changes.Add((s.TimeSeconds, s.Label));
            }
        };
        var x = Scenes.PadDrivePad();
        for (var pos = 0; pos < x.Length; pos += 4096)
        {
            analyzer.Push(x.AsSpan(pos, Math.Min(4096, x.Length - pos)));
        }

        analyzer.Finish();
        foreach (var (at, mood) in changes)
        {
            output.WriteLine($"{at:F2} {mood}");
        }

        return changes;
    }

    [Fact]
    public void A_posterior_hovering_between_two_moods_never_flaps_the_look()
    {
        // sad and calm within 0.1 of each other, taking turns window by window: below the hysteresis margin (0.15)
        var changes = LiveMoods(new ScriptedEstimator(w => w % 2 == 0 ? [0.05f, 0.05f, 0.47f, 0.43f] : [0.05f, 0.05f, 0.43f, 0.47f]));
        Assert.Single(changes);
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(8.0)]
    public void No_mood_is_held_shorter_than_the_minimum_hold(double hold)
    {
        // a confident posterior that swings between happy and sad every 4 windows (≈ 2 s), over sections at 15 and 32 s
        var changes = LiveMoods(
            new ScriptedEstimator(w => (w / 4) % 2 == 0 ? [0.85f, 0.05f, 0.05f, 0.05f] : [0.05f, 0.05f, 0.85f, 0.05f]),
            new SoftCutOptions(MinHoldSeconds: hold));
        Assert.True(changes.Count >= 2, "the swings do change the look now and then");
        for (var i = 1; i < changes.Count; i++)
        {
            Assert.True(changes[i].At - changes[i - 1].At >= hold - 1e-9, $"{changes[i - 1].Mood} held {changes[i].At - changes[i - 1].At:F2} s < {hold} s");
        }
    }

    [Fact]
    public void A_new_section_is_labelled_provisionally_from_its_first_second_and_the_look_follows_sooner()
    {
        // pad, drive from 15 s, pad from 32 s, through an estimator that hears the frames' content: each section is
        // found ≈ 0.5 s after its change, and its first 1 s tiled into one window names its mood ≈ 1.2 s after it
        static double FirstChangeAfter(List<(double At, string Mood)> changes, double t) => changes.First(c => c.At > t).At - t;

        var provisional = LiveMoods(new SpectralFeatureMoodEstimator());
        var whole = LiveMoods(new SpectralFeatureMoodEstimator(), SoftCutOptions.Default with { ProvisionalSeconds = 0 });
        Assert.Equal(["sad", "happy", "sad"], provisional.Select(c => c.Mood));
        Assert.InRange(FirstChangeAfter(provisional, 15), 1.0, 1.6);
        Assert.InRange(FirstChangeAfter(provisional, 32), 1.0, 1.6);
        Assert.True(FirstChangeAfter(provisional, 15) < FirstChangeAfter(whole, 15), "the provisional label is not sooner at 15 s");
        Assert.True(FirstChangeAfter(provisional, 32) < FirstChangeAfter(whole, 32), "the provisional label is not sooner at 32 s");
    }
}
