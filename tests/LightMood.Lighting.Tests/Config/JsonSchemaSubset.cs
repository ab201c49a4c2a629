using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LightMood.Lighting.Tests.Config;

/// <summary>
/// A validator for the part of JSON Schema 2020-12 that config/schemas uses: type, properties, required,
/// additionalProperties (bool or schema), items, min/maxItems, minLength, pattern, enum, minimum, maximum,
/// exclusiveMinimum and local $ref (#/$defs/...). An unknown keyword fails loudly so the schemas cannot
/// silently outgrow it.
/// </summary>
internal sealed class JsonSchemaSubset
{
    private static readonly HashSet<string> Known =
    [
        "$schema", "$id", "title", "description", "$defs", "type", "properties", "required", "additionalProperties",
        "items", "minItems", "maxItems", "minLength", "pattern", "enum", "minimum", "maximum", "exclusiveMinimum", "$ref",
    ];

    private readonly JsonElement _root;

    public JsonSchemaSubset(JsonElement root) => _root = root;

    public List<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(_root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement v, string path, List<string> errors)
    {
        foreach (var kw in schema.EnumerateObject())
        {
            if (!Known.Contains(kw.Name))
            {
                throw new NotSupportedException($"schema keyword '{kw.Name}' at {path} is not supported by the test validator");
            }
        }

        if (schema.TryGetProperty("$ref", out var r))
        {
            var target = _root;
            foreach (var part in r.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(part);
            }

            Check(target, v, path, errors);
        }

        if (schema.TryGetProperty("type", out var type) &&
            !(type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Any(t => TypeMatches(t.GetString()!, v)) : TypeMatches(type.GetString()!, v)))
        {
            errors.Add($"{path}: expected {type}, got {v.ValueKind}");
            return;
        }

        if (schema.TryGetProperty("enum", out var en) && !en.EnumerateArray().Any(e => JsonElement.DeepEquals(e, v)))
        {
            errors.Add($"{path}: {v} is not one of {en}");
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            var d = v.GetDouble();
            if (schema.TryGetProperty("minimum", out var min) && d < min.GetDouble())
            {
                errors.Add($"{path}: {d} < minimum {min}");
            }

            if (schema.TryGetProperty("maximum", out var max) && d > max.GetDouble())
            {
                errors.Add($"{path}: {d} > maximum {max}");
            }

            if (schema.TryGetProperty("exclusiveMinimum", out var emin) && d <= emin.GetDouble())
            {
                errors.Add($"{path}: {d} <= exclusiveMinimum {emin}");
            }
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            var s = v.GetString()!;
            if (schema.TryGetProperty("minLength", out var ml) && s.Length < ml.GetInt32())
            {
                errors.Add($"{path}: shorter than {ml}");
            }

            if (schema.TryGetProperty("pattern", out var pat) && !Regex.IsMatch(s, pat.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add($"{path}: '{s}' does not match {pat}");
            }
        }

        if (v.ValueKind == JsonValueKind.Array)
        {
            var n = v.GetArrayLength();
            if (schema.TryGetProperty("minItems", out var mi) && n < mi.GetInt32())
            {
                errors.Add($"{path}: fewer than {mi} items");
            }

            if (schema.TryGetProperty("maxItems", out var ma) && n > ma.GetInt32())
            {
                errors.Add($"{path}: more than {ma} items");
            }

            if (schema.TryGetProperty("items", out var items))
            {
                var i = 0;
                foreach (var item in v.EnumerateArray())
                {
                    Check(items, item, $"{path}[{i++}]", errors);
                }
            }
        }

        if (v.ValueKind == JsonValueKind.Object)
        {
            var props = schema.TryGetProperty("properties", out var p) ? p : default;
            if (schema.TryGetProperty("required", out var req))
            {
                foreach (var name in req.EnumerateArray())
                {
                    if (!v.TryGetProperty(name.GetString()!, out _))
                    {
                        errors.Add($"{path}: required '{name}' is missing");
                    }
                }
            }

            foreach (var prop in v.EnumerateObject())
            {
                var sub = $"{path}.{prop.Name}";
                if (props.ValueKind == JsonValueKind.Object && props.TryGetProperty(prop.Name, out var ps))
                {
                    Check(ps, prop.Value, sub, errors);
                }
                else if (schema.TryGetProperty("additionalProperties", out var ap))
                {
                    if (ap.ValueKind == JsonValueKind.False)
                    {
                        errors.Add($"{sub}: not allowed");
                    }
                    else if (ap.ValueKind == JsonValueKind.Object)
                    {
                        Check(ap, prop.Value, sub, errors);
                    }
                }
            }
        }
    }

    private static bool TypeMatches(string type, JsonElement v) => type switch
    {
        "object" => v.ValueKind == JsonValueKind.Object,
        "array" => v.ValueKind == JsonValueKind.Array,
        "string" => v.ValueKind == JsonValueKind.String,
        "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => v.ValueKind == JsonValueKind.Number,
        "integer" => v.ValueKind == JsonValueKind.Number && double.IsInteger(v.GetDouble()),
        "null" => v.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"type {type}")),
    };
}
