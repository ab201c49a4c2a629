using System.Net;
using System.Net.Sockets;
using System.Text;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Output.Sacn;

/// <summary>
/// Sends E1.31 data packets per universe (sequence 0..255 wrapping, priority, stable CID, source name) by unicast to
/// the configured receivers or by multicast to 239.255.hi.lo, re-sends an unchanged universe after the keep-alive
/// interval (receivers drop a source after 2.5 s), announces its universes by universe discovery every 10 s
/// (section 8), and on <see cref="Terminate"/> sends three stream-terminated packets per universe (section 6.7.1).
/// </summary>
public sealed class SacnOutput : IDmxOutput
{
    private readonly TimeProvider _time;
    private readonly Socket _socket;
    private readonly SocketAddress[][] _destinations;
    private readonly int[][] _destinationSlots;
    private readonly int[] _discoverySlots;
    private readonly ushort[] _universes;
    private readonly byte[] _sequence;
    private readonly long[] _lastSent;
    private readonly byte[] _buffer = new byte[E131DataPacket.MaxLength];
    private readonly byte[] _cid = new byte[16];
    private readonly byte[] _sourceName;
    private readonly byte _priority;
    private readonly SendFailureGate _failures;
    private readonly TimeSpan _keepAlive;
    private readonly ushort[] _sortedUniverses;
    private readonly SocketAddress[] _discoveryDestinations;
    private readonly byte[] _discoveryBuffer = new byte[E131DiscoveryPacket.MaxLength];
    private readonly bool _discovery;
    private long _lastDiscovery = long.MinValue;
    private long _lastPacket = long.MinValue;
    private bool _terminated;

    public SacnOutput(SacnOptions options, IReadOnlyList<int> universes, Guid cid, TimeProvider time, ILogger logger)
    {
        _time = time;
        _keepAlive = TimeSpan.FromSeconds(options.EffectiveKeepAliveSeconds);
        _priority = (byte)options.Priority;
        _sourceName = Encoding.UTF8.GetBytes(options.SourceName);
        cid.TryWriteBytes(_cid, bigEndian: true, out _);
        Cid = cid;
        _universes = new ushort[universes.Count];
        _destinations = new SocketAddress[universes.Count][];
        var unicastEndpoints = options.EffectiveDestinations.Select(d =>
        {
            Ipv4Endpoint.TryParse(d, E131DataPacket.Port, out var ep);
            return ep;
        }).ToArray();
        var unicast = unicastEndpoints.Select(e => e.Serialize()).ToArray();
        var unicastSlots = Enumerable.Range(0, unicast.Length).ToArray();
        _destinationSlots = new int[universes.Count][];
        for (var i = 0; i < universes.Count; i++)
        {
            var u = options.Map(universes[i]);
            if (u is < 1 or > E131DataPacket.MaxUniverse)
            {
                throw new ArgumentException($"patch universe {universes[i]} maps to sACN universe {u}, outside 1..{E131DataPacket.MaxUniverse}: check Lighting:Sacn:UniverseOffset/UniverseMap");
            }

            _universes[i] = (ushort)u;
            _destinations[i] = options.Multicast ? [new IPEndPoint(E131DataPacket.MulticastGroup(u), E131DataPacket.Port).Serialize()] : unicast;
            _destinationSlots[i] = options.Multicast ? [i] : unicastSlots;
        }

        // failure-report slots: unicast receivers, or one per multicast group plus the discovery group
        var names = options.Multicast
            ? [.. _universes.Select(u => $"sACN → {E131DataPacket.MulticastGroup(u)}"), $"sACN → {E131DataPacket.MulticastGroup(E131DiscoveryPacket.DiscoveryUniverse)}"]
            : unicastEndpoints.Select(e => $"sACN → {e}").ToArray();
        _discoverySlots = options.Multicast ? [universes.Count] : unicastSlots;
        _failures = new SendFailureGate(logger, names, time, TimeSpan.FromSeconds(10));

        _sortedUniverses = _universes.Distinct().Order().ToArray();
        _discovery = options.UniverseDiscovery;
        _discoveryDestinations = options.Multicast
            ? [new IPEndPoint(E131DataPacket.MulticastGroup(E131DiscoveryPacket.DiscoveryUniverse), E131DataPacket.Port).Serialize()]
            : unicast;
        _sequence = new byte[universes.Count];
        _lastSent = new long[universes.Count];
        Array.Fill(_lastSent, long.MinValue);
        var bind = IPAddress.Parse(options.BindAddress);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        if (options.Multicast)
        {
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, bind.GetAddressBytes());
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 8);
        }

        _socket.Bind(new IPEndPoint(bind, 0));
        if (options.ListenForSources)
        {
            try
            {
                Listener = new SacnSourceListener(options, _universes.Select(u => (int)u), cid, time, logger);
            }
            catch
            {
                _socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>The listener for other sources (<see cref="SacnOptions.ListenForSources"/>), or null.</summary>
    public SacnSourceListener? Listener { get; }

    public string Name => "sACN";

    public Guid Cid { get; }

    /// <summary>The priority its data packets carry.</summary>
    public int Priority => _priority;

    /// <summary>The sACN universe per frame-set index.</summary>
    public IReadOnlyList<ushort> SacnUniverses => _universes;

    public long PacketsSent { get; private set; }

    /// <summary>The engine clock's timestamp of the last data packet sent (long.MinValue before the first).</summary>
    public long LastPacketTimestamp => Interlocked.Read(ref _lastPacket);

    public long SendFailures => _failures.TotalFailures;

    public void Send(DmxFrameSet frames, long timestamp)
    {
        if (_terminated)
        {
            return;
        }

        for (var i = 0; i < _universes.Length; i++)
        {
            if (!frames.Changed[i] && _lastSent[i] != long.MinValue && _time.GetElapsedTime(_lastSent[i], timestamp) < _keepAlive)
            {
                continue;
            }

            SendOne(i, frames.Frames[i], 0);
            _lastSent[i] = timestamp;
        }

        if (_discovery && (_lastDiscovery == long.MinValue || _time.GetElapsedTime(_lastDiscovery, timestamp).TotalSeconds >= E131DiscoveryPacket.IntervalSeconds))
        {
            SendDiscovery();
            _lastDiscovery = timestamp;
        }
    }

    /// <summary>Discovery packets sent (pages).</summary>
    public long DiscoveryPagesSent { get; private set; }

    private void SendDiscovery()
    {
        var pages = Math.Max(1, (_sortedUniverses.Length + E131DiscoveryPacket.MaxUniversesPerPage - 1) / E131DiscoveryPacket.MaxUniversesPerPage);
        for (var page = 0; page < pages; page++)
        {
            var start = page * E131DiscoveryPacket.MaxUniversesPerPage;
            var count = Math.Min(E131DiscoveryPacket.MaxUniversesPerPage, _sortedUniverses.Length - start);
            var n = E131DiscoveryPacket.Write(_discoveryBuffer, _cid, _sourceName, (byte)page, (byte)(pages - 1), _sortedUniverses.AsSpan(start, count));
            if (!SendToAll(_discoveryBuffer.AsSpan(0, n), _discoveryDestinations, _discoverySlots))
            {
                return;
            }

            DiscoveryPagesSent++;
        }
    }

    public void Terminate(DmxFrameSet frames)
    {
        if (_terminated)
        {
            return;
        }

        for (var k = 0; k < 3; k++)
        {
            for (var i = 0; i < _universes.Length; i++)
            {
                SendOne(i, frames.Frames[i], E131DataPacket.OptionStreamTerminated);
            }
        }

        _terminated = true;
    }

    public void Dispose()
    {
        Listener?.Dispose();
        _socket.Dispose();
    }

    private void SendOne(int i, ReadOnlySpan<byte> frame, byte options)
    {
        var n = E131DataPacket.Write(_buffer, _cid, _sourceName, _priority, 0, _sequence[i]++, options, _universes[i], frame);
        if (!SendToAll(_buffer.AsSpan(0, n), _destinations[i], _destinationSlots[i]))
        {
            return;
        }

        PacketsSent++;
        Interlocked.Exchange(ref _lastPacket, _time.GetTimestamp());
    }

    /// <summary>
    /// Sends <paramref name="packet"/> to every destination, counting each one's failures in its slot (a failed one
    /// does not stop the others); false when the socket was closed under it (the output is being disposed).
    /// </summary>
    private bool SendToAll(ReadOnlySpan<byte> packet, SocketAddress[] destinations, int[] slots)
    {
        for (var d = 0; d < destinations.Length; d++)
        {
            try
            {
                _socket.SendTo(packet, SocketFlags.None, destinations[d]);
                _failures.Succeeded(slots[d]);
            }
            catch (SocketException e)
            {
                _failures.Failed(slots[d], e);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A stable sACN component identifier: from the options, else read from (or created in) a file.</summary>
public static class SacnCid
{
    public static Guid Resolve(SacnOptions options, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.Cid))
        {
            return Guid.Parse(options.Cid);
        }

        var path = Path.Combine(contentRoot, options.CidFile);
        if (File.Exists(path) && Guid.TryParse(File.ReadAllText(path).Trim(), out var existing))
        {
            return existing;
        }

        var cid = Guid.NewGuid();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, cid.ToString() + "\n");
        return cid;
    }
}
