namespace LightMood.Lighting.Fixtures;

/// <summary>
/// A lighting configuration file (patch, scenes, fixture profile) is invalid. <see cref="Errors"/> lists every problem
/// found, each naming the file, the item and the field; the message joins them.
/// </summary>
public sealed class LightingConfigException : Exception
{
    public LightingConfigException(IReadOnlyList<string> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    public LightingConfigException(string error, Exception? inner = null)
        : base(error, inner)
    {
        Errors = [error];
    }

    public LightingConfigException()
        : this("invalid lighting configuration")
    {
    }

    public LightingConfigException(string message)
        : this(message, null)
    {
    }

    public IReadOnlyList<string> Errors { get; }

    private static string Format(IReadOnlyList<string> errors) =>
        errors.Count == 1 ? errors[0] : $"{errors.Count} errors:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
}
