using System.Net;
using System.Net.Sockets;

namespace LightMood.Lighting.Tests;

/// <summary>A UDP socket on loopback that collects what arrives (a real receiver for output tests).</summary>
internal sealed class UdpProbe : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpProbe(string address = "127.0.0.1", int port = 0)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Parse(address), port));
        _socket.ReceiveTimeout = 200;
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public string Address => $"{EndPoint.Address}:{EndPoint.Port}";

    /// <summary>Everything that arrived within <paramref name="quietMs"/> of the previous datagram.</summary>
    public List<byte[]> Drain(int quietMs = 100)
    {
        _socket.ReceiveTimeout = quietMs;
        var list = new List<byte[]>();
        var buffer = new byte[2048];
        while (true)
        {
            try
            {
                var n = _socket.Receive(buffer);
                list.Add(buffer[..n]);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
            {
                return list;
            }
        }
    }

    public (byte[] Data, IPEndPoint From)? ReceiveFrom(int timeoutMs)
    {
        _socket.ReceiveTimeout = timeoutMs;
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            var n = _socket.ReceiveFrom(buffer, ref from);
            return (buffer[..n], (IPEndPoint)from);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public void SendTo(byte[] data, IPEndPoint to) => _socket.SendTo(data, to);

    public void Dispose() => _socket.Dispose();
}
