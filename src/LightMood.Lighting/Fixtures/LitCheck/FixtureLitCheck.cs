using System.Diagnostics;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Fixtures.LitCheck;

/// <summary>One mode that failed the check in some mood.</summary>
/// <param name="File">Definition file, relative to the library folder.</param>
/// <param name="Mode">Mode name.</param>
/// <param name="Mood">The mood whose look failed.</param>
/// <param name="Problem">What: dark (and which channel), colour off (by how much), or a macro overriding the mix.</param>
public sealed record LitCheckFailure(string File, string Mode, string Mood, string Problem);

/// <summary>The counts of a lit-check over a fixture library (modes; a mode counts as passed when every mood passed).</summary>
/// <remarks><see cref="LitByInference"/>: lit modes that are lit only because a range named closed was read as
/// something else (<see cref="ModeReading.Read"/>: an LED strobe channel's bottom range, a programme's "Blackout"
/// beside emitters, a reset channel). <see cref="StrobeLights"/>: dark modes of strobe lights (QLC+ type
/// <c>Strobe</c>), which give light only by flashing (counted in <see cref="DarkByDefinition"/> too);
/// <see cref="StrobeLightsFlashing"/>: those of them that flash, decoded lit, in a strobing look (tense at arousal 1).
/// <see cref="Inferences"/>: each such reading (its Problem says which range and why), once per mode.</remarks>
public sealed record LitCheckReport(
    string Folder,
    int Files,
    int ImportFailures,
    int Modes,
    int Checked,
    int NoLightChannels,
    int Lit,
    int Dark,
    int DarkByDefinition,
    int Mixing,
    int MixingWithin,
    int Wheel,
    int WheelNearest,
    int NoColourSystem,
    int WithUnknownRanges,
    int LitByInference,
    int StrobeLights,
    int StrobeLightsFlashing,
    double ColourTolerance,
    TimeSpan Took,
    IReadOnlyList<LitCheckFailure> Failures,
    IReadOnlyList<LitCheckFailure> Inferences)
{
    /// <summary>
    /// True when every dark mode is dark by its definition (a channel with only closed, strobe or program ranges),
    /// i.e. no mode is dark by a value LightMood chose. The colour results are reported, not judged here.
    /// </summary>
    public bool NoneDarkByLightMood => Dark == DarkByDefinition;
}

/// <summary>
/// The lit-check: every mode of every QLC+ definition in a folder that has an intensity, shutter or colour channel is
/// patched alone (a moving head in the scenes' <c>movers</c> group, anything else in <c>pars</c>), each mood's look
/// is rendered through <see cref="LightingEngine"/> (forced mood, no crossfade, no beat), and the DMX is decoded back
/// through the definition's own capabilities (<see cref="ModeReading"/>): lit means no channel sits in a closed /
/// blackout / off range and the light output is above 0; the colour of a mixing mode must be within
/// <see cref="ColourTolerance"/> of the look's colour (both normalised to their brightest component, Euclidean in
/// RGB), a wheel-only mode must sit on the slot nearest to it, and a mixing mode must not leave a colour macro on.
/// </summary>
public static class FixtureLitCheck
{
    /// <summary>Largest accepted distance between the look's and the decoded colour (normalised RGB; √3 is the most).</summary>
    public const double ColourTolerance = 0.2;

    private static readonly Mood[] Moods = [Mood.Happy, Mood.Tense, Mood.Sad, Mood.Calm];

    /// <param name="folder">A QLC+ fixture folder (e.g. /usr/share/qlcplus/fixtures), searched recursively.</param>
    /// <param name="scenes">The looks to render (the shipped config/scenes.json).</param>
    /// <param name="sample">Check every n-th definition only (1 = all), for a quick run.</param>
    public static LitCheckReport Run(string folder, SceneBook scenes, int sample = 1)
    {
        var sw = Stopwatch.StartNew();
        var files = Directory.GetFiles(folder, "*.qxf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Where((_, i) => i % sample == 0).ToList();
        scenes = scenes with { CrossfadeSeconds = 0 };
        var options = new LightingOptions { ModulationSmoothingSeconds = 0 };
        options.ArtNet.Enabled = false;
        int importFailures = 0, modes = 0, checkedModes = 0, noLight = 0, lit = 0, dark = 0, darkByDefinition = 0, mixing = 0, mixingOk = 0, wheel = 0, wheelOk = 0, plain = 0, unknown = 0, inferred = 0, strobeLights = 0, flashing = 0;
        var failures = new List<LitCheckFailure>();
        var inferences = new List<LitCheckFailure>();
        var frame = new byte[512];
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(folder, file);
            FixtureProfile profile;
            try
            {
                profile = QxfImporter.Load(file);
            }
            catch (LightingConfigException)
            {
                importFailures++;
                continue;
            }

            var raw = QxfDefinition.Load(file);
            foreach (var mode in profile.Modes)
            {
                modes++;
                var rawMode = raw?.Modes.FirstOrDefault(m => m.Name == mode.Name).Channels;
                if (rawMode is null || rawMode.Count != mode.Footprint || !rawMode.Any(c => c.Role is "dimmer" or "red" or "green" or "blue" or "white" or "emitter" or "cyan" or "magenta" or "yellow" or "hue" or "shutter" or "colour"))
                {
                    noLight++;
                    continue;
                }

                checkedModes++;
                var moving = mode.Has(ChannelKind.Pan) || mode.Has(ChannelKind.Tilt);
                var patch = new Patch([new PatchedFixture("lit-check", profile, mode, 0, 1, moving ? "movers" : "pars", 0, 0)]);
                using var engine = new LightingEngine(patch, scenes, options, []);
                bool allLit = true, colourOk = true, anyUnknown = false, byDefinition = true, anyInferred = false;
                var system = ColourSystem.None;
                foreach (var mood in Moods)
                {
                    engine.ForceMood(mood);
                    engine.RenderFrame();
                    engine.CopyFrame(0, frame);
                    var reading = ModeReading.Read(rawMode, frame.AsSpan(0, mode.Footprint), raw!.Type);
                    if (reading.LitByInference && !anyInferred)
                    {
                        inferences.Add(new LitCheckFailure(relative, mode.Name, mood.ToName(), string.Join("; ", reading.Inferred!)));
                    }

                    anyInferred |= reading.LitByInference;
                    var wanted = Rgb.TryParse(engine.GetSnapshot().Fixtures[0].Colour, out var want) ? want : Rgb.White;
                    system = reading.System;
                    anyUnknown |= reading.Unknown.Count > 0;
                    if (!reading.Lit)
                    {
                        allLit = false;
                        byDefinition &= reading.DarkByDefinition;
                        failures.Add(new LitCheckFailure(relative, mode.Name, mood.ToName(),
                            (reading.DarkByDefinition ? "dark by definition (no open range): " : "dark: ") + reading.Dark));
                        continue;
                    }

                    var problem = ColourProblem(reading, wanted, rawMode);
                    if (problem is not null)
                    {
                        colourOk = false;
                        failures.Add(new LitCheckFailure(relative, mode.Name, mood.ToName(), problem));
                    }
                }

                lit += allLit ? 1 : 0;
                dark += allLit ? 0 : 1;
                darkByDefinition += !allLit && byDefinition ? 1 : 0;
                if (!allLit && byDefinition && raw!.Type == "Strobe")
                {
                    // a strobe light: dark in steady looks by design; it must flash when a look strobes
                    strobeLights++;
                    engine.UpdateMood(new MoodState(0, Mood.Tense, 1, -0.5, 1, 0, 1, null));
                    engine.ForceMood(Mood.Tense);
                    engine.RenderFrame();
                    engine.CopyFrame(0, frame);
                    var strobing = ModeReading.Read(rawMode, frame.AsSpan(0, mode.Footprint), raw.Type);
                    flashing += strobing.Lit ? 1 : 0;
                    if (!strobing.Lit)
                    {
                        failures.Add(new LitCheckFailure(relative, mode.Name, "tense (strobing)", "a strobe light that does not flash when the look strobes: " + strobing.Dark));
                    }
                }
                inferred += allLit && anyInferred ? 1 : 0;
                unknown += anyUnknown ? 1 : 0;
                switch (system)
                {
                    case ColourSystem.Mixing:
                        mixing++;
                        mixingOk += colourOk && allLit ? 1 : 0;
                        break;
                    case ColourSystem.Wheel:
                        wheel++;
                        wheelOk += colourOk && allLit ? 1 : 0;
                        break;
                    default:
                        plain++;
                        break;
                }
            }
        }

        return new LitCheckReport(folder, files.Count, importFailures, modes, checkedModes, noLight, lit, dark, darkByDefinition, mixing, mixingOk, wheel, wheelOk, plain, unknown, inferred, strobeLights, flashing, ColourTolerance, sw.Elapsed, failures, inferences);
    }

    private static string? ColourProblem(ModeReading reading, Rgb wanted, IReadOnlyList<QxfChannel> channels)
    {
        switch (reading.System)
        {
            case ColourSystem.Mixing when reading.Override is not null:
                return "a colour macro overrides the mix: " + reading.Override;
            case ColourSystem.Mixing:
                var d = ModeReading.Distance(reading.Colour!.Value, wanted);
                return d <= ColourTolerance ? null : $"colour {reading.Colour} is {d:0.00} from the look's {ModeReading.Normalise(wanted)}";
            case ColourSystem.Wheel:
                var best = channels.Where(c => c.Role == "colour").SelectMany(c => c.Capabilities).Select(c => c.Colour).OfType<Rgb>()
                    .Min(c => ModeReading.Distance(c, wanted));
                var got = ModeReading.Distance(reading.Colour!.Value, wanted);
                return got <= best + 1e-9 ? null : $"wheel at {reading.Colour} ({got:0.00} from the look's colour), while a slot {best:0.00} away exists";
            default:
                return null;
        }
    }
}
