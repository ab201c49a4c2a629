using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Output;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightMood.Hosting;

/// <summary>The lighting side of the daemon's composition: the rig from its files, the outputs' sockets, the engine.</summary>
public static class LightingComposition
{
    /// <summary>
    /// Registers the <see cref="LightingEngine"/>: the patch and scenes files (relative to <paramref name="contentRoot"/>,
    /// profiles imported into the state directory read first), the Art-Net/sACN outputs the options enable, the
    /// host's <see cref="StageHealth"/> and clock. Built on first use (the host resolves it before anything starts,
    /// so a bad file is a start-up error).
    /// </summary>
    public static IServiceCollection AddLighting(this IServiceCollection services, LightingOptions options, string contentRoot) =>
        services.AddSingleton(sp => LoadRig(options, contentRoot, sp))
            .AddSingleton(sp => CreateEngine(options, contentRoot, sp));

    /// <summary>The patch and the show (scene library, presets) from their files, every problem at once.</summary>
    private static Rig LoadRig(LightingOptions options, string contentRoot, IServiceProvider services)
    {
        // imported profiles (fixtures import) live in the state directory; the patch's own folders are read after them
        var imported = new FixtureLibrary();
        var errors = new List<string>();
        imported.AddJsonFolder(services.GetRequiredService<DaemonPaths>().Fixtures, errors);
        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        return Rig.Load(options, contentRoot, imported);
    }

    private static LightingEngine CreateEngine(LightingOptions options, string contentRoot, IServiceProvider services)
    {
        var rig = services.GetRequiredService<Rig>();
        var time = services.GetRequiredService<TimeProvider>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var outputs = DmxOutputs.Open(options, rig.Patch.Universes, contentRoot, time, loggers);
        return new LightingEngine(rig.Patch, rig.Scenes, options, outputs, time, loggers.CreateLogger<LightingEngine>(), services.GetRequiredService<StageHealth>());
    }
}
