namespace LightMood.Lighting.Fixtures;

/// <summary>A fixture instance in the rig.</summary>
/// <param name="Name">Unique name (shown in the web page's preview).</param>
/// <param name="Profile">Its fixture type.</param>
/// <param name="Mode">The mode it is set to.</param>
/// <param name="Universe">LightMood universe: the Art-Net Port-Address (0..32767, Net&lt;&lt;8 | SubNet&lt;&lt;4 | Universe);
/// sACN universes are mapped from it by the output options.</param>
/// <param name="Address">DMX start address 1..512.</param>
/// <param name="Group">The group scenes address it by.</param>
/// <param name="Index">Position in the patch (0-based).</param>
/// <param name="IndexInGroup">Position within its group (0-based), used by chases and movement spread.</param>
public sealed record PatchedFixture(string Name, FixtureProfile Profile, FixtureMode Mode, int Universe, int Address, string Group, int Index, int IndexInGroup)
{
    public int Footprint => Mode.Footprint;

    /// <summary>Last slot (1-based) the fixture uses.</summary>
    public int LastAddress => Address + Mode.Footprint - 1;
}

/// <summary>The rig: validated fixture instances, the universes they use (sorted) and their groups.</summary>
public sealed class Patch
{
    public const int MaxUniverse = 32767;

    public Patch(IReadOnlyList<PatchedFixture> fixtures)
    {
        Fixtures = fixtures;
        Universes = fixtures.Select(f => f.Universe).Distinct().Order().ToArray();
        Groups = fixtures.Select(f => f.Group).Distinct(StringComparer.Ordinal).ToArray();
        GroupSizes = Groups.ToDictionary(g => g, g => fixtures.Count(f => f.Group == g), StringComparer.Ordinal);
    }

    public IReadOnlyList<PatchedFixture> Fixtures { get; }

    public IReadOnlyList<int> Universes { get; }

    public IReadOnlyList<string> Groups { get; }

    public IReadOnlyDictionary<string, int> GroupSizes { get; }

    /// <summary>Art-Net's Net:SubNet:Universe notation of a LightMood universe (Port-Address), e.g. <c>0:0:1</c>.</summary>
    public static string FormatPortAddress(int universe) => $"{(universe >> 8) & 0x7F}:{(universe >> 4) & 0xF}:{universe & 0xF}";
}
