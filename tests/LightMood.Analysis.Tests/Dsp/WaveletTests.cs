using LightMood.Analysis.Dsp;

namespace LightMood.Analysis.Tests.Dsp;

public sealed class WaveletTests
{
    [Fact]
    public void Filters_are_pywt_filters()
    {
        foreach (var c in Golden.Load("dwt.json").GetProperty("cases").EnumerateArray())
        {
            var w = Wavelet.FromName(c.GetProperty("wavelet").GetString()!);
            Assert.Equal(c.GetProperty("dec_lo").Doubles(), w.DecLo);
            var hi = c.GetProperty("dec_hi").Doubles();
            for (var k = 0; k < hi.Length; k++)
            {
                Assert.Equal(hi[k], w.DecHi[k], 15);
            }
        }
    }

    [Fact]
    public void Mallat_dwt_matches_pywt_wavedec_periodization()
    {
        var g = Golden.Load("dwt.json");
        var x = TestSignals.ToneMix(512);
        foreach (var c in g.GetProperty("cases").EnumerateArray())
        {
            var levels = c.GetProperty("levels").GetInt32();
            var dwt = new MallatDwt(Wavelet.FromName(c.GetProperty("wavelet").GetString()!), 512, levels);
            var output = new float[512];
            dwt.Process(x, output);
            var bands = c.GetProperty("coefficients").EnumerateArray().ToList();
            Assert.Equal(dwt.Bands, bands.Count);
            for (var b = 0; b < bands.Count; b++)
            {
                var expected = bands[b].Doubles();
                Assert.Equal(expected.Length, dwt.BandLength(b));
                for (var i = 0; i < expected.Length; i++)
                {
                    Golden.Close(expected[i], output[dwt.BandOffset(b) + i], 2e-6, 1e-5, $"{dwt.Wavelet.Name} band {b}[{i}]");
                }
            }
        }
    }

    [Fact]
    public void Orthogonal_transform_keeps_energy()
    {
        var x = TestSignals.ToneMix(1024);
        var dwt = new MallatDwt(Wavelet.Db4, 1024, 6);
        var c = new float[1024];
        dwt.Process(x, c);
        Assert.Equal(x.Sum(v => (double)v * v), c.Sum(v => (double)v * v), 3);
    }

    [Fact]
    public void Rejects_lengths_that_do_not_halve()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MallatDwt(Wavelet.Db4, 100, 5));
        var dwt = new MallatDwt(Wavelet.Db4, 64, 2);
        Assert.Throws<ArgumentException>(() => dwt.Process(new float[63], new float[64]));
    }

    [Fact]
    public void Amplitude_spectrum_matches_numpy()
    {
        var g = Golden.Load("spectrum.json");
        var b = Array.ConvertAll(g.GetProperty("b").Doubles(), v => (float)v);
        var spectrum = new AmplitudeSpectrum(g.GetProperty("n_fft").GetInt32());
        var amplitude = new float[spectrum.Bins];
        spectrum.Process(b, amplitude);
        var expected = g.GetProperty("amplitude").Doubles();
        Assert.Equal(expected.Length, amplitude.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            Golden.Close(expected[k], amplitude[k], 1e-6, 1e-5, $"B(2π·{k}/N)");
        }

        var lambdas = g.GetProperty("lambdas").Doubles();
        var at = g.GetProperty("amplitude_at").Doubles();
        for (var i = 0; i < lambdas.Length; i++)
        {
            Golden.Close(at[i], AmplitudeSpectrum.At(b, lambdas[i]), 1e-6, 1e-5, $"B({lambdas[i]})");
        }
    }

    [Fact]
    public void Wavelet_onset_strength_matches_reference()
    {
        var g = Golden.Load("onset.json");
        var x = TestSignals.KickTrack(120, 6);
        var detector = new WaveletOnsetDetector();
        var odf = new float[detector.FrameCount(x.Length)];
        detector.Compute(x, odf);
        var expected = g.GetProperty("odf").Doubles();
        Assert.Equal(expected.Length, odf.Length);
        for (var u = 0; u < expected.Length; u++)
        {
            Golden.Close(expected[u], odf[u], 2e-4, 1e-4, $"odf[{u}]");
        }
    }

    [Fact]
    public void Streaming_filter_bank_matches_numpy_valid_convolution()
    {
        var g = Golden.Load("onset.json").GetProperty("filterbank");
        var levels = g.GetProperty("levels").GetInt32();
        var bank = new MallatFilterBank(Wavelet.Db4, levels, 512);
        foreach (var v in TestSignals.ToneMix(512))
        {
            bank.Push(v);
        }

        var bands = g.GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal(bank.Bands, bands.Count);
        for (var b = 0; b < bands.Count; b++)
        {
            var expected = bands[b].GetProperty("coefficients").Doubles();
            var positions = bands[b].GetProperty("positions").EnumerateArray().Select(p => p.GetInt64()).ToList();
            Assert.Equal(expected.Length, bank.Count(b));
            for (var n = 0; n < expected.Length; n++)
            {
                Golden.Close(expected[n], bank.Coefficient(b, n), 1e-6, 1e-5, $"band {b}[{n}]");
                Assert.Equal(positions[n], bank.Position(b, n));
            }
        }
    }

    [Fact]
    public void Filter_bank_fed_in_ragged_blocks_equals_it_fed_sample_by_sample_to_the_last_bit()
    {
        var x = TestSignals.KickTrack(120, 3);
        var single = new MallatFilterBank(Wavelet.Db4, 5, 4096);
        foreach (var v in x)
        {
            single.Push(v);
        }

        var blocks = new MallatFilterBank(Wavelet.Db4, 5, 4096);
        int[] sizes = [1, 7, 256, 1000, 3, 257, 2, 4096];
        var position = 0;
        for (var i = 0; position < x.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], x.Length - position);
            blocks.Push(x.AsSpan(position, n));
            position += n;
        }

        for (var b = 0; b < single.Bands; b++)
        {
            Assert.Equal(single.Count(b), blocks.Count(b));
            for (var n = single.Count(b) - 1; n >= Math.Max(0, single.Count(b) - 4096); n--)
            {
                Assert.Equal(single.Coefficient(b, n), blocks.Coefficient(b, n));
            }
        }
    }

    [Fact]
    public void Streaming_onsets_equal_batch_for_ragged_blocks()
    {
        var x = TestSignals.KickTrack(120, 6);
        var batch = new WaveletOnsetDetector();
        var expected = new float[batch.FrameCount(x.Length)];
        batch.Compute(x, expected);
        var live = new WaveletOnsetDetector();
        var got = new List<float>();
        var scratch = new float[64];
        int[] sizes = [1, 255, 256, 257, 5000, 3];
        for (int pos = 0, i = 0; pos < x.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], x.Length - pos);
            var c = live.Push(x.AsSpan(pos, n), scratch);
            got.AddRange(scratch.AsSpan(0, c));
            pos += n;
        }

        Assert.Equal(expected, got);
    }

    [Fact]
    public void Transforms_allocate_nothing()
    {
        var x = TestSignals.ToneMix(8192);
        var dwt = new MallatDwt(Wavelet.Db4, 512, 5);
        var c = new float[512];
        var detector = new WaveletOnsetDetector();
        var odf = new float[4];
        var spectrum = new AmplitudeSpectrum(128);
        var amplitude = new float[65];
        dwt.Process(x.AsSpan(0, 512), c);
        detector.Push(x.AsSpan(0, detector.FrameLength), odf);
        spectrum.Process(c.AsSpan(0, 64), amplitude);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var u = 0; u < 10; u++)
        {
            dwt.Process(x.AsSpan(u * 256, 512), c);
            detector.Push(x.AsSpan(detector.FrameLength + (u * 256), 256), odf);
            spectrum.Process(c.AsSpan(0, 64), amplitude);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
