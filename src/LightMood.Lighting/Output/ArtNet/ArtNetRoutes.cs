using System.Net;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Output.ArtNet;

/// <summary>
/// Where each universe's ArtDmx goes: the configured nodes (every universe), the directed broadcast when it is on
/// (every universe), and each discovered node that reported an output port on the universe's Port-Address (unicast;
/// Art-Net 4). A discovered node that shares LightMood's own address (another Art-Net program on this host, which then
/// listens on the wildcard address) cannot be reached by unicast, which would come back to LightMood's own socket:
/// it gets its universes by the directed broadcast instead. A universe nobody takes goes to the directed broadcast
/// when the fallback is on (until a node asks for it). Immutable: the listener thread builds a new one when the
/// node table changes and the render thread picks it up with one volatile read, so sending never allocates.
/// </summary>
internal sealed class ArtNetRoutes
{
    private ArtNetRoutes(SocketAddress[] destinations, int[][] perUniverse, SendFailureGate failures)
    {
        Destinations = destinations;
        PerUniverse = perUniverse;
        Failures = failures;
    }

    /// <summary>Distinct destinations.</summary>
    public SocketAddress[] Destinations { get; }

    /// <summary>For universe index i, the indexes into <see cref="Destinations"/> to send it to.</summary>
    public int[][] PerUniverse { get; }

    /// <summary>Send-failure reports per destination (slot = destination index).</summary>
    public SendFailureGate Failures { get; }

    /// <param name="universes">Port-Address per universe index.</param>
    /// <param name="configured">Configured nodes (<c>Lighting:ArtNet:Nodes</c>): every universe.</param>
    /// <param name="broadcast">The directed broadcast address when <c>Broadcast</c> is on (every universe), else null.</param>
    /// <param name="nodes">The discovered nodes.</param>
    /// <param name="self">LightMood's own bind address.</param>
    /// <param name="localBroadcast">The directed broadcast of LightMood's interface (reaches a node that shares its address).</param>
    /// <param name="fallback">Send a universe that no configured or discovered node takes to <paramref name="localBroadcast"/>.</param>
    /// <param name="logger">For send-failure reports.</param>
    /// <param name="time">Clock of the failure reports.</param>
    public static ArtNetRoutes Build(
        IReadOnlyList<PortAddress> universes,
        IReadOnlyList<IPEndPoint> configured,
        IPEndPoint? broadcast,
        IReadOnlyList<ArtNetNode> nodes,
        IPAddress self,
        IPEndPoint localBroadcast,
        bool fallback,
        ILogger logger,
        TimeProvider time)
    {
        var endpoints = new List<IPEndPoint>();
        var names = new List<string>();
        var perUniverse = new List<int>[universes.Count];
        for (var u = 0; u < universes.Count; u++)
        {
            perUniverse[u] = [];
        }

        int Slot(IPEndPoint ep, string name)
        {
            var i = endpoints.IndexOf(ep);
            if (i < 0)
            {
                endpoints.Add(ep);
                names.Add(name);
                i = endpoints.Count - 1;
            }

            return i;
        }

        void ToAll(int slot)
        {
            foreach (var list in perUniverse)
            {
                if (!list.Contains(slot))
                {
                    list.Add(slot);
                }
            }
        }

        foreach (var ep in configured)
        {
            ToAll(Slot(ep, $"Art-Net → {ep}"));
        }

        if (broadcast is not null)
        {
            ToAll(Slot(broadcast, $"Art-Net → {broadcast} (broadcast)"));
        }

        foreach (var node in nodes)
        {
            var shared = node.Address.Equals(self);
            var ep = shared ? localBroadcast : new IPEndPoint(node.Address, ArtNetHeader.Port);
            var name = shared
                ? $"Art-Net → {localBroadcast} (for node '{node.ShortName}', which shares this host's address {self})"
                : $"Art-Net → {ep} (node '{node.ShortName}')";
            for (var u = 0; u < universes.Count; u++)
            {
                if (node.Outputs.Contains(universes[u]))
                {
                    var slot = Slot(ep, name);
                    if (!perUniverse[u].Contains(slot))
                    {
                        perUniverse[u].Add(slot);
                    }
                }
            }
        }

        for (var u = 0; u < universes.Count && fallback; u++)
        {
            if (perUniverse[u].Count == 0)
            {
                perUniverse[u].Add(Slot(localBroadcast, $"Art-Net → {localBroadcast} (broadcast: no node takes the universe)"));
            }
        }

        return new ArtNetRoutes(
            [.. endpoints.Select(e => e.Serialize())],
            [.. perUniverse.Select(l => l.ToArray())],
            new SendFailureGate(logger, names, time, TimeSpan.FromSeconds(10)));
    }

    /// <summary>The universe indexes each destination gets, for logs and tests: "endpoint: 0:0:1, 0:0:2".</summary>
    public IReadOnlyList<(IPEndPoint Destination, IReadOnlyList<int> Universes)> Describe()
    {
        var result = new List<(IPEndPoint, IReadOnlyList<int>)>();
        for (var d = 0; d < Destinations.Length; d++)
        {
            var ep = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(Destinations[d]);
            result.Add((ep, [.. Enumerable.Range(0, PerUniverse.Length).Where(u => PerUniverse[u].Contains(d))]));
        }

        return result;
    }
}
