using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LightMood.Tests.Service;

/// <summary>
/// The only name server a <see cref="NetworkNamespace"/> has: 127.0.0.1:53 (UDP and TCP) inside it. Every query is
/// recorded with its name and answered NXDOMAIN at once (a resolver that gets no answer would retry, and a client
/// that got an address would go on to connect: both would hide or blur what is asked).
/// </summary>
public sealed class FakeDnsServer : IDisposable
{
    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly List<string> _queries = [];
    private readonly Thread _udpThread;
    private readonly Thread _tcpThread;
    private volatile bool _running = true;

    public FakeDnsServer(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        _udp = ns.InNamespace(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 53));
            return s;
        });
        _tcp = ns.InNamespace(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 53));
            s.Listen();
            return s;
        });
        _udpThread = new Thread(ServeUdp) { IsBackground = true, Name = "fake DNS (UDP)" };
        _tcpThread = new Thread(ServeTcp) { IsBackground = true, Name = "fake DNS (TCP)" };
        _udpThread.Start();
        _tcpThread.Start();
    }

    /// <summary>The names asked so far, in order (one entry per query, retries included).</summary>
    public IReadOnlyList<string> Queries
    {
        get
        {
            lock (_queries)
            {
                return [.. _queries];
            }
        }
    }

    public void Dispose()
    {
        _running = false;
        _udp.Dispose();
        _tcp.Dispose();
        _udpThread.Join(2000);
        _tcpThread.Join(2000);
    }

    private void ServeUdp()
    {
        var buffer = new byte[4096];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (_running)
        {
            int n;
            try
            {
                n = _udp.ReceiveFrom(buffer, ref from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Record(buffer.AsSpan(0, n)) is { } reply)
            {
                _udp.SendTo(reply, from);
            }
        }
    }

    private void ServeTcp()
    {
        while (_running)
        {
            try
            {
                using var client = _tcp.Accept();
                client.ReceiveTimeout = 2000;
                var buffer = new byte[4096];
                var n = client.Receive(buffer);
                if (n > 2 && Record(buffer.AsSpan(2, n - 2)) is { } reply)
                {
                    client.Send([(byte)(reply.Length >> 8), (byte)reply.Length, .. reply]);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (!_running)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Records the query's name; returns the NXDOMAIN answer (the query with QR set and RCODE 3).</summary>
    private byte[]? Record(ReadOnlySpan<byte> query)
    {
        if (query.Length < 12)
        {
            return null;
        }

        var name = new StringBuilder();
        var i = 12;
        while (i < query.Length && query[i] != 0 && query[i] < 64)
        {
            var length = query[i];
            if (i + 1 + length > query.Length)
            {
                break;
            }

            name.Append(name.Length > 0 ? "." : "").Append(Encoding.ASCII.GetString(query.Slice(i + 1, length)));
            i += 1 + length;
        }

        lock (_queries)
        {
            _queries.Add(name.Length > 0 ? name.ToString() : "(unparsed query)");
        }

        var reply = query.ToArray();
        reply[2] = (byte)(0x80 | (reply[2] & 0x79)); // QR, same opcode, RD kept
        reply[3] = 0x83;                               // RA, RCODE 3 (NXDOMAIN)
        return reply;
    }
}
