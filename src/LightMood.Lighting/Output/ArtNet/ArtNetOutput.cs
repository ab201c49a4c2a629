using System.Net;
using System.Net.Sockets;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Output.ArtNet;

/// <summary>
/// Art-Net 4 controller. Sends ArtDmx per universe (sequence 1..255 wrapping, full 512-slot frames) by unicast to the
/// nodes that asked for it in their ArtPollReply, to the configured nodes and, when enabled, to the directed
/// broadcast (always, or as the fallback for a universe no node takes); ArtSync after a frame set when enabled; re-sends an unchanged universe after the keep-alive interval
/// (Art-Net requires ≤ 4 s). Polls every 2.5..3 s (ArtPoll to the directed broadcast) and keeps an
/// <see cref="ArtNetNodeTable"/>; answers ArtPoll with one ArtPollReply per universe, unicast to the poller.
/// One socket, bound to the configured address and port (SO_REUSEADDR, so a local olad can share 6454), sends and
/// hears unicast; a second one, bound to the directed broadcast address, hears broadcast polls and replies.
/// </summary>
public sealed class ArtNetOutput : IDmxOutput
{
    private const int PollSlot = 0;
    private const int PollReplySlot = 1;
    private static readonly TimeSpan ListenWakeUp = TimeSpan.FromMilliseconds(250);

    private readonly ArtNetOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly Socket? _broadcastListener;
    private readonly PortAddress[] _portAddresses;
    private readonly byte[] _sequence;
    private readonly long[] _lastSent;
    private readonly byte[] _buffer = new byte[ArtDmxPacket.MaxLength];
    private readonly byte[] _syncBuffer = new byte[ArtSyncPacket.Length];
    private readonly byte[] _pollBuffer = new byte[ArtPollPacket.Length];
    private readonly SocketAddress _pollDestination;
    private readonly SendFailureGate _ownFailures;
    private readonly IPEndPoint[] _configured;
    private readonly IPEndPoint? _broadcast;
    private readonly IPEndPoint _localBroadcast;
    private readonly Lock _routeGate = new();
    private readonly List<Thread> _listeners = [];
    private readonly IPAddress _bindAddress;
    private readonly TimeSpan _keepAlive;
    private readonly TimeSpan _pollInterval;
    private volatile ArtNetRoutes _routes;
    private volatile bool _resendAll;
    private long _retiredFailures;
    private long _lastPoll = long.MinValue;
    private volatile bool _disposed;

    public ArtNetOutput(ArtNetOptions options, IReadOnlyList<int> universes, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _keepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds);
        _pollInterval = TimeSpan.FromSeconds(options.PollIntervalSeconds);
        _portAddresses = universes.Select(u => new PortAddress(u + options.UniverseOffset)).ToArray();
        _sequence = new byte[universes.Count];
        _lastSent = new long[universes.Count];
        Array.Fill(_lastSent, long.MinValue);
        _bindAddress = IPAddress.Parse(options.BindAddress);
        _configured = options.EffectiveNodes.Select(n =>
        {
            Ipv4Endpoint.TryParse(n, ArtNetHeader.Port, out var ep);
            return ep;
        }).ToArray();
        _broadcast = options.Broadcast ? new IPEndPoint(IPAddress.Parse(options.BroadcastAddress), ArtNetHeader.Port) : null;
        _localBroadcast = new IPEndPoint(LocalNetwork.DirectedBroadcast(_bindAddress, IPAddress.Parse(options.BroadcastAddress)), ArtNetHeader.Port);
        var pollTo = string.IsNullOrEmpty(options.PollAddress) ? _localBroadcast : new IPEndPoint(IPAddress.Parse(options.PollAddress), ArtNetHeader.Port);
        _pollDestination = pollTo.Serialize();
        PollDestination = pollTo;
        ArtPollPacket.Write(_pollBuffer, ArtPollPacket.FlagReplyOnChange, ArtPollPacket.DiagPriorityLow);
        _ownFailures = new SendFailureGate(logger, [$"Art-Net ArtPoll → {pollTo}", "Art-Net ArtPollReply"], time, TimeSpan.FromSeconds(10));
        Nodes = new ArtNetNodeTable(time, TimeSpan.FromSeconds(options.NodeTimeoutSeconds));
        _routes = BuildRoutes();

        _socket = OpenSocket(_bindAddress, options.ListenPort, fallBackToEphemeral: true)!;
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        var listen = options.AnswerPolls || options.Discovery;
        if (listen && options.ListenPort != 0 && !_bindAddress.Equals(IPAddress.Any) && !_localBroadcast.Address.Equals(_bindAddress))
        {
            // broadcast polls and replies reach only sockets bound to the wildcard or to the broadcast address itself
            _broadcastListener = OpenSocket(_localBroadcast.Address, options.ListenPort, fallBackToEphemeral: false);
        }

        if (listen)
        {
            foreach (var socket in new[] { _socket, _broadcastListener })
            {
                if (socket is not null)
                {
                    socket.ReceiveTimeout = (int)ListenWakeUp.TotalMilliseconds;
                    var thread = new Thread(() => Listen(socket)) { IsBackground = true, Name = "LightMood Art-Net listener" };
                    _listeners.Add(thread);
                    thread.Start();
                }
            }
        }
    }

    public string Name => "Art-Net";

    /// <summary>The address and port the output sends from and listens on.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The broadcast address the second listener is bound to, or null when there is none.</summary>
    public IPEndPoint? BroadcastListenEndPoint => (IPEndPoint?)_broadcastListener?.LocalEndPoint;

    /// <summary>Where ArtPoll goes.</summary>
    public IPEndPoint PollDestination { get; }

    /// <summary>The nodes discovery has heard.</summary>
    public ArtNetNodeTable Nodes { get; }

    /// <summary>ArtDmx packets sent (all destinations counted once per universe).</summary>
    public long PacketsSent { get; private set; }

    /// <summary>ArtPoll packets sent.</summary>
    public long PollsSent { get; private set; }

    public long SendFailures => Interlocked.Read(ref _retiredFailures) + _routes.Failures.TotalFailures + _ownFailures.TotalFailures;

    /// <summary>Where each universe goes now: destination → universe indexes (configured, broadcast and discovered).</summary>
    public IReadOnlyList<(IPEndPoint Destination, IReadOnlyList<int> Universes)> Routes => _routes.Describe();

    public void Send(DmxFrameSet frames, long timestamp)
    {
        var routes = _routes;
        var any = false;
        var all = _resendAll;   // a node was found: it gets its universes now, not at the next keep-alive
        _resendAll = false;
        for (var i = 0; i < _portAddresses.Length; i++)
        {
            if (!all && !frames.Changed[i] && _lastSent[i] != long.MinValue && _time.GetElapsedTime(_lastSent[i], timestamp) < _keepAlive)
            {
                continue;
            }

            // sequence 1..255 wrapping; 0 would disable sequencing at the receiver
            _sequence[i] = _sequence[i] == 255 ? (byte)1 : (byte)(_sequence[i] + 1);
            var n = ArtDmxPacket.Write(_buffer, _portAddresses[i], _sequence[i], 0, frames.Frames[i]);
            SendTo(routes, routes.PerUniverse[i], _buffer.AsSpan(0, n));
            _lastSent[i] = timestamp;
            PacketsSent++;
            any = true;
        }

        if (any && _options.Sync)
        {
            var n = ArtSyncPacket.Write(_syncBuffer);
            for (var d = 0; d < routes.Destinations.Length; d++)
            {
                SendOne(routes.Failures, d, routes.Destinations[d], _syncBuffer.AsSpan(0, n));
            }
        }

        if (_options.Discovery && (_lastPoll == long.MinValue || _time.GetElapsedTime(_lastPoll, timestamp) >= _pollInterval))
        {
            SendOne(_ownFailures, PollSlot, _pollDestination, _pollBuffer);
            _lastPoll = timestamp;
            PollsSent++;
        }
    }

    public void Terminate(DmxFrameSet frames)
    {
        // Art-Net has no stream termination: nodes hold the last frame (the safe look is sent by the engine).
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _socket.Dispose();
        _broadcastListener?.Dispose();
        foreach (var t in _listeners)
        {
            t.Join(TimeSpan.FromSeconds(2));
        }
    }

    private Socket? OpenSocket(IPAddress address, int port, bool fallBackToEphemeral)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // SO_BROADCAST only where something is broadcast (ArtPoll, the Broadcast option, a node sharing this address):
        // without it the kernel refuses any send to a broadcast address (EACCES)
        socket.EnableBroadcast = _options.Broadcast || _options.Discovery || _options.BroadcastFallback;
        if (_options.ReuseAddress)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }

        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch (SocketException e)
        {
            LightingLog.ArtNetListenFailed(_logger, $"{address}:{port}", e.SocketErrorCode.ToString());
            if (!fallBackToEphemeral)
            {
                socket.Dispose();
                return null;
            }

            socket.Bind(new IPEndPoint(address, 0));
            return socket;
        }
    }

    private void SendTo(ArtNetRoutes routes, int[] destinations, ReadOnlySpan<byte> packet)
    {
        for (var k = 0; k < destinations.Length; k++)
        {
            var d = destinations[k];
            SendOne(routes.Failures, d, routes.Destinations[d], packet);
        }
    }

    private void SendOne(SendFailureGate gate, int slot, SocketAddress destination, ReadOnlySpan<byte> packet)
    {
        try
        {
            _socket.SendTo(packet, SocketFlags.None, destination);
            gate.Succeeded(slot);
        }
        catch (SocketException e)
        {
            gate.Failed(slot, e);
        }
        catch (ObjectDisposedException)
        {
            // shutting down
        }
    }

    private ArtNetRoutes BuildRoutes() =>
        ArtNetRoutes.Build(_portAddresses, _configured, _broadcast, Nodes.Snapshot(), _bindAddress, _localBroadcast, _options.BroadcastFallback, _logger, _time);

    /// <summary>Rebuilds the routes after the node table changed (listener threads only; allocation is fine here).</summary>
    private void Reroute()
    {
        lock (_routeGate)
        {
            var old = _routes;
            _routes = BuildRoutes();
            _resendAll = true;
            Interlocked.Add(ref _retiredFailures, old.Failures.TotalFailures);
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

    private void Listen(Socket socket)
    {
        var buffer = new byte[1500];
        var reply = new byte[ArtPollReplyPacket.Length];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!_disposed)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException) when (!_disposed)
            {
                ExpireNodes();
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var source = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from);
            var datagram = buffer.AsSpan(0, n);
            if (ArtPollPacket.TryParse(datagram, out _) && _options.AnswerPolls)
            {
                AnswerPoll(source, reply);
            }
            else if (_options.Discovery && ArtPollReply.TryParse(datagram, out var pollReply) && !IsOwnReply(pollReply, source))
            {
                Observe(pollReply, source);
            }

            ExpireNodes();
        }
    }

    private bool IsOwnReply(ArtPollReply reply, IPEndPoint source) =>
        reply.Style == ArtPollReplyPacket.StyleController && source.Port == LocalEndPoint.Port &&
        (LocalEndPoint.Address.Equals(IPAddress.Any) || source.Address.Equals(LocalEndPoint.Address)) &&
        reply.ShortName == _options.ShortName && reply.LongName == _options.LongName;

    private void Observe(ArtPollReply reply, IPEndPoint source)
    {
        if (!Nodes.Observe(reply, source.Address))
        {
            return;
        }

        Reroute();
        var address = reply.Address.Equals(IPAddress.Any) ? source.Address : reply.Address;
        var sent = _portAddresses.Where(reply.Outputs.Contains).Select(p => p.ToString()).ToList();
        var how = address.Equals(_bindAddress) ? $"by broadcast to {_localBroadcast.Address} (it shares this host's address)" : "by unicast";
        LightingLog.ArtNetNodeFound(_logger, reply.ShortName, address.ToString(), reply.BindIndex,
            reply.Outputs.Count == 0 ? "nothing" : string.Join(", ", reply.Outputs),
            sent.Count == 0 ? "no universe" : $"{string.Join(", ", sent)} {how}");
    }

    private void ExpireNodes()
    {
        var lost = Nodes.Expire();
        if (lost.Count == 0)
        {
            return;
        }

        Reroute();
        foreach (var node in lost)
        {
            LightingLog.ArtNetNodeLost(_logger, node.ShortName, node.Address.ToString(), node.BindIndex, Nodes.Timeout.TotalSeconds);
        }
    }

    private void AnswerPoll(IPEndPoint poller, byte[] reply)
    {
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
                _ownFailures.Failed(PollReplySlot, e);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }

        LightingLog.ArtPollAnswered(_logger, poller.ToString(), replies);
    }
}
