using System.Text.Json;
using System.Text.Json.Serialization;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Fixtures;

/// <summary>
/// The JSON form of a <see cref="FixtureProfile"/> (<c>config/fixtures/*.json</c>, schema
/// <c>config/schemas/fixture.schema.json</c>): channels listed inline per mode, kinds by their snake_case names.
/// </summary>
public static class FixtureProfileJson
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Refuses <c>null</c> anywhere in a configuration document (the schemas allow none: a field is given or left
    /// out), naming each by its path, so that a null never reaches the loaders as a missing list or look.
    /// </summary>
    internal static void RejectNulls(string json, string source)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var errors = new List<string>();
        Walk(doc.RootElement, "$");
        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        void Walk(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Null:
                    errors.Add($"{source}: {path}: null is not allowed (give a value or leave the field out)");
                    break;
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Walk(p.Value, $"{path}.{p.Name}");
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item, $"{path}[{i++}]");
                    }

                    break;
            }
        }
    }

    /// <summary>The file a profile is written to: <c>manufacturer-model.json</c>, lower case, runs of anything but ASCII letters and digits as one '-'.</summary>
    public static string FileName(FixtureProfile profile) => Slug(profile.Manufacturer) + "-" + Slug(profile.Model) + ".json";

    private static string Slug(string text)
    {
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray();
        return string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
    }

    public static string Serialize(FixtureProfile profile)
    {
        var dto = new ProfileDto
        {
            Manufacturer = profile.Manufacturer,
            Model = profile.Model,
            Modes = profile.Modes.Select(m => new ModeDto
            {
                Name = m.Name,
                Channels = m.Channels.Select(c => new ChannelDto
                {
                    Name = c.Name,
                    Kind = c.Kind.ToName(),
                    Default = c.Default == 0 ? null : c.Default,
                    Wheel = c.Slots.Count == 0 ? null : c.Slots.Select(s => new WheelSlotDto { Value = s.Value, Colour = s.Colour.ToString() }).ToList(),
                    Strobe = c.StrobeRange is { } s ? new StrobeDto { Off = s.Off, Slow = s.Slow, Fast = s.Fast, SlowHz = s.SlowHz, FastHz = s.FastHz } : null,
                    Dimmer = c.DimmerRange is { } r ? new DimmerDto { Min = r.Min, Max = r.Max } : null,
                }).ToList(),
            }).ToList(),
        };
        return JsonSerializer.Serialize(dto, Options) + "\n";
    }

    /// <summary>Reads a profile file; every problem is reported at once, each naming the file and the field.</summary>
    public static FixtureProfile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new LightingConfigException($"{path}: cannot read fixture profile: {e.Message}", e);
        }

        return Parse(text, path);
    }

    public static FixtureProfile Parse(string json, string source)
    {
        ProfileDto? dto;
        try
        {
            RejectNulls(json, source);
            dto = JsonSerializer.Deserialize<ProfileDto>(json, Options);
        }
        catch (JsonException e)
        {
            throw new LightingConfigException($"{source}: not a valid fixture profile: {e.Message}", e);
        }

        var errors = new List<string>();
        if (dto is null)
        {
            throw new LightingConfigException($"{source}: empty fixture profile");
        }

        if (string.IsNullOrWhiteSpace(dto.Manufacturer))
        {
            errors.Add($"{source}: 'manufacturer' is missing");
        }

        if (string.IsNullOrWhiteSpace(dto.Model))
        {
            errors.Add($"{source}: 'model' is missing");
        }

        var modes = new List<FixtureMode>();
        if (dto.Modes is not { Count: > 0 })
        {
            errors.Add($"{source}: 'modes' must list at least one mode");
        }
        else
        {
            for (var m = 0; m < dto.Modes.Count; m++)
            {
                var md = dto.Modes[m];
                var where = $"{source}: modes[{m}]";
                if (string.IsNullOrWhiteSpace(md.Name))
                {
                    errors.Add($"{where}: 'name' is missing");
                }

                var channels = new List<FixtureChannel>();
                if (md.Channels is not { Count: > 0 and <= 512 })
                {
                    errors.Add($"{where} '{md.Name}': 'channels' must list 1 to 512 channels");
                }
                else
                {
                    for (var c = 0; c < md.Channels.Count; c++)
                    {
                        var ch = ParseChannel(md.Channels[c], $"{where}.channels[{c}]", errors);
                        if (ch is not null)
                        {
                            channels.Add(ch);
                        }
                    }
                }

                modes.Add(new FixtureMode(md.Name ?? "", channels));
            }
        }

        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        return new FixtureProfile(dto.Manufacturer!, dto.Model!, modes);
    }

    private static FixtureChannel? ParseChannel(ChannelDto dto, string where, List<string> errors)
    {
        var ok = true;
        if (string.IsNullOrWhiteSpace(dto.Name))
        {
            errors.Add($"{where}: 'name' is missing");
            ok = false;
        }

        if (!ChannelKinds.TryParse(dto.Kind, out var kind))
        {
            errors.Add($"{where} '{dto.Name}': 'kind' '{dto.Kind}' is not one of {string.Join(", ", ChannelKinds.All.Select(k => k.ToName()))}");
            ok = false;
        }

        if (dto.Default is < 0 or > 255)
        {
            errors.Add($"{where} '{dto.Name}': 'default' {dto.Default} is outside 0..255");
            ok = false;
        }

        var slots = new List<ColourWheelSlot>();
        if (dto.Wheel is { } wheel)
        {
            for (var i = 0; i < wheel.Count; i++)
            {
                if (wheel[i].Value is < 0 or > 255)
                {
                    errors.Add($"{where}.wheel[{i}]: 'value' {wheel[i].Value} is outside 0..255");
                    ok = false;
                }

                if (!Rgb.TryParse(wheel[i].Colour, out var colour))
                {
                    errors.Add($"{where}.wheel[{i}]: 'colour' '{wheel[i].Colour}' is not #rrggbb");
                    ok = false;
                }

                slots.Add(new ColourWheelSlot((byte)Math.Clamp(wheel[i].Value, 0, 255), colour));
            }
        }

        if (kind == ChannelKind.ColourWheel && slots.Count == 0 && ok)
        {
            errors.Add($"{where} '{dto.Name}': a colour_wheel channel needs 'wheel' slots");
            ok = false;
        }

        StrobeRange? strobe = null;
        if (dto.Strobe is { } s)
        {
            if (s.Off is < 0 or > 255 || s.Slow is < 0 or > 255 || s.Fast is < 0 or > 255)
            {
                errors.Add($"{where}.strobe: 'off', 'slow' and 'fast' must be within 0..255");
                ok = false;
            }

            if (!(s.SlowHz > 0) || !(s.FastHz >= s.SlowHz))
            {
                errors.Add($"{where}.strobe: need 0 < 'slowHz' <= 'fastHz'");
                ok = false;
            }

            strobe = new StrobeRange((byte)Math.Clamp(s.Off, 0, 255), (byte)Math.Clamp(s.Slow, 0, 255), (byte)Math.Clamp(s.Fast, 0, 255), s.SlowHz, s.FastHz);
        }

        DimmerRange? dimmer = null;
        if (dto.Dimmer is { } dr)
        {
            if (dr.Min is < 0 or > 255 || dr.Max is < 0 or > 255 || dr.Min == dr.Max)
            {
                errors.Add($"{where}.dimmer: 'min' and 'max' must be two different values within 0..255");
                ok = false;
            }

            dimmer = new DimmerRange((byte)Math.Clamp(dr.Min, 0, 255), (byte)Math.Clamp(dr.Max, 0, 255));
        }

        return ok ? new FixtureChannel(dto.Name!, kind, (byte)(dto.Default ?? 0), slots.Count == 0 ? null : slots, strobe, dimmer) : null;
    }

    private sealed class ProfileDto
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; set; }

        public string? Manufacturer { get; set; }

        public string? Model { get; set; }

        public List<ModeDto>? Modes { get; set; }
    }

    private sealed class ModeDto
    {
        public string? Name { get; set; }

        public List<ChannelDto>? Channels { get; set; }
    }

    private sealed class ChannelDto
    {
        public string? Name { get; set; }

        public string? Kind { get; set; }

        public int? Default { get; set; }

        public List<WheelSlotDto>? Wheel { get; set; }

        public StrobeDto? Strobe { get; set; }

        public DimmerDto? Dimmer { get; set; }
    }

    private sealed class DimmerDto
    {
        public int Min { get; set; }

        public int Max { get; set; } = 255;
    }

    private sealed class WheelSlotDto
    {
        public int Value { get; set; }

        public string? Colour { get; set; }
    }

    private sealed class StrobeDto
    {
        public int Off { get; set; }

        public int Slow { get; set; } = 10;

        public int Fast { get; set; } = 255;

        public double SlowHz { get; set; } = 1;

        public double FastHz { get; set; } = 20;
    }
}
