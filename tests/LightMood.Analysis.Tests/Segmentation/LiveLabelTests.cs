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

    /// <summary>
    /// Hears the frames through an inner estimator, but a provisional window (a section's start tiled: frame i repeats
    /// frame i − n) made of fewer than <paramref name="minFrames"/> frames names no mood (a flat posterior), or, with
    /// <paramref name="swing"/>, a confident mood that changes with every such window.
    /// </summary>
    private sealed class ShortSightedEstimator(IMoodEstimator inner, int minFrames, bool swing = false) : IMoodEstimator
    {
        private int _asks;

        public int TiledWindows { get; private set; }

        public MoodEstimate Estimate(ReadOnlySpan<float> melWindow)
        {
            var period = TilingPeriod(melWindow);
            if (period < MoodWindow.Frames)
            {
                TiledWindows++;
            }

            if (swing && period < MoodWindow.Frames)
            {
                var p = new float[MoodNames.Count];
                p.AsSpan().Fill(0.02f);
                p[_asks++ % MoodNames.Count] = 0.94f;
                return new MoodEstimate(p, 0, 0, []);
            }

            return period < minFrames ? new MoodEstimate([0.25f, 0.25f, 0.25f, 0.25f], 0, 0, []) : inner.Estimate(melWindow);
        }

        /// <summary>The smallest n with every frame equal to the one n before it (Frames when there is none).</summary>
        private static int TilingPeriod(ReadOnlySpan<float> window)
        {
            var bands = window.Length / MoodWindow.Frames;
            for (var n = 1; n < MoodWindow.Frames; n++)
            {
                if (window[(n * bands)..].SequenceEqual(window[..^(n * bands)]))
                {
                    return n;
                }
            }

            return MoodWindow.Frames;
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

    [Fact]
    public void A_look_changed_by_the_provisional_label_shows_that_label_s_confidence_not_the_last_whole_window_s()
    {
        var analyzer = new MusicAnalyzer(new SpectralFeatureMoodEstimator(), new MusicAnalyzerOptions(CollectResults: false));
        var states = new List<MoodState>();
        analyzer.StateUpdated += states.Add;
        var x = Scenes.PadDrivePad();
        for (var pos = 0; pos < x.Length; pos += 4096)
        {
            analyzer.Push(x.AsSpan(pos, Math.Min(4096, x.Length - pos)));
        }

        // the first state naming happy after the drive starts at 15 s comes from the provisional window (≈ 1.2 s on),
        // before any whole window inside the drive: its confidence is that window's probability of happy
        var first = states.First(s => s.TimeSeconds > 15 && s.Label == "happy");
        output.WriteLine($"happy at {first.TimeSeconds:F2} s, confidence {first.Confidence:F3}");
        Assert.InRange(first.TimeSeconds - 15, 1.0, 1.6);
        Assert.True(first.Confidence > 0.25, $"confidence {first.Confidence:F3} is the old window's, not the provisional label's");
    }

    [Fact]
    public void A_change_the_first_second_does_not_name_is_named_when_the_provisional_label_is_asked_again()
    {
        // the section's first 1.0 s tiled names no mood (this estimator needs 1.4 s = 60 frames of it); asked again
        // every 0.5 s as the section grows, its first 1.5 s name the mood ≈ 1.6 s after the change, where asking once
        // leaves it to the whole windows (at 32 s they first name calm, then sad after the hold)
        static double FirstChangeTo(List<(double At, string Mood)> changes, double t, string mood) => changes.First(c => c.At > t && c.Mood == mood).At - t;

        var again = new ShortSightedEstimator(new SpectralFeatureMoodEstimator(), 60);
        var regrown = LiveMoods(again);
        var once = LiveMoods(new ShortSightedEstimator(new SpectralFeatureMoodEstimator(), 60), SoftCutOptions.Default with { ProvisionalStepSeconds = 0 });
        Assert.Equal(["sad", "happy", "sad"], regrown.Select(c => c.Mood));
        Assert.InRange(FirstChangeTo(regrown, 15, "happy"), 1.4, 2.2);
        Assert.InRange(FirstChangeTo(regrown, 32, "sad"), 1.4, 2.2);
        Assert.True(FirstChangeTo(once, 15, "happy") > FirstChangeTo(regrown, 15, "happy"), "asking again is not sooner at 15 s");
        Assert.True(FirstChangeTo(once, 32, "sad") > FirstChangeTo(regrown, 32, "sad") + 2, "asking again is not sooner at 32 s");
        // the asks stop once a section is a mood boundary: at most two per section here (1.0 s, 1.5 s)
        output.WriteLine($"tiled windows asked: {again.TiledWindows}");
        Assert.InRange(again.TiledWindows, 2, 2 * 4);
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(8.0)]
    public void Provisional_labels_that_swing_with_every_ask_never_show_a_look_under_the_minimum_hold(double hold)
    {
        // every tiled window names another mood, confidently: the asks at 1.0, 1.5, 2.0 and 2.5 s of each section may
        // change the look only once the hold is over, and the whole windows may revise it only after a hold again
        var changes = LiveMoods(new ShortSightedEstimator(new SpectralFeatureMoodEstimator(), 0, swing: true), SoftCutOptions.Default with { MinHoldSeconds = hold });
        Assert.True(changes.Count >= 2, "the provisional labels do change the look");
        for (var i = 1; i < changes.Count; i++)
        {
            Assert.True(changes[i].At - changes[i - 1].At >= hold - 1e-9, $"{changes[i - 1].Mood} held {changes[i].At - changes[i - 1].At:F2} s < {hold} s");
        }
    }

    [Fact]
    public void A_section_is_in_the_state_when_it_is_found_not_at_the_next_window()
    {
        var analyzer = new MusicAnalyzer(new SpectralFeatureMoodEstimator(), new MusicAnalyzerOptions(CollectResults: false));
        var found = new List<SectionBoundary>();
        var states = new List<MoodState>();
        analyzer.SectionStarted += found.Add;
        analyzer.StateUpdated += states.Add;
        var x = Scenes.PadDrivePad();
        for (var pos = 0; pos < x.Length; pos += 512)
        {
            analyzer.Push(x.AsSpan(pos, Math.Min(512, x.Length - pos)));
        }

        Assert.NotEmpty(found);
        foreach (var section in found.Where(s => s.FoundAtSeconds > 3.5)) // after the first window
        {
            var first = states.First(s => s.SectionStartSeconds == section.TimeSeconds);
            output.WriteLine($"section {section.TimeSeconds:F2} found {section.FoundAtSeconds:F2}, in the state {first.TimeSeconds:F2}");
            // the block that completes the frame that found it (512 samples, 23 ms), not up to a window hop (0.56 s) later
            Assert.InRange(first.TimeSeconds - section.FoundAtSeconds, -0.001, 0.05);
        }
    }
}
