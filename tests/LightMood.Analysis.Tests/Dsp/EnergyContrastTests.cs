using LightMood.Analysis.Dsp;

namespace LightMood.Analysis.Tests.Dsp;

public sealed class EnergyContrastTests
{
    [Fact]
    public void Short_term_energy_matches_reference()
    {
        var g = Golden.Load("energy.json");
        var m = g.GetProperty("segment").GetInt32();
        var x = TestSignals.SteppedTone(g.GetProperty("amplitudes").Doubles(), m);
        var expected = g.GetProperty("energy").Doubles();
        var energy = new ShortTermEnergy(m);
        var e = new float[energy.SegmentCount(x.Length)];
        Assert.Equal(expected.Length, energy.Process(x, e));
        for (var t = 0; t < expected.Length; t++)
        {
            Golden.Close(expected[t], e[t], 1e-9, 1e-5, $"E[{t}]");
        }
    }

    [Fact]
    public void Streaming_energy_equals_batch_for_ragged_blocks()
    {
        var g = Golden.Load("energy.json");
        var m = g.GetProperty("segment").GetInt32();
        var x = TestSignals.SteppedTone(g.GetProperty("amplitudes").Doubles(), m);
        var energy = new ShortTermEnergy(m);
        var batch = new float[energy.SegmentCount(x.Length)];
        energy.Process(x, batch);
        var streamed = new List<float>();
        var scratch = new float[64];
        var sizes = new[] { 1, 7, 511, 512, 513, 1000, 3 };
        for (int pos = 0, i = 0; pos < x.Length; i++)
        {
            var n = Math.Min(sizes[i % sizes.Length], x.Length - pos);
            var c = energy.Push(x.AsSpan(pos, n), scratch);
            streamed.AddRange(scratch.AsSpan(0, c));
            pos += n;
        }

        Assert.Equal(batch, streamed);
    }

    [Fact]
    public void Contrast_and_changes_match_reference_with_a_ramp_as_one_change()
    {
        var g = Golden.Load("energy.json");
        var expectedRatios = g.GetProperty("contrast").Doubles();
        var energies = g.GetProperty("energy").Doubles();
        var detector = new ContrastDetector(g.GetProperty("low").GetDouble(), g.GetProperty("high").GetDouble(), g.GetProperty("eps").GetDouble());
        var changes = new List<ContrastChange>();
        foreach (var e in energies)
        {
            if (detector.Push(e, out var c))
            {
                changes.Add(c);
            }

            if (detector.LastIndex >= 0)
            {
                Golden.Close(expectedRatios[detector.LastIndex], detector.LastRatio, 1e-9, 1e-6, $"z[{detector.LastIndex}]");
            }
        }

        if (detector.Flush(out var last))
        {
            changes.Add(last);
        }

        var expected = g.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(expected.Count, changes.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].GetProperty("first").GetInt32(), changes[i].First);
            Assert.Equal(expected[i].GetProperty("last").GetInt32(), changes[i].Last);
            Assert.Equal(expected[i].GetProperty("direction").GetInt32(), changes[i].Direction);
            Golden.Close(expected[i].GetProperty("ratio").GetDouble(), changes[i].Ratio, 0, 1e-5, $"change {i} ratio");
        }

        // the paper's case: four consecutive out-of-band ratios of a fade are one change, not four
        Assert.Contains(changes, c => c.Last - c.First == 3 && c.Direction == -1);
    }

    [Fact]
    public void Batch_ratios_match_reference()
    {
        var g = Golden.Load("energy.json");
        var energies = Array.ConvertAll(g.GetProperty("energy").Doubles(), v => (float)v);
        var ratios = new float[energies.Length - 1];
        new ContrastDetector(0.6, 1.4).Ratios(energies, ratios);
        var expected = g.GetProperty("contrast").Doubles();
        for (var t = 0; t < ratios.Length; t++)
        {
            Golden.Close(expected[t], ratios[t], 1e-9, 1e-5, $"z[{t}]");
        }
    }

    [Fact]
    public void Band_limits_are_the_papers()
    {
        var d = new ContrastDetector(ContrastDetector.EnergyBand.Low, ContrastDetector.EnergyBand.High);
        Assert.Equal(0, d.Classify(0.6));
        Assert.Equal(0, d.Classify(1.4));
        Assert.Equal(-1, d.Classify(0.59));
        Assert.Equal(1, d.Classify(1.41));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContrastDetector(1.2, 0.8));
    }

    [Fact]
    public void Tempo_contrast_matches_reference()
    {
        var g = Golden.Load("onset.json").GetProperty("rate_case");
        var m = g.GetProperty("m").GetInt32();
        var rate = new OnsetRate(m);
        var gammas = new List<double>();
        var changes = new List<(ContrastChange Change, double At)>();
        foreach (var t in g.GetProperty("onsets_s").Doubles())
        {
            if (rate.Push(t, out var gamma, out var changed, out var change, out var at))
            {
                gammas.Add(gamma);
            }

            if (changed)
            {
                changes.Add((change, at));
            }
        }

        if (rate.Flush(out var c, out var when))
        {
            changes.Add((c, when));
        }

        var expected = g.GetProperty("gamma").Doubles();
        Assert.Equal(expected.Length, gammas.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Golden.Close(expected[i], gammas[i], 1e-9, 1e-7, $"gamma[{i}]");
        }

        var expectedChanges = g.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(expectedChanges.Count, changes.Count);
        Assert.Equal(expectedChanges[0].GetProperty("first").GetInt32(), changes[0].Change.First);
        Assert.Equal(1, changes[0].Change.Direction);

        // group 3 starts at the 13th onset (index 12 = 5.9 s): where the faster playing begins
        Assert.Equal(5.9, changes[0].At, 6);
    }
}
