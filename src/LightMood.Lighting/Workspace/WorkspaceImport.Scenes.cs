using System.Globalization;

namespace LightMood.Lighting.Workspace;

/// <summary>
/// Scenes, chasers and sequences of the workspace into library scenes and chases. A scene's values are keyed by
/// workspace fixture ID and channel from 0: they become patch fixture name and channel from 1. A chaser becomes a chase
/// when every step runs a scene (times from its <c>&lt;SpeedModes&gt;</c>: common, per step, or the steps' scenes'
/// own; Backward reversed, PingPong unfolded); a sequence (a chaser whose steps hold values for one bound scene's
/// channels) becomes a scene per step and a chase over them. Everything else is listed as skipped with its reason.
/// </summary>
public static partial class WorkspaceImport
{
    /// <summary>The shipped LightMood looks the library also holds (for the default preset): their names are taken first.</summary>
    public static readonly IReadOnlyList<string> ShippedLooks = ["happy", "tense", "sad", "calm", "silence", "house"];

    private static readonly Dictionary<string, string> WhyNotCarried = new(StringComparer.Ordinal)
    {
        ["EFX"] = "a QLC+ EFX computes pan/tilt (or dimmer/RGB) paths at run time; LightMood's looks move fixtures with their own 'movement' patterns, so there are no channel values to carry",
        ["RGBMatrix"] = "an RGB matrix is generated at run time by a QLC+ script over a fixture grid; there are no fixed channel values to carry",
        ["Collection"] = "a collection runs several functions at once; the library has no collection (put its scenes in a preset by hand)",
        ["Show"] = "a show is a timeline of functions; LightMood follows the music's mood, not a timeline",
        ["Script"] = "a QLC+ script is a program of QLC+ commands; it has no LightMood equivalent",
        ["Audio"] = "plays an audio file; LightMood drives lights only",
        ["Video"] = "plays a video file; LightMood drives lights only",
    };

    private static (List<WorkspaceScene>, List<WorkspaceChase>, List<WorkspaceSkip>) Functions(QlcWorkspace workspace, List<WorkspacePatchEntry> fixtures, List<string> warnings)
    {
        var names = new HashSet<string>(ShippedLooks, StringComparer.OrdinalIgnoreCase);
        var byId = workspace.Functions.ToDictionary(f => f.Id);
        var patched = fixtures.ToDictionary(f => f.QlcId);
        var known = workspace.Fixtures.ToDictionary(f => f.Id);
        var dropped = new Dictionary<string, int>(StringComparer.Ordinal);
        var scenes = new List<WorkspaceScene>();
        var sceneNames = new Dictionary<int, string>();
        foreach (var f in workspace.Functions.Where(f => f.Type == "Scene"))
        {
            var name = Unique(SceneName(f.Name), names);
            sceneNames[f.Id] = name;
            scenes.Add(new WorkspaceScene(name, Channels(f.Values, patched, known, dropped)));
        }

        var chases = new List<WorkspaceChase>();
        var skipped = new List<WorkspaceSkip>();
        foreach (var f in workspace.Functions.Where(f => f.Type != "Scene"))
        {
            string? why;
            if (f.Type == "Chaser")
            {
                why = Chase(f, byId, sceneNames, names, chases, warnings);
            }
            else if (f.Type == "Sequence")
            {
                why = Sequence(f, byId, patched, known, dropped, names, scenes, chases, warnings);
            }
            else
            {
                why = WhyNotCarried.GetValueOrDefault(f.Type, $"QLC+ function type '{f.Type}' is not carried over");
            }

            if (why is not null)
            {
                skipped.Add(new WorkspaceSkip(f.Name, f.Type, why));
            }
        }

        skipped.AddRange(workspace.AudioTriggers.Select(caption => new WorkspaceSkip(caption, "AudioTriggers",
            "a virtual-console audio trigger (frequency bands switching functions); LightMood's own analysis of the music drives the looks")));
        warnings.AddRange(dropped.Select(d => $"{d.Key}: {d.Value} scene value(s) dropped"));
        return (scenes, chases, skipped);
    }

    private static Dictionary<string, IReadOnlyDictionary<int, byte>> Channels(
        IEnumerable<QlcChannelValue> values, Dictionary<int, WorkspacePatchEntry> patched, Dictionary<int, QlcFixture> known, Dictionary<string, int> dropped)
    {
        var channels = new Dictionary<string, IReadOnlyDictionary<int, byte>>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            string? why = null;
            if (!patched.TryGetValue(v.FixtureId, out var fixture))
            {
                why = known.TryGetValue(v.FixtureId, out var q) ? $"fixture '{q.Name}' (ID {q.Id}) is not imported" : $"fixture ID {v.FixtureId} is not in the workspace";
            }
            else if (v.Channel >= fixture.Profile.FindMode(fixture.Mode)!.Footprint)
            {
                why = $"fixture '{fixture.Name}': channels past its {fixture.Profile.FindMode(fixture.Mode)!.Footprint}";
            }

            if (why is not null)
            {
                dropped[why] = dropped.GetValueOrDefault(why) + 1;
                continue;
            }

            if (!channels.TryGetValue(fixture!.Name, out var map))
            {
                map = new SortedDictionary<int, byte>();
                channels[fixture.Name] = map;
            }

            ((SortedDictionary<int, byte>)map)[v.Channel + 1] = v.Value;
        }

        return channels;
    }

    /// <summary>Adds the chaser as a chase; returns why not when it cannot be one.</summary>
    private static string? Chase(QlcFunction f, Dictionary<int, QlcFunction> byId, Dictionary<int, string> sceneNames, HashSet<string> names, List<WorkspaceChase> chases, List<string> warnings)
    {
        if (f.Steps.Count == 0)
        {
            return "the chaser has no steps";
        }

        for (var i = 0; i < f.Steps.Count; i++)
        {
            var id = f.Steps[i].FunctionId;
            if (!byId.TryGetValue(id, out var step))
            {
                return $"step {i + 1} runs function ID {id}, which is not in the workspace";
            }

            if (step.Type != "Scene")
            {
                return $"step {i + 1} runs '{step.Name}' ({step.Type}), not a scene: a chase steps through scenes only";
            }
        }

        var steps = f.Steps.Select(s => (s, byId[s.FunctionId].Times)).ToList();
        return AddChase(f, steps, steps.Select(s => sceneNames[s.s.FunctionId]).ToList(), names, chases, warnings);
    }

    /// <summary>A sequence: one scene per step (the bound scene's channels at 0, the step's values over them) and a chase over them.</summary>
    private static string? Sequence(
        QlcFunction f, Dictionary<int, QlcFunction> byId, Dictionary<int, WorkspacePatchEntry> patched, Dictionary<int, QlcFixture> known,
        Dictionary<string, int> dropped, HashSet<string> names, List<WorkspaceScene> scenes, List<WorkspaceChase> chases, List<string> warnings)
    {
        if (!byId.TryGetValue(f.BoundScene, out var bound) || bound.Type != "Scene")
        {
            return $"its bound scene (ID {f.BoundScene}) is not a scene of the workspace";
        }

        if (f.Steps.Count == 0)
        {
            return "the sequence has no steps";
        }

        var stepNames = new List<string>();
        for (var i = 0; i < f.Steps.Count; i++)
        {
            var values = bound.Values.Select(v => v with { Value = 0 }).ToDictionary(v => (v.FixtureId, v.Channel));
            foreach (var v in f.Steps[i].Values)
            {
                values[(v.FixtureId, v.Channel)] = v;
            }

            var name = Unique(SceneName($"{f.Name} step {i + 1}"), names);
            stepNames.Add(name);
            scenes.Add(new WorkspaceScene(name, Channels(values.Values, patched, known, dropped)));
        }

        return AddChase(f, f.Steps.Select(s => (s, bound.Times)).ToList(), stepNames, names, chases, warnings);
    }

    private static string? AddChase(QlcFunction f, List<(QlcStep Step, QlcTimes Own)> steps, List<string> stepNames, HashSet<string> names, List<WorkspaceChase> chases, List<string> warnings)
    {
        var holds = steps.Select(s => f.DurationMode switch { "PerStep" => s.Step.Times.Hold, "Default" => s.Own.Hold, _ => f.Times.Hold }).ToList();
        var fades = steps.Select(s => f.FadeInMode switch { "PerStep" => s.Step.Times.FadeIn, "Default" => s.Own.FadeIn, _ => f.Times.FadeIn }).ToList();
        if (holds.Any(h => h == QlcWorkspace.Infinite))
        {
            return "its steps advance by hand (infinite hold: a cue list); a chase needs a hold time";
        }

        var what = $"{f.Type.ToLowerInvariant()} '{f.Name}'";
        var hold = Seconds(holds, "holds", what, warnings);
        var fade = Seconds(fades.Where(x => x != QlcWorkspace.Infinite).DefaultIfEmpty(0).ToList(), "fade-ins", what, warnings);
        var stepsPerBeat = 0.0;
        if (hold == 0)
        {
            // QLC+ then steps as fast as a speed dial or a tap drives it: here the music's beat drives it
            hold = ManualHoldSeconds;
            stepsPerBeat = 1;
            warnings.Add($"{what}: hold 0 s (QLC+ steps it from a speed dial or tap): carried as one step per beat ({ManualHoldSeconds} s per step without a tempo)");
        }

        if (f.Direction == "Backward")
        {
            stepNames.Reverse();
        }

        if (f.RunOrder == "PingPong" && stepNames.Count > 2)
        {
            stepNames.AddRange(stepNames.Skip(1).Take(stepNames.Count - 2).Reverse().ToList());
        }
        else if (f.RunOrder is "Random" or "SingleShot")
        {
            warnings.Add($"{what}: run order {f.RunOrder} is carried as a loop in order (a chase loops its steps)");
        }

        chases.Add(new WorkspaceChase(Unique(SceneName(f.Name), names), stepNames, hold, fade, stepsPerBeat));
        return null;
    }

    private static double Seconds(List<long> millis, string what, string function, List<string> warnings)
    {
        if (millis.Distinct().Count() > 1)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{function}: its steps' {what} differ ({millis.Min() / 1000.0}..{millis.Max() / 1000.0} s): the chase uses their mean"));
        }

        return Math.Round(millis.Average() / 1000.0, 3);
    }
}
