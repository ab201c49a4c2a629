namespace LightMood.Analysis.Segmentation;

/// <summary>
/// The level (dB) of the latest frames, and the quiet point a section boundary moves to: where a piece fades out and the
/// next fades in, the spectrum starts to step at the fade, the join is the quiet point.
/// </summary>
/// <remarks>
/// A step found within <see cref="DipSearchSeconds"/> of a frame at least <see cref="DipDepthDb"/> below the median level
/// on both sides of it (<see cref="DipContextFrames"/> before, up to as many after, at least <see cref="DipAfterFrames"/>
/// heard) goes to that frame's centre. Indexed by absolute frame number, so it does not depend on blocking; allocation-free.
/// </remarks>
public sealed class LevelDips
{
    /// <summary>Seconds on each side of a step searched for a level dip (the quiet point of a fade-out/fade-in join).</summary>
    public const double DipSearchSeconds = 0.4;

    /// <summary>Frames on each side of a dip whose median level it is measured against (≈ 0.93 s).</summary>
    public const int DipContextFrames = 40;

    /// <summary>Frames after a dip that must have been heard before it counts (≈ 0.23 s).</summary>
    public const int DipAfterFrames = 10;

    /// <summary>A frame this many dB below the median level around it is a dip: the music faded out and in there.</summary>
    public const double DipDepthDb = 20;

    /// <summary>
    /// A dip this many dB below the median level on both sides is a gap between two pieces (the digital silence of a
    /// track change, a fade to the noise floor): the quiet moments inside one piece the dips find lie 20–25 dB below
    /// their sides, the gaps between tracks about 40–110 dB (docs/segmentation.md).
    /// </summary>
    public const double GapDepthDb = 30;

    private readonly float[] _levels;
    private readonly float[] _levelScratch = new float[(2 * DipContextFrames) + 1];
    private readonly double _frameSeconds;
    private readonly double _frameOffsetSeconds;

    /// <param name="capacity">Frames of level kept (the frame ring's capacity).</param>
    /// <param name="frameSeconds">Seconds between frames.</param>
    /// <param name="frameOffsetSeconds">Time of the split before frame f is f·frameSeconds + this.</param>
    public LevelDips(int capacity, double frameSeconds, double frameOffsetSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _levels = new float[capacity];
        _frameSeconds = frameSeconds;
        _frameOffsetSeconds = frameOffsetSeconds;
    }

    /// <summary>Frames of level kept.</summary>
    public int Capacity => _levels.Length;

    /// <summary>The level of frame <paramref name="frame"/> (absolute index, in stream order) from the mean square of its samples.</summary>
    public void Add(long frame, double meanSquare) =>
        _levels[frame % _levels.Length] = (float)(10 * Math.Log10(Math.Max(meanSquare, 1e-12)));

    /// <summary>
    /// <paramref name="time"/>, or the centre of the dip near it, when <paramref name="frameCount"/> frames have been added:
    /// time unchanged when the search or its context reaches outside the frames kept, or no frame is deep enough.
    /// </summary>
    public double AtDip(double time, long frameCount) => AtDip(time, frameCount, out _);

    /// <summary>
    /// <see cref="AtDip(double, long)"/>, and how far the dip lies below the quieter of its two sides' median levels
    /// (<paramref name="depthDb"/>; 0 when time is unchanged): at least <see cref="GapDepthDb"/> is a gap between two
    /// pieces, not a quiet moment inside one.
    /// </summary>
    public double AtDip(double time, long frameCount, out double depthDb)
    {
        depthDb = 0;
        var centre = (long)Math.Round((time - _frameOffsetSeconds) / _frameSeconds);
        var reach = (long)(DipSearchSeconds / _frameSeconds);
        var oldest = Math.Max(0, frameCount - _levels.Length);
        var newest = frameCount - 1;
        if (centre - reach - DipContextFrames < oldest || centre + reach > newest)
        {
            return time;
        }

        var dip = centre - reach;
        for (var f = centre - reach; f <= Math.Min(centre + reach, newest - DipAfterFrames); f++)
        {
            if (_levels[f % _levels.Length] < _levels[dip % _levels.Length])
            {
                dip = f;
            }
        }

        // quiet against both sides: the level before it, and what has been heard after it (at least DipAfterFrames)
        var after = (int)Math.Min(DipContextFrames, newest - dip);
        if (after < DipAfterFrames)
        {
            return time;
        }

        var level = _levels[dip % _levels.Length];
        var depth = Math.Min(MedianLevel(dip - DipContextFrames, DipContextFrames), MedianLevel(dip + 1, after)) - level;
        if (depth < DipDepthDb)
        {
            return time;
        }

        depthDb = depth;
        return (dip * _frameSeconds) + _frameOffsetSeconds;
    }

    private float MedianLevel(long first, int count)
    {
        var context = _levelScratch.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            context[i] = _levels[(first + i) % _levels.Length];
        }

        context.Sort();
        return context[count / 2];
    }
}
