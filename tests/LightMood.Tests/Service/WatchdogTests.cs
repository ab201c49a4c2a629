using System.Diagnostics;
using LightMood.Hosting;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightMood.Tests.Service;

/// <summary>
/// The watchdog against a fake <c>$NOTIFY_SOCKET</c> (a Unix datagram socket the test binds, as systemd does): it
/// pings while the render loop runs, whatever the stages' faults (those go to <c>STATUS=</c>), stops pinging when the
/// render loop stops, and pings nothing when <c>WATCHDOG_PID</c> names another process.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WatchdogTests : IDisposable
{
    private const string Ping = "WATCHDOG=1";
    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-notify-").FullName;
    private readonly NotifySocket _notify;

    public WatchdogTests()
    {
        _notify = new NotifySocket(Path.Combine(_dir, "notify"));
    }

    public void Dispose()
    {
        _notify.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static LightingEngine Engine()
    {
        var options = new LightingOptions();
        var patch = PatchLoader.Load(Path.Combine(AppContext.BaseDirectory, options.PatchFile));
        var scenes = SceneLoader.Load(Path.Combine(AppContext.BaseDirectory, options.ScenesFile), patch);
        return new LightingEngine(patch, scenes, options, [], health: new StageHealth());
    }

    private SystemdNotifySettings Settings(string? watchdogPid, long usec = 400_000) =>
        SystemdNotifySettings.FromEnvironment(
            name => name switch
            {
                "NOTIFY_SOCKET" => _notify.Path,
                "WATCHDOG_USEC" => usec.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "WATCHDOG_PID" => watchdogPid,
                _ => null,
            });

    private static async Task<bool> Within(TimeSpan limit, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    private IEnumerable<string> Statuses() =>
        _notify.Messages.SelectMany(m => m.Message.Split('\n')).Where(l => l.StartsWith("STATUS=", StringComparison.Ordinal));

    [Fact]
    public async Task Pings_while_the_render_loop_runs_reports_faults_as_status_and_stops_when_the_loop_stops()
    {
        using var engine = Engine();
        using var watchdog = new SystemdWatchdog(engine, engine.Health, Settings(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)), TimeProvider.System, NullLogger<SystemdWatchdog>.Instance);
        await watchdog.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(0, _notify.Count(Ping));                            // nothing renders yet: no ping
            engine.Start();
            Assert.True(await Within(TimeSpan.FromSeconds(10), () => _notify.Count(Ping) >= 3), $"pings while rendering: {_notify.Count(Ping)}");
            Assert.Contains("STATUS=Running; the lights follow the music", Statuses());

            // the analysis and the capture fault (model missing, line-in lost): the supervisor's business, not systemd's
            engine.Health.Fault("analysis", "/x/crnn.onnx: model file not found");
            engine.Health.Fault("capture", "audio device lost");
            var atFault = _notify.Count(Ping);
            Assert.True(await Within(TimeSpan.FromSeconds(10), () => _notify.Count(Ping) >= atFault + 5), $"pings while faulted: {_notify.Count(Ping) - atFault}");
            Assert.Contains("STATUS=Faulted, lights on the safe look: analysis: /x/crnn.onnx: model file not found; capture: audio device lost", Statuses());
            engine.Health.Clear("capture");
            engine.Health.Clear("analysis");
            Assert.True(await Within(TimeSpan.FromSeconds(10), () => Statuses().Count(s => s == "STATUS=Running; the lights follow the music") == 2));

            // the render loop stops: no more pings, so systemd would restart the service
            engine.Stop();
            await Task.Delay(1000);                                            // a ping already on its way may land
            var atStop = _notify.Count(Ping);
            await Task.Delay(2000);                                            // ten ticks of 0.2 s
            Assert.Equal(atStop, _notify.Count(Ping));
        }
        finally
        {
            await watchdog.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_watchdog_for_another_process_is_not_pinged_but_the_status_is_sent()
    {
        var settings = Settings(watchdogPid: (Environment.ProcessId + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(settings.WatchdogInterval);
        using var engine = Engine();
        using var watchdog = new SystemdWatchdog(engine, engine.Health, settings, TimeProvider.System, NullLogger<SystemdWatchdog>.Instance);
        engine.Start();
        await watchdog.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(await Within(TimeSpan.FromSeconds(10), () => Statuses().Any()), "no status sent");
            await Task.Delay(1500);
            Assert.Equal(0, _notify.Count(Ping));
        }
        finally
        {
            await watchdog.StopAsync(CancellationToken.None);
            engine.Stop();
        }
    }

    [Theory]
    [InlineData(null, "20000000", 20.0)]                  // no WATCHDOG_PID: the watchdog is ours
    [InlineData("4242", "20000000", 20.0)]                // WATCHDOG_PID names this process
    [InlineData("4243", "20000000", null)]                // another process's watchdog
    [InlineData("x", "20000000", null)]
    [InlineData(null, "0", null)]
    [InlineData(null, "-5", null)]
    [InlineData(null, "twenty", null)]
    [InlineData(null, null, null)]
    public void The_environment_is_read_as_sd_watchdog_enabled_reads_it(string? pid, string? usec, double? seconds)
    {
        var settings = SystemdNotifySettings.FromEnvironment(
            n => n switch { "NOTIFY_SOCKET" => "@lightmood/notify", "WATCHDOG_USEC" => usec, "WATCHDOG_PID" => pid, _ => null },
            pid: 4242);
        Assert.Equal("\0lightmood/notify", settings.NotifySocket);         // an abstract socket
        Assert.Equal(seconds, settings.WatchdogInterval?.TotalSeconds);
        Assert.Equal(new SystemdNotifySettings(null, null), SystemdNotifySettings.FromEnvironment(_ => null));
    }
}
