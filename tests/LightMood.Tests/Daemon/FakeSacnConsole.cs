using System.Net;
using System.Net.Sockets;
using System.Text;
using LightMood.Lighting.Output.Sacn;

namespace LightMood.Tests.Daemon;

/// <summary>
/// Another sACN source for a test: a "console" written from E1.31's packet format (<see cref="E131DataPacket.Write"/>,
/// its own CID and name) that sends one universe by unicast 20 times a second until stopped, or ends its stream with
/// three Stream_Terminated packets.
/// </summary>
public sealed class FakeSacnConsole : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _to;
    private readonly byte[] _cid = new byte[16];
    private readonly byte[] _name;
    private readonly byte _priority;
    private readonly ushort _universe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sending;
    private byte _sequence;

    public FakeSacnConsole(IPEndPoint to, string name, byte priority, ushort universe, bool send = true)
    {
        _to = to;
        _name = Encoding.UTF8.GetBytes(name);
        _priority = priority;
        _universe = universe;
        Cid.TryWriteBytes(_cid, bigEndian: true, out _);
        _sending = send ? Task.Run(SendAsync) : Task.CompletedTask;
    }

    public Guid Cid { get; } = Guid.NewGuid();

    /// <summary>A UDP port free on loopback now (the listener takes it with SO_REUSEADDR).</summary>
    public static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>sACN on, sending by unicast to its own listener (so its own packets arrive and must be left out), listening on 127.0.0.1:<paramref name="port"/>.</summary>
    public static Dictionary<string, string?> DaemonListening(int port) => new()
    {
        ["Lighting:Sacn:Enabled"] = "true",
        ["Lighting:Sacn:Destinations:0"] = $"127.0.0.1:{port}",
        ["Lighting:Sacn:ListenForSources"] = "true",
        ["Lighting:Sacn:ListenAddress"] = "127.0.0.1",
        ["Lighting:Sacn:ListenPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Stops sending (the source falls silent: receivers time it out after 2.5 s).</summary>
    public void Silence()
    {
        _stop.Cancel();
        _sending.Wait(TimeSpan.FromSeconds(2));
    }

    /// <summary>Stops sending and ends the stream: three Stream_Terminated packets.</summary>
    public void Terminate()
    {
        Silence();
        for (var i = 0; i < 3; i++)
        {
            Send(E131DataPacket.OptionStreamTerminated);
        }
    }

    public void Dispose()
    {
        Silence();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task SendAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Send(0);
            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Send(byte options)
    {
        var buffer = new byte[E131DataPacket.MaxLength];
        var slots = new byte[512];
        slots[0] = 255;
        var n = E131DataPacket.Write(buffer, _cid, _name, _priority, 0, _sequence++, options, _universe, slots);
        _socket.SendTo(buffer.AsSpan(0, n), SocketFlags.None, _to);
    }
}
