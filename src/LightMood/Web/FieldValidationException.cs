using System.Text.Json;
using LightMood.Lighting.Fixtures;

namespace LightMood.Web;

/// <summary>
/// A request whose fields are wrong: <see cref="Errors"/> maps each field's path (as the request names it, e.g.
/// <c>level</c> or <c>palette.pars[1]</c>) to what is wrong with it. The API answers 400 problem details with these as
/// <c>errors</c>, so the page can show each next to its field; the message joins them for the <c>detail</c>.
/// </summary>
public sealed class FieldValidationException : ArgumentException
{
    public FieldValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join("; ", errors.SelectMany(e => e.Value.Select(m => e.Key == WholeRequest ? m : $"{e.Key}: {m}"))))
    {
        Errors = errors;
    }

    public FieldValidationException(string field, string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]> { [field] = [message] };
    }

    public FieldValidationException()
        : this(WholeRequest, "invalid request")
    {
    }

    public FieldValidationException(string message)
        : this(WholeRequest, message)
    {
    }

    public FieldValidationException(string message, Exception inner)
        : base(message, inner)
    {
        Errors = new Dictionary<string, string[]> { [WholeRequest] = [message] };
    }

    /// <summary>The key of an error about the request as a whole.</summary>
    public const string WholeRequest = "$";

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>
    /// The errors of a look that failed to load (<see cref="Lighting.Scenes.SceneLoader.ParseLook(string, string, Patch)"/>
    /// called with <paramref name="source"/>), by field path within the look: <c>source.movement.speedHz: …</c>,
    /// <c>source: $.intensity: null …</c>, or a JSON error with its path.
    /// </summary>
    public static FieldValidationException FromLook(LightingConfigException e, string source)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in e.Errors)
        {
            var (field, message) = Split(line, source, e.InnerException as JsonException);
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        return new FieldValidationException(errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
    }

    private static (string Field, string Message) Split(string line, string source, JsonException? json)
    {
        var rest = line.StartsWith(source, StringComparison.Ordinal) ? line[source.Length..] : line;
        if (rest.StartsWith('.'))
        {
            // "source.movement.speedHz: 9 is outside 0..5"
            var colon = rest.IndexOf(": ", StringComparison.Ordinal);
            return colon > 1 ? (rest[1..colon], rest[(colon + 2)..]) : (WholeRequest, rest[1..]);
        }

        rest = rest.TrimStart(':', ' ');
        if (rest.StartsWith("$.", StringComparison.Ordinal))
        {
            // "source: $.intensity: null is not allowed …"
            var colon = rest.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 2)
            {
                return (rest[2..colon], rest[(colon + 2)..]);
            }
        }

        if (json?.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal))
        {
            // a JSON error: malformed, a wrong type or an unknown member, at a path
            return (path[2..], json.Message.Split(" Path:", 2)[0]);
        }

        return (WholeRequest, rest);
    }
}
