namespace LightMood.Lighting.Fixtures;

/// <summary>
/// The fixture profiles a patch may name, by <c>Manufacturer/Model</c> (case-insensitive): LightMood JSON profiles
/// from folders (<c>config/fixtures</c>) and QLC+ <c>.qxf</c> definitions from folders (Debian's
/// <c>/usr/share/qlcplus/fixtures</c>), indexed by their manufacturer and model and parsed on first use.
/// JSON profiles win over a QLC+ definition of the same name.
/// </summary>
public sealed class FixtureLibrary
{
    private readonly Dictionary<string, FixtureProfile> _profiles = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _qxfIndex = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Keys => _profiles.Keys.Concat(_qxfIndex.Keys).Distinct(StringComparer.OrdinalIgnoreCase);

    public void Add(FixtureProfile profile) => _profiles[profile.Key] = profile;

    /// <summary>Loads every <c>*.json</c> profile in <paramref name="folder"/>; problems are appended to <paramref name="errors"/>.</summary>
    public void AddJsonFolder(string folder, List<string> errors)
    {
        if (!Directory.Exists(folder))
        {
            errors.Add($"{folder}: fixture profile folder does not exist");
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                Add(FixtureProfileJson.Load(file));
            }
            catch (LightingConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }
    }

    /// <summary>Indexes every <c>.qxf</c> below <paramref name="folder"/> by manufacturer and model (parsed when first named).</summary>
    public void AddQxfFolder(string folder, List<string> errors)
    {
        if (!Directory.Exists(folder))
        {
            errors.Add($"{folder}: QLC+ fixture folder does not exist");
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.qxf", SearchOption.AllDirectories))
        {
            AddQxfFile(file);
        }
    }

    /// <summary>Indexes one <c>.qxf</c> by manufacturer and model; a definition indexed earlier under the same name wins.</summary>
    public void AddQxfFile(string file)
    {
        if (QxfImporter.PeekIdentity(file) is { } id)
        {
            _qxfIndex.TryAdd($"{id.Manufacturer}/{id.Model}", file);
        }
    }

    /// <summary>The <c>.qxf</c> file indexed for <c>Manufacturer/Model</c>, or null.</summary>
    public string? QxfFile(string key) => _qxfIndex.GetValueOrDefault(key);

    /// <summary>Finds a profile by <c>Manufacturer/Model</c>; a QLC+ definition is parsed here (may throw <see cref="LightingConfigException"/>).</summary>
    public FixtureProfile? Find(string key)
    {
        if (_profiles.TryGetValue(key, out var p))
        {
            return p;
        }

        if (_qxfIndex.TryGetValue(key, out var file))
        {
            var profile = QxfImporter.Load(file);
            _profiles[key] = profile;
            return profile;
        }

        return null;
    }
}
