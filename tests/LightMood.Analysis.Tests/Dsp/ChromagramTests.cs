using LightMood.Analysis.Dsp;

namespace LightMood.Analysis.Tests.Dsp;

public sealed class ChromagramTests
{
    private static float[] Chroma(float[] signal, out int frames)
    {
        var (_, chroma) = new MelSpectrogram().ComputeWithChroma(signal, out frames);
        return chroma;
    }

    [Theory]
    [InlineData("tone_mix")]
    [InlineData("triad")]
    public void Matches_the_numpy_reference(string signal)
    {
        var g = Golden.Load("chroma.json");
        var x = signal == "triad" ? TestSignals.Triad(4096) : TestSignals.ToneMix(4096);
        var chroma = Chroma(x, out _);
        var expected = g.GetProperty(signal).Doubles();
        Assert.Equal(expected.Length, chroma.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Golden.Close(expected[i], chroma[i], 2e-4, 1e-3, $"{signal} chroma[{i / 12},{i % 12}]");
        }
    }

    [Fact]
    public void A_C_major_triad_lands_on_C_E_and_G_and_the_profile_ignores_the_level()
    {
        var loud = Chroma(TestSignals.Triad(4096), out var frames);
        var quiet = Chroma([.. TestSignals.Triad(4096).Select(v => v * 0.01f)], out _);
        for (var t = 0; t < frames; t++)
        {
            var frame = loud.AsSpan(t * 12, 12);
            Assert.True(frame[0] + frame[4] + frame[7] > 0.95, $"frame {t}: C+E+G = {frame[0] + frame[4] + frame[7]}");
            Assert.Equal(1.0, frame.ToArray().Sum(), 5);
        }

        for (var i = 0; i < loud.Length; i++)
        {
            Assert.Equal(loud[i], quiet[i], 4);
        }
    }

    [Fact]
    public void Silence_gives_a_flat_profile()
    {
        var g = Golden.Load("chroma.json");
        var chroma = Chroma(new float[2048], out _);
        Assert.All(chroma, c => Assert.Equal(1f / 12, c, 6));
        Assert.All(g.GetProperty("silence").Doubles(), c => Assert.Equal(1.0 / 12, c, 6));
    }
}
