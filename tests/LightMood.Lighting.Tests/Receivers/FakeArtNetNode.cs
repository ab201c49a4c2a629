using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LightMood.Lighting.Output.ArtNet;

namespace LightMood.Lighting.Tests.Receivers;

/// <summary>
/// An Art-Net node written from the specification, as a device on the network behaves: it listens on its own
/// address (unicast ArtDmx) and on the network's broadcast address (ArtPoll), answers every ArtPoll with an
/// ArtPollReply (Style StNode, its output ports' Port-Addresses) unicast to the poller's address at port 6454, and
/// records what it receives. Its ArtPollReply is built here byte by byte, not by LightMood's encoder.
/// </summary>
internal sealed class FakeArtNetNode : IDisposable
{
    private readonly Socket _unicast;
    private readonly Socket _broadcast;
    private readonly Thread[] _threads;
    private readonly IPAddress _address;
    private readonly PortAddress[] _outputs;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(double At, PortAddress Universe, byte[] Data, IPAddress To)> _dmx = [];
    private readonly List<double> _polls = [];
    private volatile bool _disposed;

    /// <param name="address">The node's address, e.g. 127.0.0.5.</param>
    /// <param name="broadcast">The network's broadcast address, e.g. 127.255.255.255.</param>
    /// <param name="shortName">ShortName.</param>
    /// <param name="outputs">Up to four output ports, all on one Net and Sub-Net.</param>
    public FakeArtNetNode(IPAddress address, IPAddress broadcast, string shortName, params PortAddress[] outputs)
    {
        Assert.InRange(outputs.Length, 1, 4);
        Assert.All(outputs, o => Assert.Equal(outputs[0].Value >> 4, o.Value >> 4));
        _address = address;
        _outputs = outputs;
        ShortName = shortName;
        _unicast = Open(address);
        _broadcast = Open(broadcast);
        _threads = [new Thread(() => Receive(_unicast)), new Thread(() => Receive(_broadcast))];
        foreach (var t in _threads)
        {
            t.IsBackground = true;
            t.Start();
        }
    }

    public string ShortName { get; }

    /// <summary>False: polls are heard but not answered (the node "goes away").</summary>
    public bool Answering { get; set; } = true;

    /// <summary>Seconds since the node started.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>ArtDmx received: when (s), Port-Address, data, and the address it was sent to (unicast or broadcast socket).</summary>
    public IReadOnlyList<(double At, PortAddress Universe, byte[] Data, IPAddress To)> Dmx
    {
        get
        {
            lock (_dmx)
            {
                return [.. _dmx];
            }
        }
    }

    /// <summary>When (s) each ArtPoll arrived.</summary>
    public IReadOnlyList<double> Polls
    {
        get
        {
            lock (_polls)
            {
                return [.. _polls];
            }
        }
    }

    /// <summary>The ArtPollReply of this node: 239 bytes, field by field from the Art-Net 4 table.</summary>
    public byte[] Reply()
    {
        var p = new byte[239];
        "Art-Net\0"u8.CopyTo(p);
        p[8] = 0x00;
        p[9] = 0x21;                                                         // OpCode 0x2100, little-endian
        _address.GetAddressBytes().CopyTo(p, 10);                            // IP
        p[14] = 0x36;
        p[15] = 0x19;                                                        // Port 0x1936, little-endian
        p[18] = (byte)_outputs[0].Net;                                       // NetSwitch
        p[19] = (byte)_outputs[0].SubNet;                                    // SubSwitch
        System.Text.Encoding.ASCII.GetBytes(ShortName).CopyTo(p, 26);        // ShortName
        System.Text.Encoding.ASCII.GetBytes(ShortName + " (test node)").CopyTo(p, 44);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(172), (ushort)_outputs.Length);   // NumPorts
        for (var i = 0; i < _outputs.Length; i++)
        {
            p[174 + i] = 0x80;                                               // PortTypes: output from Art-Net, DMX512
            p[190 + i] = (byte)_outputs[i].Universe;                         // SwOut
        }

        p[200] = 0x00;                                                       // Style: StNode
        _address.GetAddressBytes().CopyTo(p, 207);                           // BindIp
        p[211] = 1;                                                          // BindIndex
        p[212] = 0x08;                                                       // Status2: 15-bit Port-Address
        return p;
    }

    public void Dispose()
    {
        _disposed = true;
        _unicast.Dispose();
        _broadcast.Dispose();
        foreach (var t in _threads)
        {
            t.Join(2000);
        }
    }

    private static Socket Open(IPAddress address)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.Bind(new IPEndPoint(address, ArtNetHeader.Port));
        return s;
    }

    private void Receive(Socket socket)
    {
        var buffer = new byte[1500];
        var local = ((IPEndPoint)socket.LocalEndPoint!).Address;
        while (!_disposed)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, ref from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var at = Now;
            var datagram = buffer.AsSpan(0, n);
            if (ArtDmxPacket.TryParse(datagram, out var universe, out _, out var data))
            {
                lock (_dmx)
                {
                    _dmx.Add((at, universe, data.ToArray(), local));
                }
            }
            else if (ArtPollPacket.TryParse(datagram, out _))
            {
                lock (_polls)
                {
                    _polls.Add(at);
                }

                if (Answering)
                {
                    // Art-Net 4: unicast to the poller's IP, at the Art-Net port
                    _unicast.SendTo(Reply(), new IPEndPoint(((IPEndPoint)from).Address, ArtNetHeader.Port));
                }
            }
        }
    }
}
