using LightMood.Analysis.Dsp;

namespace LightMood.Analysis.Tests.Dsp;

public sealed class MelSpectrogramTests
{
    [Fact]
    public void Matches_the_numpy_mel_reference()
    {
        var g = Golden.Load("mel.json");
        var x = TestSignals.ToneMix(4096);
        var mel = new MelSpectrogram();
        var result = mel.Compute(x, out var frames);
        Assert.Equal(g.GetProperty("frames").GetInt32(), frames);
        var expected = g.GetProperty("mel_db").Doubles();
        Assert.Equal(expected.Length, result.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            // float32 power: 1e-3 dB where the band has energy, looser near the −100 dB floor
            var tolerance = expected[i] > -60 ? 2e-3 : 0.05;
            Golden.Close(expected[i], result[i], tolerance, 0, $"mel[{i / 96},{i % 96}]");
        }
    }

    [Fact]
    public void Power_spectrum_matches_numpy_rfft()
    {
        var g = Golden.Load("mel.json");
        var x = TestSignals.ToneMix(4096);
        var mel = new MelSpectrogram();
        var power = new float[513];
        mel.PowerSpectrum(x.AsSpan(0, 1024), power);
        var expected = g.GetProperty("power_frame0").Doubles();
        var peak = expected.Max();
        for (var k = 0; k < expected.Length; k++)
        {
            Golden.Close(expected[k], power[k], peak * 1e-6, 1e-4, $"power[{k}]");
        }
    }

    [Fact]
    public void Power_spectrum_in_vector_lanes_equals_the_scalar_formula_to_the_last_bit()
    {
        // the window product and |X|² are computed several values at a time; each must be the scalar float/double value
        var x = TestSignals.ToneMix(1024);
        var window = Windows.HannPeriodic(1024);
        var windowed = new float[1024];
        for (var i = 0; i < windowed.Length; i++)
        {
            windowed[i] = x[i] * window[i];
        }

        var fft = new RealFft(1024);
        var re = new double[513];
        var im = new double[513];
        fft.Forward(windowed, re, im);
        var power = new float[513];
        new MelSpectrogram().PowerSpectrum(x.AsSpan(0, 1024), power);
        for (var k = 0; k < power.Length; k++)
        {
            Assert.Equal((float)((re[k] * re[k]) + (im[k] * im[k])), power[k]);
        }
    }

    [Fact]
    public void Filterbank_matches_slaney_definition()
    {
        var g = Golden.Load("mel.json");
        var sums = g.GetProperty("filterbank_row_sums").Doubles();
        var filters = MelFilterbank.Slaney(22050, 1024, 96, 0, 11025);
        for (var m = 0; m < sums.Length; m++)
        {
            Golden.Close(sums[m], filters[m].Weights.Sum(w => (double)w), 1e-7, 1e-5, $"filter {m}");
        }
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(8, 7)]
    [InlineData(16, 16)]
    [InlineData(64, 50)]
    [InlineData(1024, 1024)]
    public void Real_fft_equals_direct_dft(int size, int samples)
    {
        // sizes from all-scalar stages (4, 8) to the 1024 of the mel frames, whose wider stages run in vector lanes
        var fft = new RealFft(size);
        var x = TestSignals.ToneMix(samples);
        var re = new double[(size / 2) + 1];
        var im = new double[(size / 2) + 1];
        fft.Forward(x, re, im);
        for (var k = 0; k <= size / 2; k++)
        {
            double r = 0, i = 0;
            for (var n = 0; n < x.Length; n++)
            {
                r += x[n] * Math.Cos(2 * Math.PI * k * n / size);
                i -= x[n] * Math.Sin(2 * Math.PI * k * n / size);
            }

            Golden.Close(r, re[k], 1e-9, 1e-9, $"Re X({k})");
            Golden.Close(i, im[k], 1e-9, 1e-9, $"Im X({k})");
        }
    }

    [Fact]
    public void Frames_allocate_nothing()
    {
        var mel = new MelSpectrogram();
        var x = TestSignals.ToneMix(4096);
        var output = new float[96];
        mel.ProcessFrame(x.AsSpan(0, 1024), output);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var t = 0; t < 7; t++)
        {
            mel.ProcessFrame(x.AsSpan(t * 512, 1024), output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
