using System.Diagnostics;

namespace LightMood.Tests.Service;

/// <summary>
/// Art-Net on the wire inside a <see cref="NetworkNamespace"/>: tshark on its loopback (Wireshark's Art-Net dissector)
/// counting ArtDmx packets (OpCode 0x5000) to port 6454. Passive, so the daemon keeps its default port 6454 to itself.
/// tshark runs with <c>-n</c>: it would otherwise look names up itself, in the namespace under test.
/// </summary>
public sealed class ArtNetWatch : IDisposable
{
    private readonly Process _tshark;
    private readonly List<string> _stderr = [];
    private int _artDmx;

    private ArtNetWatch(Process tshark)
    {
        _tshark = tshark;
        tshark.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Trim() == "0x5000")
            {
                Interlocked.Increment(ref _artDmx);
            }
        };
        tshark.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.Add(e.Data ?? "");
            }
        };
        tshark.BeginOutputReadLine();
        tshark.BeginErrorReadLine();
    }

    public int ArtDmxPackets => Volatile.Read(ref _artDmx);

    /// <summary>Starts tshark in the namespace and waits until it captures.</summary>
    public static async Task<ArtNetWatch> StartAsync(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var watch = new ArtNetWatch(Process.Start(ns.Exec("tshark", "-n", "-l", "-i", "lo", "-f", "udp dst port 6454", "-T", "fields", "-e", "artnet.header.opcode"))!);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && !watch._tshark.HasExited)
        {
            lock (watch._stderr)
            {
                if (watch._stderr.Any(l => l.Contains("Capturing on", StringComparison.Ordinal)))
                {
                    return watch;
                }
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        var why = watch.ToString();
        watch.Dispose();
        throw new InvalidOperationException("tshark did not start capturing: " + why);
    }

    public override string ToString()
    {
        lock (_stderr)
        {
            return string.Join('\n', _stderr);
        }
    }

    public void Dispose()
    {
        if (!_tshark.HasExited)
        {
            _tshark.Kill(entireProcessTree: true);
        }

        _tshark.WaitForExit(5000);
        _tshark.Dispose();
    }
}
