using LightMood.Lighting.Engine;
using Microsoft.Extensions.Hosting;

namespace LightMood.Hosting;

/// <summary>
/// The lighting and output stage: the engine's own render thread (steady rate, Art-Net/sACN). Started first and
/// stopped last, so that on shutdown the safe look is sent and sACN streams are terminated after the other stages end.
/// </summary>
public sealed class LightingStage(LightingEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        engine.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        engine.Stop();
        return Task.CompletedTask;
    }
}
