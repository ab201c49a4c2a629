using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace LightMood.Tests.Service;

/// <summary>
/// README.md "Install as a service", step by step, and <c>systemd/lightmood.service</c> run the way systemd would run
/// it (no systemd needed): the README's own publish command; the output copied to an "/opt/lightmood"; the state and
/// log directories made as systemd makes them (empty, owned by the service user, the unit's modes); the unit's
/// ExecStart run as an unprivileged user (nobody: the README's useradd needs a real system) with the unit's
/// Environment=, WorkingDirectory=, UMask=, LimitRTPRIO=, NoNewPrivileges= and empty CapabilityBoundingSet=, systemd's
/// own variables (STATE_DIRECTORY, LOGS_DIRECTORY, INVOCATION_ID, JOURNAL_STREAM, NOTIFY_SOCKET, WATCHDOG_USEC), as the
/// first process of a PID namespace (systemd's child, as far as the daemon can tell), inside a network namespace of
/// its own (the default ports, no clash with anything else). The page and Art-Net must be there within 40 s, the
/// service still running 30 s later with the watchdog fed, nothing written to the install, and SIGTERM ends it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallTests(ITestOutputHelper output)
{
    private const long MaxPublishBytes = 120_000_000;
    private const int ServiceUid = 65534;   // nobody / nogroup
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task The_README_install_runs_as_systemd_would_serve_the_page_and_send_Art_Net()
    {
        using var ns = NetworkNamespace.TryCreate(out var unavailable);
        Skip.If(ns is null, unavailable);
        foreach (var tool in new[] { "tshark", "setpriv", "prlimit", "unshare", "cp" })
        {
            Skip.If(NetworkNamespace.Which(tool) is null, $"{tool} is not installed (.ci/run installs what this test needs)");
        }

        var root = Directory.CreateTempSubdirectory("lightmood-install-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        try
        {
            var install = Path.Combine(root, "opt", "lightmood");
            await PublishAndCopyAsReadmeSaysAsync(Path.Combine(root, "publish"), install);
            var unit = SystemdUnit.Shipped;
            var state = MakeServiceDirectory(root, "var/lib", unit["StateDirectory"], unit["StateDirectoryMode"]);
            var logs = MakeServiceDirectory(root, "var/log", unit["LogsDirectory"], unit["LogsDirectoryMode"]);
            string Map(string s) => s.Replace("/opt/lightmood", install, StringComparison.Ordinal)
                .Replace("/var/lib/" + unit["StateDirectory"], state, StringComparison.Ordinal)
                .Replace("/var/log/" + unit["LogsDirectory"], logs, StringComparison.Ordinal);
            var installBefore = Snapshot(install);

            using var notify = new NotifySocket(Path.Combine(root, "notify.sock"));
            using var dns = new FakeDnsServer(ns);
            using var artNet = await ArtNetWatch.StartAsync(ns);
            var started = Stopwatch.StartNew();
            using var unshare = Process.Start(ServiceStart(ns, unit, Map, state, logs, notify.Path))!;
            var log = new DaemonLog(unshare);
            var daemon = ChildPid(unshare, log);
            try
            {
                // up within 40 s: READY=1, the page, the API, ArtDmx on the wire
                var up = false;
                while (!up && started.Elapsed < StartWithin && !unshare.HasExited)
                {
                    up = notify.Count("READY=1") > 0 && artNet.ArtDmxPackets > 0 && await PageServedAsync(ns);
                    await Task.Delay(250);
                }

                var ready = started.Elapsed;
                Assert.True(up, $"not up within {StartWithin.TotalSeconds} s (READY={notify.Count("READY=1")}, ArtDmx={artNet.ArtDmxPackets}):\n{log}");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"up (READY=1, page, Art-Net) {ready.TotalSeconds:F1} s after ExecStart"));

                // still running 30 s later, fed the watchdog (every WatchdogSec/2 = 10 s), still sending
                var (dmxAtReady, pingsAtReady) = (artNet.ArtDmxPackets, notify.Count("WATCHDOG=1"));
                await Task.Delay(RunFor);
                Assert.False(unshare.HasExited, "the service stopped:\n" + log);
                Assert.True(await PageServedAsync(ns), "the page stopped answering");
                Assert.True(notify.Count("WATCHDOG=1") - pingsAtReady >= 2, $"watchdog pings in {RunFor.TotalSeconds} s: {notify.Count("WATCHDOG=1") - pingsAtReady}");
                Assert.True(artNet.ArtDmxPackets - dmxAtReady > RunFor.TotalSeconds * 10, $"ArtDmx in {RunFor.TotalSeconds} s: {artNet.ArtDmxPackets - dmxAtReady}");
                Assert.Empty(dns.Queries);
                AssertRenderThreadAloneRealtime(daemon, int.Parse(unit["LimitRTPRIO"]!, CultureInfo.InvariantCulture), log);
                AssertJournalLines(log);
            }
            finally
            {
                var code = log.Stop(double.Parse(unit["TimeoutStopSec"]!, CultureInfo.InvariantCulture), daemon);
                Assert.True(code == 0, $"SIGTERM: exit code {code?.ToString(CultureInfo.InvariantCulture) ?? "none (killed after TimeoutStopSec)"}\n{log}");
            }

            Assert.True(notify.Count("STOPPING=1") > 0, "no STOPPING=1");
            Assert.Equal(installBefore, Snapshot(install));   // program files only read
            AssertStateSeeded(install, state, logs, unit["UMask"]!);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The README's publish command (its own words; only the output folder moved) and its copy step.</summary>
    private async Task PublishAndCopyAsReadmeSaysAsync(string publishDir, string install)
    {
        var words = SystemdUnit.ReadmeInstallCommand("dotnet publish");
        var o = words.ToList().IndexOf("-o");
        Assert.True(o > 0 && o + 1 < words.Count, "the README's publish command has no -o DIR");
        Assert.Contains("-r", words);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = SystemdUnit.RepoRoot, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (word, i) in words.Skip(1).Select((w, i) => (w, i + 1)))
        {
            start.ArgumentList.Add(i == o + 1 ? publishDir : word);
        }

        // no MSBuild, compiler or build server left behind holding the test run's output open
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using (var publish = Process.Start(start)!)
        {
            var stdout = publish.StandardOutput.ReadToEndAsync();
            var stderr = publish.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await publish.WaitForExitAsync(cancel.Token);
            Assert.True(publish.ExitCode == 0, $"{string.Join(' ', words)}:\n{await stdout}\n{await stderr}");
        }

        var size = new DirectoryInfo(publishDir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"published in {clock.Elapsed.TotalSeconds:F0} s: {size / 1e6:F1} MB"));
        Assert.True(size <= MaxPublishBytes, $"the published folder is {size / 1e6:F1} MB, over {MaxPublishBytes / 1e6} MB");
        Assert.True(File.Exists(Path.Combine(publishDir, "lightmood")), "no lightmood executable in the published folder");
        Assert.False(Directory.Exists(Path.Combine(publishDir, "runtimes")), "runtimes/ for other platforms were published");

        // sudo mkdir -p /opt/lightmood && sudo cp -r /tmp/lightmood/. /opt/lightmood/
        Directory.CreateDirectory(install);
        var (code, cp) = NetworkNamespace.Run("cp", "-r", publishDir + "/.", install + "/");
        Assert.True(code == 0, cp);
    }

    /// <summary>StateDirectory=/LogsDirectory=: created by systemd, empty, owned by the service user, with the unit's mode.</summary>
    private static string MakeServiceDirectory(string root, string parent, string? name, string? mode)
    {
        Assert.False(string.IsNullOrEmpty(name), $"the unit sets no {(parent == "var/lib" ? "StateDirectory" : "LogsDirectory")}");
        var dir = Path.Combine(root, parent, name);
        Directory.CreateDirectory(dir);
        foreach (var d in new[] { Path.Combine(root, parent), Path.GetDirectoryName(Path.Combine(root, parent))! })
        {
            File.SetUnixFileMode(d, (UnixFileMode)0b111_101_101);
        }

        Assert.Equal(0, NetworkNamespace.Run("chown", $"{ServiceUid}:{ServiceUid}", dir).Code);
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32(mode ?? "0755", 8));
        return dir;
    }

    /// <summary>The unit's ExecStart as systemd starts it (see the class summary).</summary>
    private static ProcessStartInfo ServiceStart(NetworkNamespace ns, SystemdUnit unit, Func<string, string> map, string state, string logs, string notifySocket)
    {
        var execStart = SystemdUnit.Words(map(unit["ExecStart"]!));
        // LimitRTPRIO=: raising RLIMIT_RTPRIO needs CAP_SYS_RESOURCE, which a container may not give even root
        var rt = unit["LimitRTPRIO"] is { } limit && NetworkNamespace.Run("prlimit", $"--rtprio={limit}:{limit}", "true").Code == 0 ? limit : null;
        var groups = unit["SupplementaryGroups"] is { } g && File.ReadAllLines("/etc/group").Any(l => l.StartsWith(g + ":", StringComparison.Ordinal)) ? g : null;
        List<string> chain =
        [
            "unshare", "--pid", "--fork", "--kill-child",
            .. rt is null ? [] : new[] { "prlimit", $"--rtprio={rt}:{rt}" },
            "setpriv", "--reuid", $"{ServiceUid}", "--regid", $"{ServiceUid}", .. groups is null ? new[] { "--clear-groups" } : ["--groups", groups],
            .. unit["NoNewPrivileges"] == "true" ? new[] { "--no-new-privs" } : [],
            .. unit["CapabilityBoundingSet"] == "" ? new[] { "--bounding-set", "-all", "--inh-caps", "-all" } : [],
            "sh", "-c", "umask \"$1\" && cd \"$2\" && exec 3>&1 && JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/3) && exec 3>&- && export JOURNAL_STREAM && shift 2 && exec \"$@\"",
            "sh", unit["UMask"] ?? "0022", map(unit["WorkingDirectory"]!), .. execStart,
        ];
        var start = ns.Exec(chain[0], [.. chain.Skip(1)]);
        start.FileName = NetworkNamespace.Which("ip")!;
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["HOME"] = "/nonexistent";
        start.Environment["USER"] = start.Environment["LOGNAME"] = "nobody";
        start.Environment["SHELL"] = "/usr/sbin/nologin";
        start.Environment["INVOCATION_ID"] = Guid.NewGuid().ToString("N");
        start.Environment["STATE_DIRECTORY"] = state;
        start.Environment["LOGS_DIRECTORY"] = logs;
        start.Environment["NOTIFY_SOCKET"] = notifySocket;
        start.Environment["WATCHDOG_USEC"] = (long.Parse(unit["WatchdogSec"]!, CultureInfo.InvariantCulture) * 1_000_000).ToString(CultureInfo.InvariantCulture);
        start.Environment["WATCHDOG_PID"] = start.Environment["SYSTEMD_EXEC_PID"] = "1";
        foreach (var (key, value) in unit.Environment())
        {
            start.Environment[key] = map(value);
        }

        return start;
    }

    private static async Task<bool> PageServedAsync(NetworkNamespace ns)
    {
        try
        {
            var page = await ns.Http.GetAsync("http://127.0.0.1:8080/");
            var api = await ns.Http.GetAsync("http://127.0.0.1:8080/api/state");
            return page.IsSuccessStatusCode && (await page.Content.ReadAsStringAsync()).Contains("LightMood", StringComparison.Ordinal) && api.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// LimitRTPRIO= and Lighting__RealtimePriority: the render thread alone is SCHED_FIFO, every other thread normal.
    /// Where LimitRTPRIO= cannot be given (no CAP_SYS_RESOURCE), the daemon must say once why and render anyway.
    /// </summary>
    private void AssertRenderThreadAloneRealtime(int pid, int priority, DaemonLog log)
    {
        if (NetworkNamespace.Run("prlimit", $"--rtprio={priority}:{priority}", "true").Code != 0)
        {
            output.WriteLine("LimitRTPRIO= cannot be emulated here (no CAP_SYS_RESOURCE): the service must run on at normal priority");
            Assert.Single(log.Stdout, l => l.StartsWith("<4>[4021] ", StringComparison.Ordinal) && l.Contains("EPERM", StringComparison.Ordinal));
            return;
        }

        Assert.Contains(log.Stdout, l => l.Contains("[4020]", StringComparison.Ordinal));
        RealtimeThreads.AssertRenderThreadAlone(pid, priority);
    }

    /// <summary>JOURNAL_STREAM is the daemon's stdout: every line carries a syslog priority, events their id.</summary>
    private static void AssertJournalLines(DaemonLog log)
    {
        var lines = log.Stdout.Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches("^<[0-7]>", l));
        Assert.Contains(lines, l => l.StartsWith("<6>[1400] Program in ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("<6>[1201] Stage analysis running", StringComparison.Ordinal));
    }

    /// <summary>The first start seeded the state from the shipped config; files are the service user's, with UMask=.</summary>
    private static void AssertStateSeeded(string install, string state, string logs, string umask)
    {
        var fileMode = 0b110_110_110 & ~Convert.ToInt32(umask, 8);
        var scenes = Path.Combine(state, "scenes.json");
        Assert.Equal(File.ReadAllText(Path.Combine(install, "config", "scenes.json")), File.ReadAllText(scenes));
        Assert.Equal($"{ServiceUid} {Convert.ToString(fileMode, 8)}", Stat(scenes));
        Assert.True(Directory.Exists(Path.Combine(state, "fixtures")), "no fixtures/ for imported profiles");
        var logFile = Assert.Single(Directory.GetFiles(logs, "lightmood-*.log"));
        Assert.Equal($"{ServiceUid} {Convert.ToString(fileMode, 8)}", Stat(logFile));
        using var reader = new StreamReader(new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.Matches("\"EventId\": ?\\{\"Id\": ?1400,", reader.ReadToEnd());   // structured: the event id as a property
    }

    private static string Stat(string path) => NetworkNamespace.Run("stat", "-c", "%u %a", path).Output.Trim();

    private static SortedDictionary<string, (long, DateTime)> Snapshot(string dir) => new(
        new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f.FullName), f => (f is FileInfo file ? file.Length : -1, f.LastWriteTimeUtc)),
        StringComparer.Ordinal);

    /// <summary>The service's pid: unshare's only child (the first process of the new PID namespace).</summary>
    private static int ChildPid(Process unshare, DaemonLog log)
    {
        var parent = unshare.Id;
        for (var i = 0; i < 100; i++)
        {
            var file = $"/proc/{parent}/task/{parent}/children";
            if (unshare.HasExited || !File.Exists(file))
            {
                unshare.WaitForExit();
                throw new InvalidOperationException($"the service ended at once (exit code {unshare.ExitCode}):\n{log}");
            }

            var children = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (children.Length > 0)
            {
                return int.Parse(children[0], CultureInfo.InvariantCulture);
            }

            Thread.Sleep(50);
        }

        throw new InvalidOperationException("unshare started no service process");
    }
}

/// <summary>The scheduling policy of every thread of a process, from /proc.</summary>
internal static class RealtimeThreads
{
    /// <summary>Exactly one thread, the render thread, is SCHED_FIFO at <paramref name="priority"/>; the rest SCHED_OTHER.</summary>
    public static void AssertRenderThreadAlone(int pid, int priority)
    {
        var threads = Directory.GetDirectories($"/proc/{pid}/task").Select(t =>
        {
            var stat = File.ReadAllText(Path.Combine(t, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (Name: File.ReadAllText(Path.Combine(t, "comm")).Trim(), Priority: int.Parse(fields[37], CultureInfo.InvariantCulture), Policy: int.Parse(fields[38], CultureInfo.InvariantCulture));
        }).ToList();
        var realtime = threads.Where(t => t.Policy != 0).ToList();
        Assert.True(realtime.Count == 1 && realtime[0].Name.StartsWith("LightMood rend", StringComparison.Ordinal) && realtime[0].Policy == 1 && realtime[0].Priority == priority,
            "real-time threads: " + string.Join(", ", realtime.Select(t => $"{t.Name} policy {t.Policy} priority {t.Priority}")));
    }
}
