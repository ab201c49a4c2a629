using LightMood.Lighting.Engine;
using Microsoft.Extensions.Hosting;

namespace LightMood.Hosting;

/// <summary>
/// The lighting and output stage: the engine's own render thread (steady rate, Art-Net/sACN). The render thread starts
/// once the whole host has started (the operator page bound): a start-up that fails, e.g. on a busy port, ends before
/// any DMX is sent. Stopped last, so that on shutdown the safe look is sent and sACN streams are terminated after the
/// other stages end.
/// </summary>
public sealed class LightingStage(LightingEngine engine, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _registration;
    private volatile bool _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStarted.Register(() =>
        {
            engine.Start();
            _started = true;
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        if (_started)
        {
            // the safe look and sACN termination; a host that never started has sent nothing to end
            engine.Stop();
        }

        return Task.CompletedTask;
    }
}
