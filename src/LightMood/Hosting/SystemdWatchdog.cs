using System.Globalization;
using System.Net.Sockets;
using System.Text;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightMood.Hosting;

/// <summary>
/// What systemd told the process (sd_notify(3), sd_watchdog_enabled(3)): where to send notifications
/// (<c>$NOTIFY_SOCKET</c>, an abstract socket when it starts with <c>@</c>) and the watchdog interval
/// (<c>$WATCHDOG_USEC</c>), which applies to this process only when <c>$WATCHDOG_PID</c> is unset or names it.
/// </summary>
/// <param name="NotifySocket">The socket path (<c>\0…</c> for an abstract one), or null when not run by systemd.</param>
/// <param name="WatchdogInterval">systemd's WatchdogSec for this process, or null when the watchdog is off for it.</param>
public sealed record SystemdNotifySettings(string? NotifySocket, TimeSpan? WatchdogInterval)
{
    /// <summary>Reads the variables from <paramref name="environment"/> (default: the process's) for process <paramref name="pid"/>.</summary>
    public static SystemdNotifySettings FromEnvironment(Func<string, string?>? environment = null, int? pid = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var socket = environment("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socket))
        {
            return new SystemdNotifySettings(null, null);
        }

        if (socket[0] == '@')
        {
            socket = "\0" + socket[1..];
        }

        TimeSpan? interval = null;
        var watchdogPid = environment("WATCHDOG_PID");
        var forUs = string.IsNullOrEmpty(watchdogPid) ||
            (int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p == (pid ?? Environment.ProcessId));
        if (forUs && long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            interval = TimeSpan.FromMicroseconds(usec);
        }

        return new SystemdNotifySettings(socket, interval);
    }
}

/// <summary>
/// systemd's watchdog and status line. <c>WATCHDOG=1</c> means "the process is alive and the render loop runs": it is
/// sent (at least every half of <c>WatchdogSec</c>) while the lighting engine's frame counter moves, and nothing else
/// is judged: a lost line-in, a missing model or any other stage fault is the supervisor's to handle (safe look,
/// restart with back-off) and is reported with <c>STATUS=</c> (<c>systemctl status lightmood</c>), never killed for.
/// A render loop that stops gets no pings, and systemd restarts the service. Does nothing outside systemd; without
/// a watchdog for this process (<c>WATCHDOG_USEC</c> unset, or <c>WATCHDOG_PID</c> naming another process) only
/// the status is sent.
/// </summary>
public sealed class SystemdWatchdog(
    LightingEngine engine, StageHealth health, SystemdNotifySettings settings, TimeProvider time, ILogger<SystemdWatchdog> logger)
    : BackgroundService
{
    /// <summary>How often the status and the frame counter are looked at (at most; half the watchdog interval when shorter).</summary>
    public static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);

    private bool _notifyFailed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.NotifySocket is null)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var endpoint = new UnixDomainSocketEndPoint(settings.NotifySocket);
        var ping = Encoding.ASCII.GetBytes("WATCHDOG=1");
        var tick = settings.WatchdogInterval is { } w && w / 2 < MaxTick ? w / 2 : MaxTick;
        var lastFrames = engine.FrameCount;
        string? lastStatus = null;
        var withheld = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var status = Status(health.Faults);
            if (status != lastStatus)
            {
                await SendAsync(socket, Encoding.UTF8.GetBytes("STATUS=" + status), endpoint, stoppingToken).ConfigureAwait(false);
                lastStatus = status;
            }

            if (settings.WatchdogInterval is null)
            {
                continue;
            }

            var frames = engine.FrameCount;
            var rendering = frames != lastFrames;
            lastFrames = frames;
            if (rendering)
            {
                await SendAsync(socket, ping, endpoint, stoppingToken).ConfigureAwait(false);
                if (withheld)
                {
                    withheld = false;
                    logger.WatchdogResumed();
                }
            }
            else if (!withheld)
            {
                withheld = true;
                logger.WatchdogWithheld(frames, tick.TotalSeconds);
            }
        }
    }

    /// <summary>The status line: running, or every faulted stage with its reason.</summary>
    public static string Status(IReadOnlyList<StageFault> faults) =>
        faults.Count == 0
            ? "Running; the lights follow the music"
            : "Faulted, lights on the safe look: " + string.Join("; ", faults.Select(f => $"{f.Stage}: {f.Reason}").Select(OneLine));

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private async Task SendAsync(Socket socket, byte[] message, UnixDomainSocketEndPoint endpoint, CancellationToken token)
    {
        try
        {
            await socket.SendToAsync(message, SocketFlags.None, endpoint, token).ConfigureAwait(false);
            _notifyFailed = false;
        }
        catch (SocketException e)
        {
            // systemd gone or the socket unreachable: nothing to tell, and no reason to stop the show (logged once)
            if (!_notifyFailed)
            {
                _notifyFailed = true;
                logger.NotifyFailed(e.SocketErrorCode.ToString());
            }
        }
    }
}
