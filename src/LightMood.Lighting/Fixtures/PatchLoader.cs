using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightMood.Lighting.Fixtures;

/// <summary>
/// Reads and validates a patch file (<c>config/patch.json</c>, schema <c>config/schemas/patch.schema.json</c>).
/// Every problem is collected and reported at once: unknown profile or mode, address out of 1..512, start + footprint
/// past slot 512, overlapping fixtures, universe out of range, duplicate names, missing group.
/// </summary>
public static class PatchLoader
{
    /// <summary>Loads the patch; folders in it are relative to the patch file's folder.</summary>
    /// <param name="path">The patch file.</param>
    /// <param name="library">Extra profiles (tests, imports); the file's folders are added to it.</param>
    public static Patch Load(string path, FixtureLibrary? library = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LightingConfigException($"{path}: cannot read patch: {e.Message}", e);
        }

        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", library);
    }

    public static Patch Parse(string json, string source, string baseFolder, FixtureLibrary? library = null)
    {
        PatchDto? dto;
        try
        {
            FixtureProfileJson.RejectNulls(json, source);
            dto = JsonSerializer.Deserialize<PatchDto>(json, FixtureProfileJson.Options);
        }
        catch (JsonException e)
        {
            throw new LightingConfigException($"{source}: not a valid patch: {e.Message}", e);
        }

        if (dto is null)
        {
            throw new LightingConfigException($"{source}: empty patch");
        }

        var errors = new List<string>();
        library ??= new FixtureLibrary();
        foreach (var folder in dto.ProfileFolders ?? [])
        {
            library.AddJsonFolder(Path.Combine(baseFolder, folder), errors);
        }

        foreach (var folder in dto.QlcFolders ?? [])
        {
            library.AddQxfFolder(Path.Combine(baseFolder, folder), errors);
        }

        if (dto.Fixtures is not { Count: > 0 })
        {
            errors.Add($"{source}: 'fixtures' must list at least one fixture");
            throw new LightingConfigException(errors);
        }

        var fixtures = new List<PatchedFixture>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var groupCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < dto.Fixtures.Count; i++)
        {
            var f = dto.Fixtures[i];
            var where = $"{source}: fixtures[{i}] '{f.Name}'";
            var ok = true;
            if (string.IsNullOrWhiteSpace(f.Name))
            {
                errors.Add($"{where}: 'name' is missing");
                ok = false;
            }
            else if (!names.Add(f.Name))
            {
                errors.Add($"{where}: 'name' is used by an earlier fixture");
                ok = false;
            }

            if (string.IsNullOrWhiteSpace(f.Group))
            {
                errors.Add($"{where}: 'group' is missing");
                ok = false;
            }

            if (f.Universe is not (>= 0 and <= Patch.MaxUniverse))
            {
                errors.Add($"{where}: 'universe' {f.Universe} is outside 0..{Patch.MaxUniverse} (Art-Net Port-Address)");
                ok = false;
            }

            if (f.Address is not (>= 1 and <= 512))
            {
                errors.Add($"{where}: 'address' {f.Address} is outside 1..512");
                ok = false;
            }

            FixtureProfile? profile = null;
            FixtureMode? mode = null;
            if (string.IsNullOrWhiteSpace(f.Profile))
            {
                errors.Add($"{where}: 'profile' is missing (Manufacturer/Model)");
                ok = false;
            }
            else
            {
                var unreadable = false;
                try
                {
                    profile = library.Find(f.Profile);
                }
                catch (LightingConfigException e)
                {
                    errors.AddRange(e.Errors.Select(x => $"{where}: 'profile' {f.Profile}: {x}"));
                    ok = false;
                    unreadable = true;
                }

                if (profile is null && !unreadable)
                {
                    errors.Add($"{where}: 'profile' '{f.Profile}' is not a known fixture profile (Manufacturer/Model)");
                    ok = false;
                }

                if (profile is not null)
                {
                    mode = f.Mode is null ? null : profile.FindMode(f.Mode);
                    if (mode is null)
                    {
                        errors.Add($"{where}: 'mode' '{f.Mode}' is not a mode of {profile.Key} (modes: {string.Join(", ", profile.Modes.Select(m => m.Name))})");
                        ok = false;
                    }
                    else if (f.Address is >= 1 and <= 512 && f.Address + mode.Footprint - 1 > 512)
                    {
                        errors.Add($"{where}: 'address' {f.Address} + footprint {mode.Footprint} runs past slot 512 (last slot {f.Address + mode.Footprint - 1})");
                        ok = false;
                    }
                }
            }

            if (ok)
            {
                groupCounts.TryGetValue(f.Group!, out var n);
                groupCounts[f.Group!] = n + 1;
                fixtures.Add(new PatchedFixture(f.Name!, profile!, mode!, f.Universe!.Value, f.Address!.Value, f.Group!, fixtures.Count, n));
            }
        }

        foreach (var u in fixtures.GroupBy(f => f.Universe))
        {
            var sorted = u.OrderBy(f => f.Address).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                for (var j = i - 1; j >= 0; j--)
                {
                    if (sorted[j].LastAddress >= sorted[i].Address)
                    {
                        errors.Add($"{source}: fixture '{sorted[i].Name}' (universe {u.Key}, slots {sorted[i].Address}-{sorted[i].LastAddress}) overlaps '{sorted[j].Name}' (slots {sorted[j].Address}-{sorted[j].LastAddress}): 'address'");
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        return new Patch(fixtures);
    }

    private sealed class PatchDto
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; set; }

        public List<string>? ProfileFolders { get; set; }

        public List<string>? QlcFolders { get; set; }

        public List<FixtureDto>? Fixtures { get; set; }
    }

    private sealed class FixtureDto
    {
        public string? Name { get; set; }

        public string? Profile { get; set; }

        public string? Mode { get; set; }

        public int? Universe { get; set; }

        public int? Address { get; set; }

        public string? Group { get; set; }
    }
}
