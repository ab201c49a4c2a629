using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>The validated rig a lighting engine renders: the patch and the show (library, presets) checked against it.</summary>
public sealed record Rig(Patch Patch, LightingShow Show)
{
    /// <summary>The active preset's looks: what the engine starts with.</summary>
    public SceneBook Scenes => Show.Book;

    /// <summary>
    /// Loads and validates the patch and scenes files the options name (relative to <paramref name="contentRoot"/>);
    /// every error at once in a <see cref="LightingConfigException"/>, the options' own errors first.
    /// <paramref name="library"/> holds profiles from outside the patch's own folders (the daemon's imported
    /// fixtures); a profile in the patch's folders replaces one of the same name.
    /// </summary>
    public static Rig Load(LightingOptions options, string contentRoot, FixtureLibrary? library = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        var patch = PatchLoader.Load(Path.Combine(contentRoot, options.PatchFile), library);
        return new Rig(patch, SceneLoader.LoadShow(Path.Combine(contentRoot, options.ScenesFile), patch));
    }
}
