using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightMood.Hosting;

/// <summary>
/// One options section's validator: the options class's own rules (named-constant ranges, one line per failure naming
/// the key), every failure at once. Registered with <c>ValidateOnStart</c>; the daemon also runs it when it builds, so a
/// bad setting is reported before anything starts, together with every other section's failures (exit code 2).
/// </summary>
public sealed class SectionValidator<T>(Func<T, IEnumerable<string>> rules) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = rules(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The failures for <paramref name="options"/> (empty when valid).</summary>
    public IEnumerable<string> Failures(T options) => Validate(Options.DefaultName, options).Failures ?? [];
}

/// <summary>The daemon's options registered the standard way: bound from their section, validated, checked at start.</summary>
public static class SettingsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/>, applies <paramref name="postConfigure"/> (the state
    /// directory's paths), registers <paramref name="validator"/> and validates on start.
    /// </summary>
    public static IServiceCollection AddValidatedSettings<T>(
        this IServiceCollection services, IConfiguration configuration, string section, SectionValidator<T> validator, Action<T>? postConfigure = null)
        where T : class
    {
        var options = services.AddOptions<T>().Bind(configuration.GetSection(section));
        if (postConfigure is not null)
        {
            options.PostConfigure(postConfigure);
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(validator);
        return services;
    }
}
