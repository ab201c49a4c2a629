using System.Net;

namespace LightMood.Lighting.Output.ArtNet;

/// <summary>A node (or one bound group of a device's ports) as discovery last heard it.</summary>
/// <param name="Address">The node's IP address (from its ArtPollReply).</param>
/// <param name="BindIndex">1..n: which of the device's replies this entry is.</param>
/// <param name="ShortName">ShortName.</param>
/// <param name="LongName">LongName.</param>
/// <param name="NodeReport">Its last status text.</param>
/// <param name="Style">Style code: 0 node, 1 controller, ...</param>
/// <param name="Outputs">The Port-Addresses its ports output from Art-Net: these universes are sent to it.</param>
/// <param name="Inputs">The Port-Addresses its ports input to Art-Net.</param>
/// <param name="FirstSeen">When the first reply arrived.</param>
/// <param name="LastSeen">When the latest reply arrived.</param>
public sealed record ArtNetNode(
    IPAddress Address,
    byte BindIndex,
    string ShortName,
    string LongName,
    string NodeReport,
    byte Style,
    IReadOnlyList<PortAddress> Outputs,
    IReadOnlyList<PortAddress> Inputs,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);

/// <summary>
/// The nodes that answered ArtPoll, keyed by IP address and BindIndex (Art-Net 4: a device with more than four ports
/// answers with one reply per group). A node that has not replied for <see cref="Timeout"/> (several poll intervals)
/// is dropped. Thread-safe: the listener thread writes, the output and the web page read.
/// </summary>
public sealed class ArtNetNodeTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(IPAddress Address, byte BindIndex), Entry> _nodes = [];
    private readonly TimeProvider _time;

    public ArtNetNodeTable(TimeProvider time, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _time = time;
        Timeout = timeout;
    }

    /// <summary>A node silent for this long is dropped.</summary>
    public TimeSpan Timeout { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>
    /// Records a reply. <paramref name="source"/> stands in for a reply that gives no IP address (0.0.0.0).
    /// Returns true when the routing changed: a new node, or a node whose output Port-Addresses changed.
    /// </summary>
    public bool Observe(ArtPollReply reply, IPAddress source)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var address = reply.Address.Equals(IPAddress.Any) ? source : reply.Address;
        var key = (address, reply.BindIndex);
        var now = _time.GetTimestamp();
        var utc = _time.GetUtcNow();
        lock (_gate)
        {
            var known = _nodes.TryGetValue(key, out var old);
            var node = new ArtNetNode(address, reply.BindIndex, reply.ShortName, reply.LongName, reply.NodeReport, reply.Style,
                reply.Outputs, reply.Inputs, known ? old!.Node.FirstSeen : utc, utc);
            _nodes[key] = new Entry(node, now);
            return !known || !old!.Node.Outputs.SequenceEqual(reply.Outputs);
        }
    }

    /// <summary>Drops the nodes not heard from within <see cref="Timeout"/>; returns them (empty when none).</summary>
    public IReadOnlyList<ArtNetNode> Expire()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            List<ArtNetNode>? stale = null;
            foreach (var (key, entry) in _nodes)
            {
                if (_time.GetElapsedTime(entry.Heard, now) >= Timeout)
                {
                    (stale ??= []).Add(entry.Node);
                }
            }

            if (stale is null)
            {
                return [];
            }

            foreach (var node in stale)
            {
                _nodes.Remove((node.Address, node.BindIndex));
            }

            return stale;
        }
    }

    /// <summary>The nodes now in the table, by address and BindIndex (a copy).</summary>
    public IReadOnlyList<ArtNetNode> Snapshot()
    {
        lock (_gate)
        {
            return [.. _nodes.Values.Select(e => e.Node).OrderBy(n => n.Address.GetAddressBytes(), ByteOrder.Instance).ThenBy(n => n.BindIndex)];
        }
    }

    private sealed record Entry(ArtNetNode Node, long Heard);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
