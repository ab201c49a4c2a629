using System.Net;
using System.Net.Sockets;
using System.Text;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Output.Sacn;

/// <summary>What a receiver makes of an sACN source now (E1.31-2018 section 6.7).</summary>
public enum SacnSourceState
{
    /// <summary>Data within the last 2.5 s (E1.31's network data loss timeout).</summary>
    Active,

    /// <summary>It ended its stream with Stream_Terminated packets.</summary>
    Terminated,

    /// <summary>No data for 2.5 s: a receiver has dropped it.</summary>
    TimedOut,

    /// <summary>Heard only by universe discovery: it announces universes but sends none of them here.</summary>
    Announced,
}

/// <summary>
/// Another sACN source heard on the network, by its CID.
/// </summary>
/// <param name="Cid">Its component identifier.</param>
/// <param name="Name">Its source name (the latest packet's).</param>
/// <param name="Address">The address its packets come from.</param>
/// <param name="Priority">The priority of its latest data packet (0..200), or null before any data packet.</param>
/// <param name="Universes">The universes it sent data on (the latest packet's priority applies to all).</param>
/// <param name="Announced">The universes its last universe discovery listed.</param>
/// <param name="State">Active, terminated, timed out, or only announced.</param>
/// <param name="LastSeen">When its last packet of any kind arrived.</param>
/// <param name="Packets">Data packets received from it.</param>
public sealed record SacnSource(Guid Cid, string Name, IPAddress Address, int? Priority, IReadOnlyList<int> Universes, IReadOnlyList<int> Announced,
    SacnSourceState State, DateTimeOffset LastSeen, long Packets);

/// <summary>
/// The sACN sources heard, keyed by CID: updated by <see cref="SacnSourceListener"/>'s thread, read by the page. A
/// source is active while data arrives within <see cref="DataLossTimeout"/> (2.5 s), terminated after a
/// Stream_Terminated packet, timed out after that, and forgotten after <see cref="ForgetAfter"/> of silence.
/// </summary>
public sealed class SacnSourceTable(TimeProvider time, TimeSpan forgetAfter)
{
    /// <summary>E1.31's network data loss timeout: a receiver drops a source silent this long.</summary>
    public static readonly TimeSpan DataLossTimeout = TimeSpan.FromSeconds(2.5);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _sources = [];

    /// <summary>A source silent this long is forgotten.</summary>
    public TimeSpan ForgetAfter { get; } = forgetAfter > DataLossTimeout ? forgetAfter : throw new ArgumentOutOfRangeException(nameof(forgetAfter), "must exceed the 2.5 s data loss timeout");

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>Records a data packet (a new source returns true).</summary>
    public bool ObserveData(Guid cid, ReadOnlySpan<byte> name, IPAddress from, byte priority, ushort universe, bool terminated)
    {
        lock (_gate)
        {
            var isNew = !_sources.TryGetValue(cid, out var e);
            e ??= _sources[cid] = new Entry();
            e.SetName(name);
            e.Address = from;
            e.Priority = priority;
            e.Universes.Add(universe);
            e.LastSeen = e.LastData = time.GetTimestamp();
            e.Terminated = terminated;
            e.Packets++;
            return isNew;
        }
    }

    /// <summary>Records a universe discovery page (a new source returns true).</summary>
    public bool ObserveDiscovery(Guid cid, ReadOnlySpan<byte> name, IPAddress from, byte page, IReadOnlyList<ushort> universes)
    {
        lock (_gate)
        {
            var isNew = !_sources.TryGetValue(cid, out var e);
            e ??= _sources[cid] = new Entry();
            e.SetName(name);
            e.Address = from;
            e.LastSeen = time.GetTimestamp();
            if (page == 0)
            {
                e.Announced.Clear();
            }

            foreach (var u in universes)
            {
                e.Announced.Add(u);
            }

            return isNew;
        }
    }

    /// <summary>Forgets sources silent for <see cref="ForgetAfter"/>; returns their names.</summary>
    public IReadOnlyList<string> Expire()
    {
        lock (_gate)
        {
            var gone = _sources.Where(kv => time.GetElapsedTime(kv.Value.LastSeen) >= ForgetAfter).ToList();
            foreach (var (cid, _) in gone)
            {
                _sources.Remove(cid);
            }

            return [.. gone.Select(kv => kv.Value.Name)];
        }
    }

    /// <summary>The sources now, each with its state.</summary>
    public IReadOnlyList<SacnSource> Snapshot()
    {
        var now = time.GetTimestamp();
        var wall = time.GetUtcNow();
        lock (_gate)
        {
            return [.. _sources.OrderBy(kv => kv.Value.Name, StringComparer.Ordinal).Select(kv =>
            {
                var e = kv.Value;
                var state = e.LastData == long.MinValue ? SacnSourceState.Announced
                    : e.Terminated ? SacnSourceState.Terminated
                    : time.GetElapsedTime(e.LastData, now) >= DataLossTimeout ? SacnSourceState.TimedOut
                    : SacnSourceState.Active;
                return new SacnSource(kv.Key, e.Name, e.Address, e.LastData == long.MinValue ? null : e.Priority,
                    [.. e.Universes.Order()], [.. e.Announced.Order()], state, wall - time.GetElapsedTime(e.LastSeen, now), e.Packets);
            })];
        }
    }

    private sealed class Entry
    {
        private byte[] _nameBytes = [];

        public string Name { get; private set; } = "";

        public IPAddress Address { get; set; } = IPAddress.None;

        public byte Priority { get; set; }

        public HashSet<int> Universes { get; } = [];

        public HashSet<int> Announced { get; } = [];

        public long LastSeen { get; set; }

        public long LastData { get; set; } = long.MinValue;

        public bool Terminated { get; set; }

        public long Packets { get; set; }

        /// <summary>Decodes the name only when its bytes change (a steady source costs no string per packet).</summary>
        public void SetName(ReadOnlySpan<byte> name)
        {
            if (!name.SequenceEqual(_nameBytes))
            {
                _nameBytes = name.ToArray();
                Name = Encoding.UTF8.GetString(name);
            }
        }
    }
}

/// <summary>
/// Listens for other sACN sources (a console, a backup LightMood) on UDP 5568: E1.31 data packets on any universe
/// and universe discovery pages go into <see cref="Sources"/>; LightMood's own packets (its CID) are left out. With
/// multicast it joins the groups of LightMood's universes and of universe discovery (64214) on the sending interface;
/// with unicast it hears what is sent to <see cref="SacnOptions.ListenAddress"/>. A dedicated thread, one reused
/// buffer, malformed datagrams counted and dropped.
/// </summary>
public sealed class SacnSourceListener : IDisposable
{
    private static readonly TimeSpan WakeUp = TimeSpan.FromMilliseconds(500);
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly Guid _own;
    private readonly ILogger _logger;
    private volatile bool _disposed;

    /// <param name="options">The sACN options: multicast or not, the interface, the listen address and port.</param>
    /// <param name="universes">LightMood's sACN universes (joined as multicast groups).</param>
    /// <param name="own">LightMood's own CID, whose packets are not another source.</param>
    public SacnSourceListener(SacnOptions options, IEnumerable<int> universes, Guid own, TimeProvider time, ILogger logger)
    {
        _own = own;
        _logger = logger;
        Sources = new SacnSourceTable(time, TimeSpan.FromSeconds(options.SourceForgetSeconds));
        var bind = IPAddress.Parse(options.BindAddress);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // SO_REUSEADDR: beside a local olad, which holds 5568 with it too; multicast reaches every such socket
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            var listen = options.Multicast ? IPAddress.Any : IPAddress.Parse(string.IsNullOrEmpty(options.ListenAddress) ? options.BindAddress : options.ListenAddress);
            _socket.Bind(new IPEndPoint(listen, options.ListenPort));
            if (options.Multicast)
            {
                foreach (var u in universes.Append(E131DiscoveryPacket.DiscoveryUniverse).Distinct())
                {
                    _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(E131DataPacket.MulticastGroup(u), bind));
                }
            }
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _socket.ReceiveTimeout = (int)WakeUp.TotalMilliseconds;
        _thread = new Thread(Listen) { IsBackground = true, Name = "LightMood sACN listener" };
        _thread.Start();
    }

    /// <summary>The sources heard.</summary>
    public SacnSourceTable Sources { get; }

    /// <summary>Where it listens.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams on the port that were neither a data packet nor a discovery page.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    private long _malformed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _socket.Dispose();
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    private void Listen()
    {
        var buffer = new byte[E131DataPacket.MaxLength + 64];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        IPAddress? lastFrom = null;
        SocketAddress? lastFromRaw = null;
        while (!_disposed)
        {
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException) when (!_disposed)
            {
                Expire();
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (lastFromRaw is null || !from.Equals(lastFromRaw))
            {
                // the sender's address as an object only when it changes (one steady source: no allocation per packet)
                lastFromRaw = new SocketAddress(AddressFamily.InterNetwork);
                from.Buffer.Span.CopyTo(lastFromRaw.Buffer.Span);
                lastFrom = ((IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from)).Address;
            }

            Receive(buffer.AsSpan(0, n), lastFrom!);
            Expire();
        }
    }

    /// <summary>One datagram: a data packet or a discovery page of another source, else counted as malformed.</summary>
    internal void Receive(ReadOnlySpan<byte> datagram, IPAddress from)
    {
        if (E131DataPacket.TryParse(datagram, out var data))
        {
            var cid = new Guid(data.Cid, bigEndian: true);
            if (cid != _own && Sources.ObserveData(cid, data.SourceNameBytes, from, data.Priority, data.Universe, (data.Options & E131DataPacket.OptionStreamTerminated) != 0))
            {
                LightingLog.SacnSourceFound(_logger, Encoding.UTF8.GetString(data.SourceNameBytes), from.ToString(), data.Priority, data.Universe);
            }
        }
        else if (E131DiscoveryPacket.TryParse(datagram, out var page, out _, out var universes) && datagram.Length >= 108)
        {
            var cid = new Guid(datagram.Slice(22, 16), bigEndian: true);
            var name = datagram.Slice(44, E131DataPacket.SourceNameLength);
            var end = name.IndexOf((byte)0);
            if (cid != _own && Sources.ObserveDiscovery(cid, end < 0 ? name : name[..end], from, page, universes))
            {
                LightingLog.SacnSourceFound(_logger, Encoding.UTF8.GetString(end < 0 ? name : name[..end]), from.ToString(), null, null);
            }
        }
        else
        {
            Interlocked.Increment(ref _malformed);
        }
    }

    private void Expire()
    {
        foreach (var name in Sources.Expire())
        {
            LightingLog.SacnSourceForgotten(_logger, name, Sources.ForgetAfter.TotalSeconds);
        }
    }
}
