using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Workspace;

/// <summary>A function (or virtual-console widget) of the workspace that was not carried over, and why.</summary>
public sealed record WorkspaceSkip(string Name, string Type, string Why);

/// <summary>A workspace fixture as patched: the patch file's fields (address counted from 1) and its profile.</summary>
public sealed record WorkspacePatchEntry(int QlcId, string Name, FixtureProfile Profile, string Mode, int Universe, int Address, string Group, bool Moves);

/// <summary>A scene: channel values per patch fixture name, channels counted from 1 within the fixture.</summary>
public sealed record WorkspaceScene(string Name, IReadOnlyDictionary<string, IReadOnlyDictionary<int, byte>> Channels);

/// <summary>A chase of scenes (by their library names), with the chaser's hold and fade-in in seconds.</summary>
public sealed record WorkspaceChase(string Name, IReadOnlyList<string> Steps, double HoldSeconds, double FadeSeconds, double StepsPerBeat = 0);

/// <summary>What a workspace import gives: the patch, the profiles it names, the scenes and chases, what was left out.</summary>
/// <param name="Warnings">Things imported with a loss, or fixtures left out (a definition not found): one line each.</param>
public sealed record WorkspaceImportResult(
    IReadOnlyList<WorkspacePatchEntry> Fixtures,
    IReadOnlyList<FixtureProfile> Profiles,
    IReadOnlyList<WorkspaceScene> Scenes,
    IReadOnlyList<WorkspaceChase> Chases,
    IReadOnlyList<WorkspaceSkip> Skipped,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Turns a <see cref="QlcWorkspace"/> into a LightMood patch, profiles and a scene library. Fixtures: each workspace
/// fixture's definition is looked up by <c>Manufacturer/Model</c>, first among the <c>.qxf</c> files next to the
/// workspace, then in the QLC+ library folders (recursively, through <see cref="FixtureLibrary"/>), and converted by
/// <see cref="QxfImporter"/>; QLC+'s built-in generic dimmer (Generic/Generic, no definition) becomes a
/// <c>Generic/Dimmer Nch</c> profile of N intensity channels. The group is the first workspace fixture group that
/// holds the fixture, else one named for the definition's QLC+ type (<see cref="GroupForType"/>). Scenes and chasers:
/// WorkspaceImport.Scenes.cs. The import never throws for a fixture it cannot carry: it is left out with a warning.
/// </summary>
public static partial class WorkspaceImport
{
    public const string DefaultQlcLibrary = "/usr/share/qlcplus/fixtures";

    /// <summary>Imports <paramref name="workspace"/>, read from <paramref name="workspacePath"/> (its folder is searched for definitions first).</summary>
    public static WorkspaceImportResult Run(QlcWorkspace workspace, string workspacePath, IReadOnlyList<string> qlcFolders)
    {
        var warnings = new List<string>();
        var fixtures = PatchFixtures(workspace, workspacePath, qlcFolders, warnings);
        var profiles = fixtures.Select(f => f.Profile).DistinctBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToList();
        var (scenes, chases, skipped) = Functions(workspace, fixtures, warnings);
        return new WorkspaceImportResult(fixtures, profiles, scenes, chases, skipped, warnings);
    }

    /// <summary>
    /// The group a fixture of this QLC+ type (the definition's <c>&lt;Type&gt;</c>) is patched in when no workspace
    /// fixture group holds it. <c>pars</c> and <c>movers</c> are the shipped looks' groups.
    /// </summary>
    public static string GroupForType(string? type) => type switch
    {
        "Color Changer" => "pars",
        "Moving Head" => "movers",
        "Scanner" => "scanners",
        "Dimmer" => "dimmers",
        "Strobe" => "strobes",
        "Flower" or "Effect" => "effects",
        "LED Bar (Beams)" or "LED Bar (Pixels)" => "bars",
        "Laser" => "lasers",
        "Smoke" or "Hazer" => "atmospherics",
        _ => "other",
    };

    private static List<WorkspacePatchEntry> PatchFixtures(QlcWorkspace workspace, string workspacePath, IReadOnlyList<string> qlcFolders, List<string> warnings)
    {
        var library = new FixtureLibrary();
        var folder = Path.GetDirectoryName(Path.GetFullPath(workspacePath))!;
        foreach (var file in Directory.EnumerateFiles(folder, "*.qxf").Order(StringComparer.Ordinal))
        {
            library.AddQxfFile(file);
        }

        var libraryIndexed = false;
        var profiles = new Dictionary<string, (FixtureProfile Profile, string? Type)?>(StringComparer.OrdinalIgnoreCase);
        var missing = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var entries = new List<WorkspacePatchEntry>();
        foreach (var f in workspace.Fixtures)
        {
            var what = $"fixture '{f.Name}' (ID {f.Id}, {f.Manufacturer}/{f.Model})";
            (FixtureProfile Profile, string? Type)? found;
            if (f.IsGenericDimmer)
            {
                if (f.Channels is < 1 or > 512)
                {
                    warnings.Add($"{what}: a generic dimmer of {f.Channels} channels: not imported");
                    continue;
                }

                found = (GenericDimmer(f.Channels), "Dimmer");
            }
            else
            {
                var key = $"{f.Manufacturer}/{f.Model}";
                if (missing.TryGetValue(key, out var why))
                {
                    warnings.Add($"{what}: {why}");
                    continue;
                }

                if (!profiles.TryGetValue(key, out found))
                {
                    if (library.QxfFile(key) is null && !libraryIndexed)
                    {
                        var ignored = new List<string>();
                        foreach (var q in qlcFolders.Where(Directory.Exists))
                        {
                            library.AddQxfFolder(q, ignored);
                        }

                        libraryIndexed = true;
                    }

                    found = Definition(library, key, qlcFolders, out why);
                    if (found is null)
                    {
                        missing[key] = why!;
                        warnings.Add($"{what}: {why}");
                        continue;
                    }

                    profiles[key] = found;
                }
            }

            if (found is not { } p)
            {
                continue;
            }

            var mode = f.IsGenericDimmer ? p.Profile.Modes[0] : p.Profile.FindMode(f.Mode);
            if (mode is null)
            {
                warnings.Add($"{what}: mode '{f.Mode}' is not a mode of its definition (modes: {string.Join(", ", p.Profile.Modes.Select(m => m.Name))}): not imported");
                continue;
            }

            if (f.Channels > 0 && f.Channels != mode.Footprint)
            {
                warnings.Add($"{what}: the workspace patches {f.Channels} channels, mode '{mode.Name}' has {mode.Footprint}: patched with {mode.Footprint}");
            }

            if (f.Address + mode.Footprint > 512)
            {
                warnings.Add($"{what}: address {f.Address + 1} + {mode.Footprint} channels runs past slot 512: not imported");
                continue;
            }

            var group = workspace.FixtureGroups.FirstOrDefault(g => g.FixtureIds.Contains(f.Id)) is { } wg
                ? (string.IsNullOrWhiteSpace(wg.Name) ? $"group {wg.Id}" : wg.Name.Trim())
                : GroupForType(p.Type);
            var moves = mode.Has(ChannelKind.Pan) || mode.Has(ChannelKind.Tilt);
            entries.Add(new WorkspacePatchEntry(f.Id, Unique(f.Name, names), p.Profile, mode.Name, f.Universe, f.Address + 1, group, moves));
        }

        return entries;
    }

    private static (FixtureProfile, string?)? Definition(FixtureLibrary library, string key, IReadOnlyList<string> qlcFolders, out string? why)
    {
        why = null;
        var file = library.QxfFile(key);
        if (file is null)
        {
            why = $"no definition of {key} next to the workspace or in {string.Join(", ", qlcFolders)}: not imported, its scene values dropped";
            return null;
        }

        try
        {
            return (QxfImporter.Load(file), QxfImporter.PeekType(file));
        }
        catch (LightingConfigException e)
        {
            why = $"its definition {file} cannot be imported ({string.Join("; ", e.Errors)}): not imported";
            return null;
        }
    }

    /// <summary>QLC+'s generic dimmer of <paramref name="channels"/> channels as a profile: <c>Generic/Dimmer Nch</c>, mode <c>Nch</c>.</summary>
    public static FixtureProfile GenericDimmer(int channels) =>
        new("Generic", $"Dimmer {channels}ch", [new FixtureMode($"{channels}ch", Enumerable.Range(1, channels).Select(i => new FixtureChannel($"Dimmer {i}", ChannelKind.Intensity)).ToList())]);

    /// <summary>Seconds per step of a chase QLC+ steps by hand or tap (hold 0) when no tempo is known.</summary>
    public const double ManualHoldSeconds = 0.5;

    /// <summary>
    /// A QLC+ function name as a library scene name (1..64 characters, no '/', no control characters: a name is part
    /// of the API's paths): '/' becomes '-', control characters go, and it is cut to leave room for " (n)".
    /// </summary>
    internal static string SceneName(string qlcName)
    {
        var clean = new string([.. qlcName.Replace('/', '-').Where(c => !char.IsControl(c))]).Trim();
        clean = clean.Length > 58 ? clean[..58].TrimEnd() : clean;
        return clean.Length == 0 ? "scene" : clean;
    }

    /// <summary><paramref name="name"/>, or with " (2)", " (3)"... the first not yet taken (case-insensitive); taken now.</summary>
    internal static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{name} ({n})";
        }

        return candidate;
    }
}
