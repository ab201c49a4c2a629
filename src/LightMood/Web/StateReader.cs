using LightMood.Hosting;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Output.Sacn;

namespace LightMood.Web;

/// <summary>Builds the page's view (DTOs, apart from the domain types) from the state hub and the lighting engine.</summary>
public sealed class StateReader(LiveState state, LightingEngine engine, OperatorConsole console, AudioInputSelection audio, Osc.OscServer osc)
{
    public StateDto Read(int melColumns, long sentColumns = -1)
    {
        var total = state.View(0).MelColumnsTotal;
        var wanted = sentColumns < 0 ? melColumns : (int)Math.Min(melColumns, total - sentColumns);
        var view = state.View(Math.Max(wanted, 0));
        var lights = engine.GetSnapshot();
        var current = view.Current;
        // "faulted" and the fault list from one read of the stages' health, so the two never disagree
        var oldest = view.Faults.Count > 0 ? view.Faults[0] : null;
        return new StateDto(
            current?.TimeSeconds ?? 0,
            current is null ? null : new MoodDto(current.Label, current.Confidence, current.Valence, current.Arousal, current.RegionStartSeconds, current.Energy, current.TempoBpm, current.SectionStartSeconds),
            [.. view.Regions.Select(r => new RegionDto(r.StartSeconds, r.EndSeconds, r.Label, r.Confidence, r.Valence, r.Arousal))],
            [.. view.Trail.Select(p => new[] { p.Valence, p.Arousal })],
            new MelDto(view.MelColumns, LiveState.MelBands, view.MelColumnsTotal, Convert.ToBase64String(view.Mel)),
            new LightsDto(lights.Look, lights.Mood, lights.Forced, console.Mode, console.ForcedUntil, lights.Blackout, lights.Master,
                lights.Silent, oldest is not null, oldest is null ? null : $"{oldest.Stage}: {oldest.Reason}", lights.TempoBpm, lights.Frame)
            {
                House = lights.House,
                Preview = lights.Preview,
                CrossfadeS = lights.CrossfadeSeconds,
                RateHz = lights.RateHz,
                Preset = engine.Scenes.Preset,
            },
            [.. lights.Fixtures.Select(f => new FixtureDto(f.Name, f.Group, f.Universe, f.Address, f.Colour, f.Intensity) { Tint = f.Tint })],
            [.. lights.Universes.Select(u => new UniverseDto(u.Universe, u.PortAddress, u.SacnUniverse, Convert.ToBase64String(u.Slots)))],
            view.Faults.ToDictionary(f => f.Stage, f => f.Reason, StringComparer.Ordinal))
        {
            Notices = view.Notices,
            Groups = Groups(),
            Audio = Audio(),
            Osc = osc.Counters,
        };
    }

    private List<GroupDto> Groups()
    {
        var overrides = engine.GetGroupOverrides().ToDictionary(o => o.Group, StringComparer.Ordinal);
        return [.. engine.Patch.Groups.Select(g => overrides.TryGetValue(g, out var o)
            ? new GroupDto(g, o.Intensity, o.Colour?.ToString())
            : new GroupDto(g, null, null))];
    }

    private AudioDto Audio()
    {
        var o = audio.Current;
        var (rms, peak) = state.InputLevel;
        return new AudioDto(o.Source.ToName(), o.Device, o.Channel, Decibels(rms), Decibels(peak));
    }

    /// <summary>dBFS, floored at −100 (silence).</summary>
    private static double Decibels(float level) => level > 1e-5f ? Math.Round(20 * Math.Log10(level), 1) : -100;
}

/// <summary>The Art-Net node table for the page: what each discovered node outputs and which of it LightMood sends.</summary>
public static class ArtNetNodeView
{
    public static IReadOnlyList<ArtNetNodeDto> Read(LightingEngine engine)
    {
        var sent = engine.GetSnapshot().Universes.Select(u => u.PortAddress).ToHashSet();
        return [.. engine.GetArtNetNodes().Select(n => new ArtNetNodeDto(
            n.Address.ToString(), n.BindIndex, n.ShortName, n.LongName, n.NodeReport, n.Style == 0 ? "node" : n.Style == 1 ? "controller" : $"style {n.Style}",
            [.. n.Outputs.Select(p => p.ToString())], [.. n.Outputs.Select(p => p.ToString()).Where(sent.Contains)], n.LastSeen))];
    }
}

/// <summary>The other sACN sources the daemon hears on its universes (<c>GET /api/sacn/sources</c>).</summary>
public static class SacnSourceView
{
    public static SacnSourcesDto Read(LightingEngine engine, LightingOptions options)
    {
        var (sources, own) = engine.GetSacnSources();
        var ours = engine.GetSnapshot().Universes.Select(u => u.SacnUniverse).ToHashSet();
        return new SacnSourcesDto(options.Sacn.Enabled && options.Sacn.ListenForSources, own, [.. sources.Select(s => new SacnSourceDto(
            s.Cid.ToString(), s.Name, s.Address.ToString(), s.Priority, s.Universes, s.Announced, [.. s.Universes.Where(ours.Contains)],
            s.State switch { SacnSourceState.Active => "active", SacnSourceState.Terminated => "terminated", SacnSourceState.TimedOut => "timed out", _ => "announced" },
            s.Priority > own && s.State == SacnSourceState.Active && s.Universes.Any(ours.Contains), s.LastSeen, s.Packets))]);
    }
}

/// <param name="Listening">The daemon listens for other sources (<c>Lighting:Sacn:Enabled</c> and <c>ListenForSources</c>).</param>
/// <param name="OwnPriority">LightMood's own sACN priority, null without sACN.</param>
public sealed record SacnSourcesDto(bool Listening, int? OwnPriority, IReadOnlyList<SacnSourceDto> Sources);

/// <param name="Universes">sACN universes it sends data on.</param>
/// <param name="Announced">Universes its universe discovery lists.</param>
/// <param name="Shared">Those of <paramref name="Universes"/> that LightMood sends too.</param>
/// <param name="State">active (data within 2.5 s), terminated (Stream_Terminated), timed out (silent 2.5 s), announced (discovery only).</param>
/// <param name="Outranks">Active at a higher priority than LightMood on a shared universe: receivers follow it there.</param>
public sealed record SacnSourceDto(string Cid, string Name, string Address, int? Priority, IReadOnlyList<int> Universes, IReadOnlyList<int> Announced,
    IReadOnlyList<int> Shared, string State, bool Outranks, DateTimeOffset LastSeen, long Packets);

/// <param name="Outputs">Port-Addresses (Net:SubNet:Universe) the node outputs.</param>
/// <param name="Receives">Those of them LightMood sends it.</param>
public sealed record ArtNetNodeDto(string Address, int BindIndex, string ShortName, string LongName, string Report, string Style,
    IReadOnlyList<string> Outputs, IReadOnlyList<string> Receives, DateTimeOffset LastSeen);

public sealed record StateDto(
    double TimeS,
    MoodDto? Mood,
    IReadOnlyList<RegionDto> Regions,
    IReadOnlyList<double[]> Trail,
    MelDto Mel,
    LightsDto Lights,
    IReadOnlyList<FixtureDto> Fixtures,
    IReadOnlyList<UniverseDto> Universes,
    IReadOnlyDictionary<string, string> Faults)
{
    /// <summary>The patch groups and their operator overrides.</summary>
    public IReadOnlyList<GroupDto> Groups { get; init; } = [];

    /// <summary>The audio input in use and its level.</summary>
    public AudioDto? Audio { get; init; }

    /// <summary>The OSC server: on or off, where, and what it received.</summary>
    public Osc.OscCountersSnapshot? Osc { get; init; }

    /// <summary>Notices that are not faults (the lights follow the music): topic → text, e.g. <c>audio: no audio</c>.</summary>
    public IReadOnlyDictionary<string, string> Notices { get; init; } = new Dictionary<string, string>();
}

/// <param name="Intensity">The group's intensity override, null when the look's applies.</param>
/// <param name="Colour">The group's colour override (#rrggbb), null when the look's applies.</param>
public sealed record GroupDto(string Name, double? Intensity, string? Colour);

/// <param name="RmsDb">The last captured block's RMS in dBFS (−100 = silence).</param>
/// <param name="PeakDb">Its peak in dBFS.</param>
public sealed record AudioDto(string Source, string? Device, int Channel, double RmsDb, double PeakDb);

/// <param name="SectionStartS">Where the current section of the music began (stream time): a new section within one mood varies the look.</param>
public sealed record MoodDto(string Mood, double Confidence, double Valence, double Arousal, double RegionStartS, double Energy, double? TempoBpm, double SectionStartS);

public sealed record RegionDto(double StartS, double EndS, string Mood, double Confidence, double Valence, double Arousal);

/// <summary>The newest mel columns, oldest first, bands low to high, one byte each (−100..+20 dB).</summary>
public sealed record MelDto(int Columns, int Bands, long Total, string Data);

public sealed record LightsDto(string Look, string? Mood, bool Forced, string Mode, DateTimeOffset? ForcedUntil, bool Blackout,
    double Master, bool Silent, bool Faulted, string? FaultReason, double? TempoBpm, long Frame)
{
    /// <summary>House lights on.</summary>
    public bool House { get; init; }

    /// <summary>An unsaved look is on the rig for preview.</summary>
    public bool Preview { get; init; }

    /// <summary>The crossfade between looks, seconds.</summary>
    public double CrossfadeS { get; init; }

    /// <summary>Frames per second the engine renders: the most often a control change can show.</summary>
    public double RateHz { get; init; }

    /// <summary>The show preset shown (switched from the page, the API or OSC).</summary>
    public string Preset { get; init; } = "";
}

/// <param name="Colour">What it emits now (#rrggbb, colour × intensity × master).</param>
/// <param name="Intensity">Effective intensity 0..1.</param>
public sealed record FixtureDto(string Name, string Group, int Universe, int Address, string Colour, double Intensity)
{
    /// <summary>The look's colour before intensity (#rrggbb), so a dim look still shows its hue.</summary>
    public string Tint { get; init; } = "#000000";
}

/// <summary>One universe's 512 slots, base64.</summary>
public sealed record UniverseDto(int Universe, string PortAddress, int SacnUniverse, string Slots);
