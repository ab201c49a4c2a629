using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LightMood.Lighting.Tests.Receivers;

namespace LightMood.Tests.Service;

/// <summary>
/// A network namespace of the test's own (<c>ip netns add</c>): loopback only, so nothing the daemon sends leaves it,
/// its default ports (8080, 6454) never clash with another test or another daemon on the machine, and every DNS
/// lookup goes to 127.0.0.1:53 inside it (<c>/etc/netns/NAME/resolv.conf</c>, which <c>ip netns exec</c> mounts over
/// <c>/etc/resolv.conf</c>), where <see cref="FakeDnsServer"/> counts them. Needs root (CI runs as root).
/// </summary>
public sealed partial class NetworkNamespace : IDisposable
{
    private NetworkNamespace(string name)
    {
        Name = name;
        Http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = InNamespace(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Name { get; }

    /// <summary>HTTP to 127.0.0.1 inside the namespace (its sockets are made there).</summary>
    public HttpClient Http { get; }

    /// <summary>A fresh namespace, or null and why one cannot be made here (tests skip with that reason).</summary>
    public static NetworkNamespace? TryCreate(out string? unavailable)
    {
        unavailable = null;
        if (!OperatingSystem.IsLinux() || GetEuid() != 0)
        {
            unavailable = "network namespaces need root on Linux (CI runs as root)";
            return null;
        }

        var name = $"lightmood-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        var (code, output) = Run("ip", "netns", "add", name);
        if (code != 0)
        {
            unavailable = $"'ip netns add' failed ({output.Trim()})";
            return null;
        }

        var ns = new NetworkNamespace(name);
        try
        {
            Directory.CreateDirectory(ns.EtcDirectory);
            File.WriteAllText(Path.Combine(ns.EtcDirectory, "resolv.conf"), "nameserver 127.0.0.1\n");
            (code, output) = Run("ip", "-n", name, "link", "set", "lo", "up");
            if (code != 0)
            {
                throw new InvalidOperationException($"ip -n {name} link set lo up: {output}");
            }

            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private string EtcDirectory => Path.Combine("/etc/netns", Name);

    /// <summary>A process inside the namespace: <c>ip netns exec NAME FILE ARGS</c> (ip execs it: same pid).</summary>
    public ProcessStartInfo Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["netns", "exec", Name, file, .. args])
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    /// <summary>Runs <paramref name="create"/> on a thread inside the namespace: sockets made there live there.</summary>
    public T InNamespace<T>(Func<T> create) => NetNamespace.RunIn($"/run/netns/{Name}", $"namespace {Name}", create);

    public void Dispose()
    {
        Http.Dispose();
        _ = Run("ip", "netns", "del", Name);
        if (Directory.Exists(EtcDirectory))
        {
            Directory.Delete(EtcDirectory, recursive: true);
        }
    }

    internal static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(start)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{file}: {e.Message}");
        }
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    internal static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEuid();
}
