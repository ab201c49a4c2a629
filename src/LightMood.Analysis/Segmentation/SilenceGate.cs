namespace LightMood.Analysis.Segmentation;

/// <summary>Settings of the <see cref="SilenceGate"/>.</summary>
/// <param name="ThresholdDbfs">A frame is quiet when its RMS is below this (dB relative to full scale, a full-scale sine is −3 dBFS).</param>
/// <param name="MinSilenceSeconds">Quiet frames in a row for this long are silence (shorter rests are part of the music).</param>
/// <param name="MinSoundSeconds">Frames above the threshold in a row for this long end a silence (a click does not).</param>
/// <param name="ReopenMarginDb">While silent, a frame must be this much above the threshold to count as sound (hysteresis).</param>
/// <remarks>
/// The defaults come from measurement (tools/bench/silence_levels.py, docs/analysis.md): in the 720 clips of the 4Q
/// set (real, mastered music) exactly one has frames below −60 dBFS for ≥ 1 s away from its edges — a 3.4 s digital
/// silence before its first note; the bundled demo's quietest 1 % of frames are at −24 dBFS.
/// </remarks>
public sealed record SilenceGateOptions(
    double ThresholdDbfs = -60,
    double MinSilenceSeconds = 2.0,
    double MinSoundSeconds = 0.15,
    double ReopenMarginDb = 3)
{
    public static SilenceGateOptions Default { get; } = new();
}

/// <summary>What a frame did to the <see cref="SilenceGate"/>.</summary>
public enum SilenceChange
{
    /// <summary>Nothing changed.</summary>
    None,

    /// <summary>Silence was confirmed; it began at <see cref="SilenceGate.ChangeSeconds"/>.</summary>
    Began,

    /// <summary>Sound came back at <see cref="SilenceGate.ChangeSeconds"/>.</summary>
    Ended,
}

/// <summary>
/// Decides, frame by frame, whether the audio is silence: every analysis frame's mean square goes in, and the gate
/// says when silence began (confirmed once it has lasted <see cref="SilenceGateOptions.MinSilenceSeconds"/>, dated back
/// to its first quiet frame) and when sound came back (dated to the first frame of the sound that ended it). The soft
/// cut consults it: silence is a region of its own, never one of the four moods.
/// </summary>
/// <remarks>
/// Frame f covers samples [f·hop, f·hop + length). Silence begins at the start of its first quiet frame (the first
/// frame with almost none of the music in it) and ends at the end of the first loud frame (the first frame that
/// holds the returning sound), so both edges are within a hop of where the audio changes. No allocation.
/// </remarks>
public sealed class SilenceGate
{
    private readonly double _hopSeconds;
    private readonly double _frameSeconds;
    private readonly double _quietBelow;
    private readonly double _loudAbove;
    private readonly long _minQuietFrames;
    private readonly long _minLoudFrames;
    private long _frames;
    private long _quietRun;
    private long _loudRun;

    /// <param name="hopSeconds">Seconds between the starts of consecutive frames.</param>
    /// <param name="frameSeconds">Length of one frame in seconds.</param>
    /// <param name="options">Threshold and durations.</param>
    public SilenceGate(double hopSeconds, double frameSeconds, SilenceGateOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameSeconds, hopSeconds);
        Options = options ?? SilenceGateOptions.Default;
        if (!double.IsFinite(Options.ThresholdDbfs) || Options.ThresholdDbfs > 0 ||
            !(Options.MinSilenceSeconds > 0) || !(Options.MinSoundSeconds >= 0) || !(Options.ReopenMarginDb >= 0))
        {
            throw new ArgumentException($"Invalid silence gate settings: {Options}.", nameof(options));
        }

        _hopSeconds = hopSeconds;
        _frameSeconds = frameSeconds;
        _quietBelow = Math.Pow(10, Options.ThresholdDbfs / 10);
        _loudAbove = Math.Pow(10, (Options.ThresholdDbfs + Options.ReopenMarginDb) / 10);
        _minQuietFrames = Math.Max(1, (long)Math.Ceiling(Options.MinSilenceSeconds / hopSeconds));
        _minLoudFrames = Math.Max(1, (long)Math.Ceiling(Options.MinSoundSeconds / hopSeconds));
    }

    public SilenceGateOptions Options { get; }

    /// <summary>Whether the audio is silence now (confirmed).</summary>
    public bool IsSilent { get; private set; }

    /// <summary>Whether the latest frames are quiet but not yet long enough to be silence.</summary>
    public bool QuietPending => !IsSilent && _quietRun > 0;

    /// <summary>Where the latest change happened (seconds from the start of the stream).</summary>
    public double ChangeSeconds { get; private set; }

    /// <summary>Frames seen.</summary>
    public long Frames => _frames;

    /// <summary>Feeds the next frame's mean square (its RMS²; 0 for digital silence).</summary>
    public SilenceChange Push(double meanSquare)
    {
        var frame = _frames++;
        if (!IsSilent)
        {
            _quietRun = meanSquare < _quietBelow ? _quietRun + 1 : 0;
            if (_quietRun < _minQuietFrames)
            {
                return SilenceChange.None;
            }

            IsSilent = true;
            _loudRun = 0;
            ChangeSeconds = (frame - _quietRun + 1) * _hopSeconds;
            return SilenceChange.Began;
        }

        _loudRun = meanSquare >= _loudAbove ? _loudRun + 1 : 0;
        if (_loudRun < _minLoudFrames)
        {
            return SilenceChange.None;
        }

        IsSilent = false;
        _quietRun = 0;
        ChangeSeconds = ((frame - _loudRun + 1) * _hopSeconds) + _frameSeconds;
        return SilenceChange.Ended;
    }

    /// <summary>
    /// End of stream: quiet frames that started with the stream are silence however short (a silent file is silence);
    /// a shorter quiet tail after sound is not. Returns <see cref="SilenceChange.Began"/> when that makes it silence.
    /// </summary>
    public SilenceChange Finish()
    {
        if (IsSilent || _quietRun == 0 || _quietRun != _frames)
        {
            return SilenceChange.None;
        }

        IsSilent = true;
        ChangeSeconds = 0;
        return SilenceChange.Began;
    }
}
