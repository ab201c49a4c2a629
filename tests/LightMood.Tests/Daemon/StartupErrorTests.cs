using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LightMood.Tests.Daemon;

/// <summary>What can be checked before output starts is checked first: a start-up failure sends no DMX.</summary>
public sealed class StartupErrorTests
{
    [Fact]
    public async Task A_busy_web_port_exits_non_zero_with_one_line_naming_the_setting_and_no_DMX_sent()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        using var node = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));   // the Art-Net node the daemon would send to
        var nodePort = ((IPEndPoint)node.Client.LocalEndPoint!).Port;

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "lightmood.dll"), "run", $"--Web:Urls=http://127.0.0.1:{port}",
                     $"--Lighting:ArtNet:Nodes:0=127.0.0.1:{nodePort}", "--Lighting:ArtNet:ListenPort=0",
                     $"--Lighting:ScenesFile={RunningDaemon.CopyScenes()}", "--Serilog:WriteTo:1:Name=Console",
                 })
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(within.Token);

        Assert.NotEqual(0, p.ExitCode);
        var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lightmood: cannot serve the operator page (Web:Urls): ", line, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);

        // nothing reached the node, not even one frame
        node.Client.ReceiveTimeout = 500;
        Assert.Equal(0, node.Available);
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await node.ReceiveAsync(quiet.Token));
    }
}
