using System.Diagnostics;
using System.Net.Sockets;

namespace LightMood.Tests.Daemon;

/// <summary>SIGTERM (systemd's stop): the daemon sends its safe look and exits cleanly within 5 s.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_stops_the_daemon_within_five_seconds_with_exit_code_zero()
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", [
            Path.Combine(AppContext.BaseDirectory, "lightmood.dll"),
            $"--Web:Urls=http://127.0.0.1:{port}",
            "--Lighting:ArtNet:ListenPort=0",
            $"--Lighting:ScenesFile={RunningDaemon.CopyScenes()}",
            "--Serilog:WriteTo:1:Name=Console",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var daemon = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        daemon.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        daemon.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        using var http = new HttpClient();
        var until = DateTime.UtcNow.AddSeconds(30);
        var up = false;
        while (!up && DateTime.UtcNow < until)
        {
            try
            {
                up = (await http.GetAsync($"http://127.0.0.1:{port}/api/state")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(up, "the daemon did not come up: " + log);
        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(0, Kill(daemon.Id, 15));
        Assert.True(daemon.WaitForExit(5000), "still running 5 s after SIGTERM");
        stopwatch.Stop();
        Assert.Equal(0, daemon.ExitCode);
        daemon.WaitForExit();
        lock (log)
        {
            Assert.Contains("Lighting engine stopped", log.ToString(), StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
