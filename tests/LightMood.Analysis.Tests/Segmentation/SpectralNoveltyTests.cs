using LightMood.Analysis.Segmentation;

namespace LightMood.Analysis.Tests.Segmentation;

/// <summary><see cref="SpectralNovelty"/> and <see cref="NoveltyCurve"/>: the soft cut's step and its peaks.</summary>
public sealed class SpectralNoveltyTests
{
    [Theory]
    [InlineData("mel_db", "mel_novelty", 96)]
    [InlineData("chroma", "chroma_novelty", 12)]
    public void Matches_the_numpy_reference_in_batch_and_on_a_ring(string framesName, string noveltyName, int bands)
    {
        var g = Golden.Load("novelty.json");
        var k = g.GetProperty("k").GetInt32();
        var frames = g.GetProperty(framesName).Doubles().Select(v => (float)v).ToArray();
        var expected = g.GetProperty(noveltyName).Doubles();
        var n = frames.Length / bands;
        Assert.Equal(g.GetProperty("frames").GetInt32(), n);
        Assert.Equal(n - (2 * k) + 1, expected.Length);

        var novelty = new SpectralNovelty(bands, k);
        var batch = new float[expected.Length];
        novelty.Process(frames, batch);

        var ring = new MelFrameRing(4 * k, bands); // shorter than the signal: the ring wraps
        var streamed = new List<float>();
        for (var t = 0; t < n; t++)
        {
            ring.Add(frames.AsSpan(t * bands, bands));
            var split = ring.Count - k;
            if (split >= k)
            {
                streamed.Add(novelty.Process(ring, split));
            }
        }

        Assert.Equal(expected.Length, streamed.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Golden.Close(expected[i], batch[i], 1e-5, 1e-5, $"{noveltyName}[{i}] (batch)");
            Golden.Close(expected[i], streamed[i], 1e-5, 1e-5, $"{noveltyName}[{i}] (ring)");
        }

        // the reference signal changes (tone mix → triad) at frame 16: the largest step is there
        var peak = Array.IndexOf(batch, batch.Max()) + k;
        Assert.InRange(peak, 15, 17);
    }

    [Fact]
    public void A_step_in_every_band_is_its_size_at_the_split_and_falls_off_linearly()
    {
        const int k = 4, bands = 3, n = 20;
        var frames = new float[n * bands];
        for (var t = 10; t < n; t++)
        {
            frames.AsSpan(t * bands, bands).Fill(6f);
        }

        var d = new float[n - (2 * k) + 1];
        new SpectralNovelty(bands, k).Process(frames, d);
        // d[i] is the split before frame k + i; the step is before frame 10
        Assert.Equal(6f, d[10 - k], 5);
        for (var j = 1; j <= k; j++)
        {
            Assert.Equal(6f * (k - j) / k, d[10 - k - j], 5);
            Assert.Equal(6f * (k - j) / k, d[10 - k + j], 5);
        }
    }

    [Fact]
    public void Rejects_wrong_shapes_and_missing_frames()
    {
        var novelty = new SpectralNovelty(4, 2);
        Assert.Throws<ArgumentException>(() => novelty.Process(new float[10], new float[1]));       // not whole frames
        Assert.Throws<ArgumentException>(() => novelty.Process(new float[3 * 4], new float[1]));    // 3 frames < 2K
        Assert.Throws<ArgumentException>(() => novelty.Process(new float[8 * 4], new float[4]));    // 8 frames give 5 steps
        var ring = new MelFrameRing(16, 4);
        ring.Add(new float[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => novelty.Process(ring, 1));               // frames −1..2 are not there
        Assert.Throws<ArgumentException>(() => novelty.Process(new MelFrameRing(16, 5), 2));      // other band count
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralNovelty(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralNovelty(4, 0));
    }

    [Fact]
    public void Processing_a_ring_allocates_nothing()
    {
        var ring = new MelFrameRing(64, 96);
        var frame = new float[96];
        var novelty = new SpectralNovelty(96, 16);
        for (var t = 0; t < 64; t++)
        {
            frame[t % 96] = t;
            ring.Add(frame);
        }

        novelty.Process(ring, 40);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0f;
        for (var s = 16; s <= 48; s++)
        {
            sum += novelty.Process(ring, s);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }

    private static NoveltyCurve Curve(params float[] values)
    {
        var curve = new NoveltyCurve(8, 0.1, 0.05);
        for (var i = 0; i < values.Length; i++)
        {
            curve.Add(10 + i, values[i]);
        }

        return curve;
    }

    [Fact]
    public void The_curve_holds_its_capacity_and_averages_what_it_holds()
    {
        var curve = Curve(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Assert.Equal(12, curve.Oldest);   // splits 10..19, 8 held
        Assert.Equal(19, curve.Newest);
        Assert.Equal((3 + 4 + 5 + 6 + 7 + 8 + 9 + 10) / 8.0, curve.Mean, 9);
        Assert.Equal(5f, curve[14]);
        Assert.Throws<ArgumentOutOfRangeException>(() => curve[11]);
        Assert.Throws<ArgumentException>(() => curve.Add(21, 1));          // not the next split
        Assert.Throws<ArgumentOutOfRangeException>(() => curve.Add(20, float.NaN));
        Assert.Equal(1.45, curve.TimeOf(14), 9);
        Assert.Equal(14, curve.FirstSplitAtOrAfter(1.41));
        Assert.Equal(14, curve.LastSplitAtOrBefore(1.49));
    }

    [Fact]
    public void The_best_peak_is_the_largest_local_maximum_not_a_flank_at_the_edge_of_the_span()
    {
        //          split: 10  11  12  13  14  15  16  17
        var curve = Curve(1, 2, 5, 2, 1, 3, 9, 3);
        // span 12..15 (1.25–1.55 s): 15 rises towards the 9 at 16, outside the span, so it is not a peak; 12 is
        Assert.True(curve.TryBestPeak(1.25, 1.55, 1, out var split, out var strength));
        Assert.Equal(5f, strength);
        Assert.Equal(12, split, 9);     // symmetric neighbours: no sub-split shift
        Assert.True(curve.IsPeak(16, 3));
        Assert.False(curve.IsPeak(12, 4)); // the 9 at 16 lies within 4
        Assert.False(curve.TryBestPeak(1.35, 1.45, 1, out _, out _)); // 13..14: no peak
    }

    [Fact]
    public void A_peak_between_splits_is_placed_by_its_parabola()
    {
        // samples of y = 4 − (x − 12.25)² at 11, 12, 13: the vertex at 12.25
        var curve = Curve(0, 4 - (1.25f * 1.25f), 4 - (0.25f * 0.25f), 4 - (0.75f * 0.75f), 0);
        Assert.Equal(12.25, curve.Refine(12), 6);
        Assert.Equal(10, curve.Refine(10)); // no neighbour before it
    }
}
