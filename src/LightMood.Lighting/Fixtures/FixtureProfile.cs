using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Fixtures;

/// <summary>One slot of a colour wheel: the DMX value that selects it and the colour it gives.</summary>
public sealed record ColourWheelSlot(byte Value, Rgb Colour);

/// <summary>A typed channel of a fixture mode.</summary>
/// <param name="Name">The channel's name in the profile.</param>
/// <param name="Kind">What it controls.</param>
/// <param name="Default">Value held when LightMood does not drive the channel (generic channels, shutter open...).</param>
/// <param name="WheelSlots">For <see cref="ChannelKind.ColourWheel"/>: the slots, else empty.</param>
/// <param name="StrobeRange">For <see cref="ChannelKind.Strobe"/>: values for "off" and slow..fast, else null.</param>
/// <param name="DimmerRange">For <see cref="ChannelKind.Intensity"/>: the values its dimmer ramp spans when they are
/// not 0..255 (a channel that also closes and strobes: "1-63 intensity 0-100 %"); intensity 0 is the channel's default.</param>
public sealed record FixtureChannel(
    string Name,
    ChannelKind Kind,
    byte Default = 0,
    IReadOnlyList<ColourWheelSlot>? WheelSlots = null,
    StrobeRange? StrobeRange = null,
    DimmerRange? DimmerRange = null)
{
    public IReadOnlyList<ColourWheelSlot> Slots => WheelSlots ?? [];
}

/// <summary>How a strobe channel maps a flash rate to DMX: <paramref name="Off"/> for no strobe, then a linear
/// ramp from <paramref name="Slow"/> (at <paramref name="SlowHz"/>) to <paramref name="Fast"/> (at <paramref name="FastHz"/>).</summary>
public sealed record StrobeRange(byte Off = 0, byte Slow = 10, byte Fast = 255, double SlowHz = 1, double FastHz = 20);

/// <summary>The values a dimmer ramp spans inside a channel that does more (0 % at <paramref name="Min"/>, 100 % at <paramref name="Max"/>).</summary>
public sealed record DimmerRange(byte Min, byte Max);

/// <summary>A mode of a fixture: the ordered channels starting at the fixture's address. Footprint = channel count.</summary>
public sealed record FixtureMode(string Name, IReadOnlyList<FixtureChannel> Channels)
{
    public int Footprint => Channels.Count;

    /// <summary>Offset (0-based) of the first channel of <paramref name="kind"/>, or −1.</summary>
    public int OffsetOf(ChannelKind kind)
    {
        for (var i = 0; i < Channels.Count; i++)
        {
            if (Channels[i].Kind == kind)
            {
                return i;
            }
        }

        return -1;
    }

    public bool Has(ChannelKind kind) => OffsetOf(kind) >= 0;
}

/// <summary>A fixture type: manufacturer, model and its modes.</summary>
public sealed record FixtureProfile(string Manufacturer, string Model, IReadOnlyList<FixtureMode> Modes)
{
    /// <summary>The key a patch names it by: <c>Manufacturer/Model</c>.</summary>
    public string Key => $"{Manufacturer}/{Model}";

    public FixtureMode? FindMode(string name) =>
        Modes.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
