using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace LightMood.Hosting;

/// <summary>
/// systemd's watchdog: sends <c>WATCHDOG=1</c> to <c>$NOTIFY_SOCKET</c> at half of <c>$WATCHDOG_USEC</c>, but only
/// while the pipeline is alive (the analysis consumed audio recently and the lighting engine renders), so a hung
/// pipeline gets the service restarted. Does nothing when not run by systemd with WatchdogSec.
/// </summary>
public sealed class SystemdWatchdog(LiveState state, Lighting.Engine.LightingEngine engine, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var socketPath = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socketPath) || !long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) || usec <= 0)
        {
            return;
        }

        if (socketPath[0] == '@')
        {
            socketPath = "\0" + socketPath[1..];
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var endpoint = new UnixDomainSocketEndPoint(socketPath);
        var ping = Encoding.ASCII.GetBytes("WATCHDOG=1");
        var interval = TimeSpan.FromMicroseconds(usec / 2.0);
        var lastFrames = engine.FrameCount;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            var frames = engine.FrameCount;
            var alive = frames != lastFrames && state.SecondsSinceAudio < interval.TotalSeconds + 5;
            lastFrames = frames;
            if (alive)
            {
                await socket.SendToAsync(ping, SocketFlags.None, endpoint, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
