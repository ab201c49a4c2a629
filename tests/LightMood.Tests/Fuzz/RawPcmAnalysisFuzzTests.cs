using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Audio.Live;
using LightMood.Audio.Tests.Fuzz;

namespace LightMood.Tests.Fuzz;

/// <summary>
/// Issue 16, "must show": raw PCM of any bytes (the stdin path: <see cref="LiveAudioSources.RawPcm"/>, its capture
/// thread, ring and resampler) through <see cref="MusicAnalyzer"/> with the CRNN. Whatever arrives, every live state
/// and every region is finite and in range, and the regions cover the stream. Recipes are replayable by seed.
/// </summary>
public sealed class RawPcmAnalysisFuzzTests : IClassFixture<RawPcmAnalysisFuzzTests.Crnn>
{
    private readonly Crnn _crnn;

    public RawPcmAnalysisFuzzTests(Crnn crnn) => _crnn = crnn;

    [Property(MaxTest = 200, Arbitrary = [typeof(Recipes)], QuietOnSuccess = true)]
    public void Any_raw_PCM_on_the_stdin_path_gives_finite_states_and_regions(RawPcmCase recipe)
    {
        using var source = LiveAudioSources.RawPcm(
            new ChunkedStream(recipe.Expand(), recipe.MaxChunk, recipe.Seed), recipe.Format, new LiveAudioSourceOptions { WaitWhenFull = true });
        var analyzer = new MusicAnalyzer(_crnn.Estimator);
        var states = 0;
        analyzer.StateUpdated += s =>
        {
            states++;
            Assert.True(Finite(s.Confidence, 0, 1) && Finite(s.Valence, -1, 1) && Finite(s.Arousal, -1, 1) && Finite(s.Energy, 0, 1)
                && Finite(s.RegionStartSeconds, 0, double.MaxValue) && (s.TempoBpm is null || Finite(s.TempoBpm.Value, 1, 1000)), $"{s}");
        };
        source.Start();
        var block = new float[1024];
        int n;
        while ((n = source.Read(block)) > 0)
        {
            analyzer.Push(block.AsSpan(0, n));
        }

        var result = analyzer.Finish();
        Assert.True(states > 0 || result.DurationSeconds < 3);
        Assert.Equal(0, result.Regions[0].StartSeconds);
        Assert.Equal(result.DurationSeconds, result.Regions[^1].EndSeconds);
        for (var i = 0; i < result.Regions.Count; i++)
        {
            var r = result.Regions[i];
            Assert.True(Finite(r.Confidence, 0, 1) && Finite(r.Valence, -1, 1) && Finite(r.Arousal, -1, 1), $"{r}");
            Assert.True(i == 0 || r.StartSeconds == result.Regions[i - 1].EndSeconds, $"gap before {r}");
        }
    }

    private static bool Finite(double v, double min, double max) => double.IsFinite(v) && v >= min && v <= max;

    /// <summary>Up to 8 s of audio in any layout: mood windows (from 3 s on), tempo, boundaries.</summary>
    public static class Recipes
    {
        public static Arbitrary<RawPcmCase> RawPcm() => RawPcmCase.RecipesOfSeconds(8).ToArbitrary();
    }

    /// <summary>The product's estimator, loaded once for all cases.</summary>
    public sealed class Crnn : IDisposable
    {
        public IMoodEstimator Estimator { get; } = DefaultMoodEstimator.CreateCrnn();

        public void Dispose() => (Estimator as IDisposable)?.Dispose();
    }
}
