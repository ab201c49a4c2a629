using LightMood.Lighting.Engine;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Output.Sacn;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Output;

/// <summary>The transports the options enable, opened for a patch's universes.</summary>
public static class DmxOutputs
{
    /// <summary>
    /// Opens the Art-Net and sACN outputs the options enable (their sockets; the sACN CID from its file, relative to
    /// <paramref name="contentRoot"/>). On a failure the ones already open are closed again before it throws.
    /// </summary>
    public static IReadOnlyList<IDmxOutput> Open(LightingOptions options, IReadOnlyList<int> universes, string contentRoot, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var outputs = new List<IDmxOutput>();
        try
        {
            if (options.ArtNet.Enabled)
            {
                outputs.Add(new ArtNetOutput(options.ArtNet, universes, time, loggers.CreateLogger<ArtNetOutput>()));
            }

            if (options.Sacn.Enabled)
            {
                outputs.Add(new SacnOutput(options.Sacn, universes, SacnCid.Resolve(options.Sacn, contentRoot), time, loggers.CreateLogger<SacnOutput>()));
            }
        }
        catch
        {
            foreach (var o in outputs)
            {
                o.Dispose();
            }

            throw;
        }

        return outputs;
    }
}
