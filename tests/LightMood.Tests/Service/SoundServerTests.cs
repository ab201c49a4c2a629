using System.Diagnostics;
using LightMood.Audio.Tests.PortAudio;

namespace LightMood.Tests.Service;

/// <summary>
/// How the service reaches a sound server (docs/audio.md "As a service"): a system-wide PulseAudio/PipeWire socket
/// under /run, named by <c>PULSE_SERVER</c>, works for the unprivileged service user with <c>ProtectHome=true</c>
/// (emulated: /home, /root and /run/user made inaccessible in a mount namespace of the daemon's own, as systemd does).
/// The line-in is the rig's PulseAudio null sink, given a second, world-reachable socket as a system server has.
/// </summary>
[Collection(VirtualLineIn.Collection)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SoundServerTests
{
    private const int ServiceUid = 65534;

    [SkippableFact]
    public async Task The_service_user_hears_the_line_in_through_a_system_wide_sound_server_with_ProtectHome()
    {
        Skip.If(NetworkNamespace.GetEuid() != 0, "switching to the service user and mount namespaces need root (CI runs as root)");
        Skip.If(NetworkNamespace.Which("setpriv") is null || NetworkNamespace.Which("unshare") is null, "util-linux's setpriv and unshare are needed");
        using var lineIn = new VirtualLineIn();
        Skip.If(lineIn.Unavailable is not null, lineIn.Unavailable);

        var root = Directory.CreateTempSubdirectory("lightmood-sound-").FullName;
        try
        {
            File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
            var socket = Path.Combine(root, "pulse", "native");
            Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
            File.SetUnixFileMode(Path.GetDirectoryName(socket)!, (UnixFileMode)0b111_101_101);
            var (code, pactl) = PactlIn(lineIn, "load-module", "module-native-protocol-unix", $"socket={socket}", "auth-anonymous=1");
            Assert.True(code == 0, pactl);

            var app = CopyOfTheProgram(root);
            var state = Path.Combine(root, "state");
            Directory.CreateDirectory(state);
            Assert.Equal(0, NetworkNamespace.Run("chown", $"{ServiceUid}:{ServiceUid}", state).Code);

            // ProtectHome=true, then the service user (no capabilities, no new privileges) in a clean environment
            const string protectHome = "for d in /home /root /run/user; do [ -d \"$d\" ] && mount -t tmpfs -o mode=000,size=4k tmpfs \"$d\"; done; exec \"$@\"";
            var start = new ProcessStartInfo(NetworkNamespace.Which("unshare")!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])["--mount", "--propagation", "private", "sh", "-c", protectHome, "sh",
                         "setpriv", "--reuid", $"{ServiceUid}", "--regid", $"{ServiceUid}", "--clear-groups", "--no-new-privs", "--bounding-set", "-all", "--",
                         "dotnet", Path.Combine(app, "lightmood.dll"), "run", "--Audio:Source=portaudio", "--Audio:Device=pulse",
                         "--Web:Urls=http://127.0.0.1:0", "--Lighting:ArtNet:ListenPort=0", "--Serilog:WriteTo:1:Name=Console"])
            {
                start.ArgumentList.Add(a);
            }

            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
            start.Environment["HOME"] = "/nonexistent";
            start.Environment["STATE_DIRECTORY"] = state;
            start.Environment["PULSE_SERVER"] = $"unix:{socket}";   // the unit's Environment=PULSE_SERVER=unix:/run/pulse/native

            using var daemon = Process.Start(start)!;
            var log = new DaemonLog(daemon);
            try
            {
                Assert.True(await log.WaitForAsync("Audio source: ", TimeSpan.FromSeconds(30)), "the capture did not open:\n" + log);
                using var player = lineIn.Play(Path.Combine(AppContext.BaseDirectory, "fixtures", "demo", "demo.ogg"));
                Assert.True(await log.WaitForAsync("Mood calm", TimeSpan.FromSeconds(40)), "the line-in was not heard:\n" + log);
                Assert.DoesNotContain(log.Stdout, l => l.Contains("Audio device lost", StringComparison.Ordinal));
                player.Kill();
            }
            finally
            {
                Assert.Equal(0, log.Stop());
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (int Code, string Output) PactlIn(VirtualLineIn lineIn, params string[] args)
    {
        var start = new ProcessStartInfo("pactl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["XDG_RUNTIME_DIR"] = lineIn.RuntimeDir;
        start.Environment.Remove("PULSE_SERVER");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    /// <summary>The built program where the service user may read it (a build tree may sit under a private home).</summary>
    private static string CopyOfTheProgram(string root)
    {
        var from = AppContext.BaseDirectory;
        var to = Path.Combine(root, "app");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if ((parts[0] == "runtimes" && parts.Length > 1 && parts[1] != "linux-x64") || parts[0] is "state" or "logs" or "TestResults" or "artefacts")
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }

        foreach (var dir in Directory.EnumerateDirectories(to, "*", SearchOption.AllDirectories).Append(to))
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }

        return to;
    }
}
