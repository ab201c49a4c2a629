using System.Net;
using System.Net.Sockets;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Output.ArtNet;

/// <summary>
/// Sends ArtDmx per universe (sequence 1..255 wrapping, full 512-slot frames) to the configured nodes and/or a
/// directed broadcast, ArtSync after a frame set when enabled, re-sends an unchanged universe after the keep-alive
/// interval (Art-Net requires ≤ 4 s), and answers ArtPoll with one ArtPollReply per universe, unicast to the poller.
/// One socket, bound to the configured address and port, sends and listens (a background thread receives).
/// </summary>
public sealed class ArtNetOutput : IDmxOutput
{
    private readonly ArtNetOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly SocketAddress[] _destinations;
    private readonly PortAddress[] _portAddresses;
    private readonly byte[] _sequence;
    private readonly long[] _lastSent;
    private readonly byte[] _buffer = new byte[ArtDmxPacket.MaxLength];
    private readonly byte[] _syncBuffer = new byte[ArtSyncPacket.Length];
    private readonly SendFailureGate _failures;
    private readonly int _pollReplies;
    private readonly Thread? _listener;
    private readonly IPAddress _bindAddress;
    private readonly TimeSpan _keepAlive;
    private volatile bool _disposed;

    public ArtNetOutput(ArtNetOptions options, IReadOnlyList<int> universes, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _keepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds);
        _portAddresses = universes.Select(u => new PortAddress(u + options.UniverseOffset)).ToArray();
        _sequence = new byte[universes.Count];
        _lastSent = new long[universes.Count];
        Array.Fill(_lastSent, long.MinValue);
        var destinations = new List<IPEndPoint>();
        foreach (var node in options.EffectiveNodes)
        {
            LightingOptions.TryParseEndpoint(node, ArtNetHeader.Port, out var ep);
            destinations.Add(ep);
        }

        if (options.Broadcast)
        {
            destinations.Add(new IPEndPoint(IPAddress.Parse(options.BroadcastAddress), ArtNetHeader.Port));
        }

        _destinations = destinations.Select(d => d.Serialize()).ToArray();
        _pollReplies = _destinations.Length;    // the gate's slot for ArtPollReply sends
        _failures = new SendFailureGate(logger, [.. destinations.Select(d => $"Art-Net → {d}"), "Art-Net ArtPollReply"], time, TimeSpan.FromSeconds(10));
        _bindAddress = IPAddress.Parse(options.BindAddress);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        if (options.Broadcast)
        {
            _socket.EnableBroadcast = true;
        }

        if (options.ReuseAddress)
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }

        try
        {
            _socket.Bind(new IPEndPoint(_bindAddress, options.ListenPort));
        }
        catch (SocketException e)
        {
            LightingLog.ArtNetListenFailed(logger, $"{options.BindAddress}:{options.ListenPort}", e.SocketErrorCode.ToString());
            _socket.Bind(new IPEndPoint(_bindAddress, 0));
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        if (options.AnswerPolls)
        {
            _listener = new Thread(Listen) { IsBackground = true, Name = "LightMood Art-Net listener" };
            _listener.Start();
        }
    }

    public string Name => "Art-Net";

    /// <summary>The address and port the output sends from and listens on.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>ArtDmx packets sent (all destinations counted once per universe).</summary>
    public long PacketsSent { get; private set; }

    public long SendFailures => _failures.TotalFailures;

    public void Send(DmxFrameSet frames, long timestamp)
    {
        var any = false;
        for (var i = 0; i < _portAddresses.Length; i++)
        {
            if (!frames.Changed[i] && _lastSent[i] != long.MinValue && _time.GetElapsedTime(_lastSent[i], timestamp) < _keepAlive)
            {
                continue;
            }

            // sequence 1..255 wrapping; 0 would disable sequencing at the receiver
            _sequence[i] = _sequence[i] == 255 ? (byte)1 : (byte)(_sequence[i] + 1);
            var n = ArtDmxPacket.Write(_buffer, _portAddresses[i], _sequence[i], 0, frames.Frames[i]);
            SendToAll(_buffer.AsSpan(0, n));
            _lastSent[i] = timestamp;
            PacketsSent++;
            any = true;
        }

        if (any && _options.Sync)
        {
            var n = ArtSyncPacket.Write(_syncBuffer);
            SendToAll(_syncBuffer.AsSpan(0, n));
        }
    }

    public void Terminate(DmxFrameSet frames)
    {
        // Art-Net has no stream termination: nodes hold the last frame (the safe look was sent before this).
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _socket.Dispose();
        _listener?.Join(TimeSpan.FromSeconds(2));
    }

    private void SendToAll(ReadOnlySpan<byte> packet)
    {
        for (var i = 0; i < _destinations.Length; i++)
        {
            try
            {
                _socket.SendTo(packet, SocketFlags.None, _destinations[i]);
                _failures.Succeeded(i);
            }
            catch (SocketException e)
            {
                _failures.Failed(i, e);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>The address to announce: the bind address, or (bound to any) the local address that routes to the poller.</summary>
    private IPAddress ReplyAddress(IPEndPoint poller)
    {
        if (!_bindAddress.Equals(IPAddress.Any))
        {
            return _bindAddress;
        }

        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(poller);   // UDP connect sends nothing; it only picks the route and the source address
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return _bindAddress;
        }
    }

    private void Listen()
    {
        var buffer = new byte[1500];
        var reply = new byte[ArtPollReplyPacket.Length];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!_disposed)
        {
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException) when (!_disposed)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (!ArtPollPacket.TryParse(buffer.AsSpan(0, n), out _))
            {
                continue;
            }

            var poller = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from);
            var self = ReplyAddress(poller);
            var replies = 0;
            for (var i = 0; i < _portAddresses.Length && i < 255; i++)
            {
                var info = new ArtPollReplyInfo(self, _options.ShortName, _options.LongName, _portAddresses[i], (byte)(i + 1),
                    $"#0001 [{PacketsSent % 10000:0000}] LightMood OK");
                var len = ArtPollReplyPacket.Write(reply, info);
                try
                {
                    // Art-Net 4: the reply is unicast to the poller's address (its port: 6454 for a console)
                    _socket.SendTo(reply.AsSpan(0, len), SocketFlags.None, poller);
                    replies++;
                }
                catch (SocketException e)
                {
                    _failures.Failed(_pollReplies, e);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }

            LightingLog.ArtPollAnswered(_logger, poller.ToString(), replies);
        }
    }
}
