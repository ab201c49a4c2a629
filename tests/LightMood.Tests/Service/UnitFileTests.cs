using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace LightMood.Tests.Service;

/// <summary>
/// systemd/lightmood.service: the hardening it promises, systemd's own exposure score of it, and a system-call filter
/// that the daemon really fits in (every call of a run, start to SIGTERM, traced with strace).
/// </summary>
public sealed partial class UnitFileTests(ITestOutputHelper output)
{
    private static readonly SystemdUnit Unit = SystemdUnit.Shipped;

    [Fact]
    public void The_unit_sets_the_hardening_and_gives_real_time_to_the_render_thread_alone()
    {
        foreach (var (key, value) in new[]
                 {
                     ("NoNewPrivileges", "true"), ("CapabilityBoundingSet", ""), ("RestrictSUIDSGID", "true"), ("ProtectSystem", "strict"),
                     ("ProtectHome", "true"), ("PrivateTmp", "true"), ("ProtectClock", "true"), ("ProtectHostname", "true"),
                     ("ProtectKernelLogs", "true"), ("ProtectKernelTunables", "true"), ("ProtectKernelModules", "true"),
                     ("ProtectControlGroups", "true"), ("SystemCallFilter", "@system-service"), ("SystemCallArchitectures", "native"),
                     ("UMask", "0027"), ("LockPersonality", "true"), ("RestrictNamespaces", "true"), ("Type", "notify"),
                 })
        {
            Assert.True(Unit[key] == value, $"{key}={Unit[key]}, expected {key}={value}");
        }

        // real time for one thread: no process-wide policy, the limit covers the priority the daemon asks for
        Assert.Null(Unit["CPUSchedulingPolicy"]);
        Assert.NotEqual("true", Unit["RestrictRealtime"]);
        var asked = int.Parse(Unit.Environment()["Lighting__RealtimePriority"], CultureInfo.InvariantCulture);
        Assert.InRange(asked, 1, int.Parse(Unit["LimitRTPRIO"]!, CultureInfo.InvariantCulture));

        // state and logs from systemd, not from paths spelled out in the environment
        Assert.Equal("lightmood", Unit["StateDirectory"]);
        Assert.Equal("lightmood", Unit["LogsDirectory"]);
        Assert.DoesNotContain(Unit.Environment().Keys, k => k.StartsWith("Lighting__ScenesFile", StringComparison.Ordinal) || k.StartsWith("Serilog__", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Systemd_rates_the_unit_OK()
    {
        Skip.If(NetworkNamespace.Which("systemd-analyze") is null, "systemd-analyze is not installed (the systemd package)");
        var (code, text) = NetworkNamespace.Run("systemd-analyze", "security", "--offline=true", Path.Combine(SystemdUnit.RepoRoot, "systemd", "lightmood.service"));
        var level = Exposure().Match(text);
        Assert.True(level.Success, $"systemd-analyze security (exit {code}):\n{text}");
        var exposure = double.Parse(level.Groups[1].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"systemd-analyze security --offline: {exposure} {level.Groups[2].Value}");
        Assert.True(exposure <= 2.0, $"exposure {exposure} (docs/daemon.md records 1.8)");
    }

    /// <summary>SystemCallFilter=@system-service kills nothing: every system call of a run is in the set.</summary>
    [SkippableFact]
    public async Task Every_system_call_of_a_run_is_in_the_units_filter()
    {
        Skip.If(NetworkNamespace.Which("strace") is null, "strace is not installed (.ci/run installs it)");
        Skip.If(NetworkNamespace.Which("systemd-analyze") is null, "systemd-analyze is not installed (the systemd package)");
        var allowed = SyscallSet(Unit["SystemCallFilter"]!);
        Assert.Contains("read", allowed);

        var dir = Directory.CreateTempSubdirectory("lightmood-strace-");
        var trace = Path.Combine(dir.FullName, "trace");
        var start = new ProcessStartInfo("strace") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-f", "-qq", "-o", trace, "dotnet", Path.Combine(AppContext.BaseDirectory, "lightmood.dll"), "run",
                     "--Web:Urls=http://127.0.0.1:0", "--Lighting:ArtNet:ListenPort=0", "--Lighting:RealtimePriority=20", $"--Paths:StateDirectory={dir.FullName}/state"])
        {
            start.ArgumentList.Add(a);
        }

        using var strace = Process.Start(start)!;
        var log = new DaemonLog(strace);
        try
        {
            Assert.True(await log.WaitForAsync("Mood calm", TimeSpan.FromSeconds(90)), "no mood under strace:\n" + log);
            var daemon = int.Parse(File.ReadAllText($"/proc/{strace.Id}/task/{strace.Id}/children").Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.Equal(0, log.Stop(20, daemon));   // the shutdown path is traced too
            var used = new SortedSet<string>(File.ReadLines(trace).Select(l => Syscall().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
            output.WriteLine($"{used.Count} distinct system calls, all checked against {Unit["SystemCallFilter"]} ({allowed.Count})");
            Assert.True(used.Count > 30, "the trace is nearly empty");
            Assert.Empty(used.Except(allowed));
        }
        finally
        {
            log.Stop();
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The system calls of a filter set (groups expanded), as this systemd knows them.</summary>
    private static HashSet<string> SyscallSet(string filter)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in NetworkNamespace.Run("systemd-analyze", "syscall-filter").Output.Split('\n'))
        {
            var t = line.Trim();
            if (t.Length == 0 || t[0] == '#')
            {
                continue;
            }

            if (line[0] == '@')
            {
                groups[t] = current = [];
            }
            else
            {
                current?.Add(t);
            }
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name)
        {
            if (name[0] != '@')
            {
                set.Add(name);
            }
            else
            {
                foreach (var member in groups.GetValueOrDefault(name) ?? [])
                {
                    Add(member);
                }
            }
        }

        foreach (var item in filter.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Add(item);
        }

        return set;
    }

    [GeneratedRegex(@"exposure level for \S+: ([0-9.]+) (\w+)")]
    private static partial Regex Exposure();

    /// <summary>An strace -f line: "PID name(args…" or "PID &lt;... name resumed&gt;…".</summary>
    [GeneratedRegex(@"^\d+\s+(?:<\.\.\. )?([a-z_0-9]+)(?:\(| resumed)")]
    private static partial Regex Syscall();
}
