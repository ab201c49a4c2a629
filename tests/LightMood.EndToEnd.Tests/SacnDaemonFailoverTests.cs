using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Output.Sacn;
using LightMood.Lighting.Scenes;
using LightMood.Lighting.Tests.Receivers;
using LightMood.Tests.Daemon;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LightMood.EndToEnd.Tests;

/// <summary>
/// The real daemon as the sACN primary (priority 120, safe look Blackout: the worst case), a hot backup
/// (<c>Sacn:Backup</c>, priority 80) beside it, olad as the receiver, all in olad's network namespace. SIGTERM
/// (systemd's stop): olad goes from primary to backup without a dark frame in between (ola_recorder keeps every update).
/// SIGKILL: olad follows the backup within 2.6 s of the primary's last packet on the wire (tshark).
/// </summary>
public sealed partial class SacnDaemonFailoverTests(OlaRig ola, ITestOutputHelper output) : IClassFixture<OlaRig>
{
    private const int OlaSacnUniverse = 2;               // the shipped patch's universe 0 + UniverseOffset 2
    private static readonly int[] ParDimmers = [0, 6, 12, 18];

    private static bool Dark(byte[] frame) => ParDimmers.All(i => frame[i] == 0);

    [SkippableTheory]
    [InlineData(15)]
    [InlineData(9)]
    public void The_backup_takes_over_from_a_stopped_or_killed_primary_daemon_without_a_dark_frame(int signal)
    {
        Skip.If(ola.Unavailable is not null, ola.Unavailable);
        Skip.IfNot(ola.Isolated, "the daemon runs in olad's network namespace (needs root)");
        var tshark = OlaRig.Which("tshark");
        Skip.If(tshark is null, "tshark is not installed");
        var dir = Directory.CreateTempSubdirectory("lightmood-failover-").FullName;
        var cap = Path.Combine(dir, "sacn.pcapng");
        var show = Path.Combine(dir, "show.txt");
        var capture = Process.Start(ola.StartInfo(tshark!, "-i", "lo", "-f", "udp port 5568", "-a", "duration:120", "-w", cap))!;
        using var recorder = ola.StartRecorder(OlaSacnUniverse, show);
        Skip.If(recorder is null, "ola_recorder is not installed");
        Process? daemon = null;
        try
        {
            using var backup = Backup(out var backupFrame);
            backup.Start();
            Assert.NotNull(ola.WaitFor(OlaSacnUniverse, f => f.AsSpan(0, 24).SequenceEqual(backupFrame.AsSpan(0, 24)), TimeSpan.FromSeconds(10)));

            daemon = StartPrimary(dir);
            var primaryShown = ola.WaitFor(OlaSacnUniverse, f => !f.AsSpan(0, 24).SequenceEqual(backupFrame.AsSpan(0, 24)), TimeSpan.FromSeconds(60));
            Assert.True(primaryShown is not null, "the primary daemon never reached olad");
            Thread.Sleep(2000);

            Assert.Equal(0, Kill(daemon.Id, signal));
            var signalled = DateTime.UtcNow;
            var back = ola.WaitFor(OlaSacnUniverse, f => f.AsSpan(0, 24).SequenceEqual(backupFrame.AsSpan(0, 24)), TimeSpan.FromSeconds(10));
            var seenAt = DateTime.UtcNow;
            Assert.NotNull(back);
            Assert.True(daemon.WaitForExit(10000), "the daemon did not exit");
            // the exit code of a clean stop is ShutdownTests' contract; here what the receiver saw is judged
            output.WriteLine($"daemon exit code {daemon.ExitCode} after signal {signal}");

            Thread.Sleep(500);
            OlaRig.StopRecorder(recorder!);
            _ = Kill(capture.Id, 2);
            Assert.True(capture.WaitForExit(10000));

            // every update olad made, from the primary's first frame on: never dark
            var frames = OlaRig.ReadShow(show);
            var fromPrimary = frames.SkipWhile(f => f.Frame.AsSpan(0, 24).SequenceEqual(backupFrame.AsSpan(0, 24))).ToList();
            output.WriteLine($"olad: {frames.Count} updates, {fromPrimary.Count} from the primary's first frame; dark: {fromPrimary.Count(f => Dark(f.Frame))}");
            Assert.NotEmpty(fromPrimary);
            Assert.DoesNotContain(fromPrimary, f => Dark(f.Frame));

            // on the wire: the primary's packets (priority 120), the last of them, and whether it terminated its stream
            var lines = OlaRig.Run(tshark!, $"--enable-heuristic acn -o acn.dmx_enable:TRUE -r {cap} -Y \"acn.dmx.priority == 120\" -T fields -e frame.time_epoch -e acn.dmx.option_s -e udp.payload").Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
            Assert.NotEmpty(lines);
            var payloads = lines.Select(l => Convert.FromHexString(l[2].Replace(":", "", StringComparison.Ordinal))).ToList();
            Assert.DoesNotContain(payloads, p => Dark(p[126..]));                      // DMX slot 1 is at offset 126
            var terminated = lines.Count(l => l[1] is "1" or "True");
            var last = DateTimeOffset.FromUnixTimeMilliseconds(0).AddSeconds(double.Parse(lines[^1][0], CultureInfo.InvariantCulture)).UtcDateTime;
            var polled = (seenAt - last).TotalSeconds;
            var isBackup = (byte[] f) => f.AsSpan(0, 24).SequenceEqual(backupFrame.AsSpan(0, 24));
            var failover = OlaRig.FailoverAtReceiver(fromPrimary, f => !isBackup(f), isBackup) / 1000;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"signal {signal}: {lines.Count} primary packets on the wire, {terminated} Stream_Terminated; olad followed the backup {failover:0.000} s after the primary's last update there (ola_recorder); seen by polling {(seenAt - signalled).TotalSeconds:0.000} s after the signal, {polled:0.000} s after the primary's last packet on the wire (tshark)"));
            // the precise bound (2.6 s) is the engine-level SacnFailoverTests' job; here, the real process on a shared
            // host: the right path (terminated vs timed out) and no dark frame, with loose timing
            if (signal == 15)
            {
                Assert.Equal(3, terminated);                                              // a clean stop ends the stream
                // at once, not after the 2.5 s timeout: judged on olad's own record (ola_recorder), because the polled
                // figure adds the poll's latency, which a loaded CI host stretches (2.3 s seen with olad at 1.04 s)
                Assert.InRange(failover, 0, 2.0);
                Assert.InRange(polled, 0, 4.0);
            }
            else
            {
                Assert.Equal(0, terminated);                                              // killed: it just goes silent
                Assert.InRange(failover, 2.4, 3.0);
                Assert.InRange(polled, 2.4, 4.0);
            }
        }
        finally
        {
            if (daemon is { HasExited: false })
            {
                daemon.Kill();
            }

            daemon?.Dispose();
            if (!capture.HasExited)
            {
                capture.Kill();
            }

            capture.Dispose();
            Directory.Delete(dir, true);
        }
    }

    private LightingEngine Backup(out byte[] frame)
    {
        var patch = PatchLoader.Load(Path.Combine(AppContext.BaseDirectory, "config", "patch.json"));
        var scenes = SceneLoader.Load(Path.Combine(AppContext.BaseDirectory, "config", "scenes.json"), patch);
        var options = new LightingOptions();
        options.ArtNet.Enabled = false;
        options.Sacn.Enabled = true;
        options.Sacn.Priority = 80;
        options.Sacn.Backup = true;
        options.Sacn.UniverseOffset = 2;
        options.Sacn.SourceName = "LightMood backup";
        var sacn = ola.InNamespace(() => new SacnOutput(options.Sacn, patch.Universes, Guid.NewGuid(), TimeProvider.System, NullLogger.Instance));
        var engine = new LightingEngine(patch, scenes, options, [sacn]);
        engine.ForceMood(Mood.Sad);
        engine.RenderFrame();
        frame = new byte[512];
        engine.CopyFrame(0, frame);
        Assert.False(Dark(frame));
        return engine;
    }

    private Process StartPrimary(string dir)
    {
        var psi = ola.StartInfo("dotnet",
            Path.Combine(AppContext.BaseDirectory, "lightmood.dll"),
            "--Web:Urls=http://127.0.0.1:0",
            "--Lighting:ArtNet:Enabled=false",
            "--Lighting:Sacn:Enabled=true",
            "--Lighting:Sacn:Priority=120",
            "--Lighting:Sacn:SourceName=LightMood primary",
            "--Lighting:Sacn:UniverseOffset=2",
            "--Lighting:Sacn:UniverseDiscovery=false",
            $"--Lighting:Sacn:CidFile={Path.Combine(dir, "cid.txt")}",
            "--Lighting:SafeLook=Blackout",
            $"--Lighting:ScenesFile={RunningDaemon.CopyScenes()}",
            $"--Web:FeedbackFile={Path.Combine(dir, "feedback.jsonl")}",
            "--Serilog:WriteTo:1:Name=Console");
        psi.WorkingDirectory = dir;
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { };
        p.ErrorDataReceived += (_, e) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
