using LightMood.Lighting.Output;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Output.Sacn;

namespace LightMood.Lighting.Engine;

/// <summary>What the outputs show on shutdown and on a fault.</summary>
public enum SafeLook
{
    /// <summary>Keep sending the last frame.</summary>
    Hold,

    /// <summary>Intensity (HTP) channels to zero; pan/tilt and other LTP channels keep their values.</summary>
    Blackout,

    /// <summary>The scenes file's house-light look.</summary>
    House,
}

/// <summary>
/// The <c>Lighting</c> section of appsettings.json. Ranges are named constants; <see cref="Validate"/> reports every
/// failure at once, one line per key. The daemon wraps it in an <c>IValidateOptions</c> (<c>SectionValidator</c>,
/// registered with <c>ValidateOnStart</c>) and also runs it when it builds, with the other sections' validators, so it
/// exits 2 listing every bad setting before anything starts.
/// </summary>
public sealed class LightingOptions
{
    public const string SectionName = "Lighting";
    public const double MinRateHz = 1;
    public const double MaxRateHz = 44;
    public const double DefaultRateHz = 40;

    /// <summary>Frames per second for every universe (1..44; DMX512's practical refresh limit is 44).</summary>
    public double RateHz { get; set; } = DefaultRateHz;

    /// <summary>Patch file (relative to the content root).</summary>
    public string PatchFile { get; set; } = "config/patch.json";

    /// <summary>Scenes file (relative to the content root; the daemon resolves it in its state directory and seeds it from config/scenes.json).</summary>
    public string ScenesFile { get; set; } = "config/scenes.json";

    /// <summary>
    /// Look on shutdown and on a fault: hold (the default: keep the last look, as consoles and nodes do, so a fault
    /// never darkens a show), blackout (intensity to 0, positions kept) or house (the house look).
    /// </summary>
    public SafeLook SafeLook { get; set; } = SafeLook.Hold;

    /// <summary>
    /// SCHED_FIFO priority (1..99) the render thread asks for on Linux, 0 = none (the default). Only that thread: the
    /// thread pool, GC, ONNX Runtime and Kestrel stay at normal priority. Needs <c>LimitRTPRIO=</c> (systemd) or
    /// CAP_SYS_NICE; refused, it is logged once and the thread renders at normal priority.
    /// </summary>
    public int RealtimePriority { get; set; }

    /// <summary>Grand master 0..1 at start.</summary>
    public double Master { get; set; } = 1.0;

    /// <summary>Seconds added to beat times (compensates audio→light latency), −1..1.</summary>
    public double BeatOffsetSeconds { get; set; }

    /// <summary>Time constant (s) of the low-pass on valence and arousal (0 = none, up to 30): bursty estimates do not flicker the rig.</summary>
    public double ModulationSmoothingSeconds { get; set; } = 1.0;

    public ArtNetOptions ArtNet { get; set; } = new();

    public SacnOptions Sacn { get; set; } = new();

    /// <summary>Every problem, each naming its key (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var p = SectionName;
        if (!(RateHz >= MinRateHz && RateHz <= MaxRateHz))
        {
            errors.Add($"{p}:RateHz {RateHz} is outside {MinRateHz}..{MaxRateHz}");
        }

        if (string.IsNullOrWhiteSpace(PatchFile))
        {
            errors.Add($"{p}:PatchFile is empty");
        }

        if (string.IsNullOrWhiteSpace(ScenesFile))
        {
            errors.Add($"{p}:ScenesFile is empty");
        }

        if (!Enum.IsDefined(SafeLook))
        {
            errors.Add($"{p}:SafeLook '{SafeLook}' is not hold, blackout or house");
        }

        if (RealtimePriority is < 0 or > 99)
        {
            errors.Add($"{p}:RealtimePriority {RealtimePriority} is outside 0..99 (0 = normal priority)");
        }

        if (!(Master is >= 0 and <= 1))
        {
            errors.Add($"{p}:Master {Master} is outside 0..1");
        }

        if (!(BeatOffsetSeconds is >= -1 and <= 1))
        {
            errors.Add($"{p}:BeatOffsetSeconds {BeatOffsetSeconds} is outside -1..1");
        }

        if (!(ModulationSmoothingSeconds is >= 0 and <= 30))
        {
            errors.Add($"{p}:ModulationSmoothingSeconds {ModulationSmoothingSeconds} is outside 0..30");
        }

        ArtNet.Validate($"{p}:ArtNet", errors);
        Sacn.Validate($"{p}:Sacn", errors);
        return errors;
    }
}
