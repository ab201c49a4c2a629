using LightMood.Analysis;
using LightMood.Hosting;
using LightMood.Lighting.Engine;

namespace LightMood.Web;

/// <summary>Builds the page's view (DTOs, apart from the domain types) from the state hub and the lighting engine.</summary>
public sealed class StateReader(LiveState state, LightingEngine engine, OperatorConsole console)
{
    public StateDto Read(int melColumns, long sentColumns = -1)
    {
        var total = state.View(0).MelColumnsTotal;
        var wanted = sentColumns < 0 ? melColumns : (int)Math.Min(melColumns, total - sentColumns);
        var view = state.View(Math.Max(wanted, 0));
        var lights = engine.GetSnapshot();
        var current = view.Current;
        return new StateDto(
            current?.TimeSeconds ?? 0,
            current is null ? null : new MoodDto(current.Label, current.Confidence, current.Valence, current.Arousal, current.RegionStartSeconds, current.Energy, current.TempoBpm),
            [.. view.Regions.Select(r => new RegionDto(r.StartSeconds, r.EndSeconds, r.Label, r.Confidence, r.Valence, r.Arousal))],
            [.. view.Trail.Select(p => new[] { p.Valence, p.Arousal })],
            new MelDto(view.MelColumns, LiveState.MelBands, view.MelColumnsTotal, Convert.ToBase64String(view.Mel)),
            new LightsDto(lights.Look, lights.Mood, lights.Forced, console.Mode, console.ForcedUntil, lights.Blackout, lights.Master,
                lights.Silent, lights.Faulted, lights.FaultReason, lights.TempoBpm, lights.Frame),
            [.. lights.Fixtures.Select(f => new FixtureDto(f.Name, f.Group, f.Universe, f.Address, f.Colour, f.Intensity))],
            [.. lights.Universes.Select(u => new UniverseDto(u.Universe, u.PortAddress, u.SacnUniverse, Convert.ToBase64String(u.Slots)))],
            view.Faults);
    }
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
    IReadOnlyDictionary<string, string> Faults);

public sealed record MoodDto(string Mood, double Confidence, double Valence, double Arousal, double RegionStartS, double Energy, double? TempoBpm);

public sealed record RegionDto(double StartS, double EndS, string Mood, double Confidence, double Valence, double Arousal);

/// <summary>The newest mel columns, oldest first, bands low to high, one byte each (−100..+20 dB).</summary>
public sealed record MelDto(int Columns, int Bands, long Total, string Data);

public sealed record LightsDto(string Look, string? Mood, bool Forced, string Mode, DateTimeOffset? ForcedUntil, bool Blackout,
    double Master, bool Silent, bool Faulted, string? FaultReason, double? TempoBpm, long Frame);

public sealed record FixtureDto(string Name, string Group, int Universe, int Address, string Colour, double Intensity);

/// <summary>One universe's 512 slots, base64.</summary>
public sealed record UniverseDto(int Universe, string PortAddress, int SacnUniverse, string Slots);
