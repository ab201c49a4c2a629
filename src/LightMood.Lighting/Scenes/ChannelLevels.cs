using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>
/// A static channel scene (a QLC+ scene, a console's cue): raw DMX values for named channels of named fixtures, shown
/// as they are: no valence/arousal modulation, no beat pulse, no chase. Every other channel of the rig takes its safe
/// default, what the engine writes for a dark look (intensity and emitters 0, pan and tilt centred, strobe open or
/// off, wheels and generic channels at the profile's <c>default</c>).
/// </summary>
/// <param name="Values">Fixture name (as in the patch) → 1-based channel number within the fixture → value 0..255.</param>
public sealed record ChannelLevels(IReadOnlyDictionary<string, IReadOnlyDictionary<int, byte>> Values)
{
    /// <summary>
    /// Every slot of the rig in patch order (fixture 0's footprint, then fixture 1's, …): the named values over the
    /// safe defaults. Made by <see cref="Bind"/> for one patch; the engine renders from it without allocating.
    /// </summary>
    internal byte[] Levels { get; private init; } = [];

    /// <summary>This scene's values over the safe defaults of every fixture of <paramref name="patch"/> (validated first).</summary>
    public ChannelLevels Bind(Patch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var levels = SafeDefaults(patch);
        var offset = 0;
        foreach (var f in patch.Fixtures)
        {
            if (Values.TryGetValue(f.Name, out var channels))
            {
                foreach (var (channel, value) in channels)
                {
                    if (channel >= 1 && channel <= f.Footprint)
                    {
                        levels[offset + channel - 1] = value;
                    }
                }
            }

            offset += f.Footprint;
        }

        return this with { Levels = levels };
    }

    /// <summary>Adds "<paramref name="where"/>.channels.…" problems: an unknown fixture, a channel outside the fixture's footprint.</summary>
    internal void Validate(string where, Patch patch, List<string> errors)
    {
        foreach (var (name, channels) in Values)
        {
            var fixture = patch.Fixtures.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
            if (fixture is null)
            {
                errors.Add($"{where}.channels.{name}: fixture '{name}' is not in the patch");
                continue;
            }

            foreach (var channel in channels.Keys.Where(c => c < 1 || c > fixture.Footprint))
            {
                errors.Add($"{where}.channels.{name}.{channel}: channel {channel} is outside 1..{fixture.Footprint} ({fixture.Profile.Key}, mode {fixture.Mode.Name})");
            }
        }
    }

    /// <summary>The slots the engine writes for a dark look with centred positions, per fixture in patch order.</summary>
    internal static byte[] SafeDefaults(Patch patch)
    {
        var writer = new DmxWriter(patch, new int[patch.Fixtures.Count]);
        var levels = new byte[patch.Fixtures.Sum(f => f.Footprint)];
        var dark = new FixtureAttributes { Pan = 0.5, Tilt = 0.5 };
        var offset = 0;
        for (var i = 0; i < patch.Fixtures.Count; i++)
        {
            writer.WriteFixture(i, dark, levels.AsSpan(offset, patch.Fixtures[i].Footprint));
            offset += patch.Fixtures[i].Footprint;
        }

        return levels;
    }
}

/// <summary>
/// A chase through library scenes: each step shows one scene, for <see cref="HoldSeconds"/> or, when
/// <see cref="StepsPerBeat"/> &gt; 0 and the beat clock runs, for 1/<see cref="StepsPerBeat"/> beats; a step fades into
/// the next over <see cref="FadeSeconds"/>. A step naming another chase takes that chase's steps in its place.
/// </summary>
/// <param name="Steps">The library scenes, in order (as written in the file).</param>
/// <param name="HoldSeconds">Seconds per step without a beat.</param>
/// <param name="FadeSeconds">Fade from one step to the next.</param>
/// <param name="StepsPerBeat">Steps per beat when a tempo is known; 0: always by time.</param>
public sealed record ChaseSetting(IReadOnlyList<string> Steps, double HoldSeconds = 1, double FadeSeconds = 0, double StepsPerBeat = 0)
{
    /// <summary>The steps' looks, nested chases flattened (set when the library is resolved; what the engine renders).</summary>
    public IReadOnlyList<MoodLook> Looks { get; init; } = [];
}
