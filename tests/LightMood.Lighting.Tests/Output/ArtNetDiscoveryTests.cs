using System.Net;
using LightMood.Lighting.Output.ArtNet;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightMood.Lighting.Tests.Output;

/// <summary>ArtPollReply parsing (bytes captured from a real OLA node), the node table and the routes built from it.</summary>
public sealed class ArtNetDiscoveryTests
{
    /// <summary>
    /// olad 0.10 (Debian's ola package) answering an ArtPoll on loopback, captured with tshark: four ports typed 0xC0
    /// (Art-Net ↔ DMX512), output port 1 patched to Port-Address 0:0:1, BindIndex 0 (an Art-Net 3 style reply).
    /// </summary>
    private const string OlaReplyHex =
        "4172742d4e65740000217f000001361900000000043100d2707a4f4c412074657374206e6f646500000000004f4c412074657374206e6f64" +
        "6500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000023303030" +
        "31205b315d204f4c410000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
        "000000000004c0c0c0c008080808800000000000000001000000000000000000000000000000007f00000100080000000000000000000000" +
        "000000000000000000000000000000";

    private readonly ManualTime _time = new();

    private static ArtPollReply Reply(string ip, string name, params int[] outputs)
    {
        var bytes = new byte[239];
        "Art-Net\0"u8.CopyTo(bytes);
        bytes[9] = 0x21;
        IPAddress.Parse(ip).GetAddressBytes().CopyTo(bytes, 10);
        bytes[18] = (byte)(outputs[0] >> 8);
        bytes[19] = (byte)((outputs[0] >> 4) & 0xF);
        System.Text.Encoding.ASCII.GetBytes(name).CopyTo(bytes, 26);
        bytes[173] = (byte)outputs.Length;
        for (var i = 0; i < outputs.Length; i++)
        {
            bytes[174 + i] = 0x80;
            bytes[190 + i] = (byte)(outputs[i] & 0xF);
        }

        bytes[211] = 1;
        Assert.True(ArtPollReply.TryParse(bytes, out var reply));
        return reply;
    }

    [Fact]
    public void A_reply_captured_from_olad_reads_as_a_node_with_its_output_ports()
    {
        var bytes = Convert.FromHexString(OlaReplyHex);
        Assert.Equal(239, bytes.Length);
        Assert.True(ArtPollReply.TryParse(bytes, out var reply));
        Assert.Equal(IPAddress.Loopback, reply.Address);
        Assert.Equal("OLA test node", reply.ShortName);
        Assert.Equal("OLA test node", reply.LongName);
        Assert.Equal("#0001 [1] OLA", reply.NodeReport);
        Assert.Equal(ArtPollReply.StyleNode, reply.Style);
        Assert.Equal(1, reply.BindIndex);                                     // 0 (Art-Net 3) reads as the root device
        Assert.Equal([1, 0, 0, 0], reply.Outputs.Select(p => (int)p.Value));  // SwOut per port; ports 2-4 unpatched at 0
        Assert.Equal(4, reply.Inputs.Count);

        // the Art-Net 3 length (207) is enough; anything shorter, or another OpCode, is not a reply
        Assert.True(ArtPollReply.TryParse(bytes.AsSpan(0, 207), out var short207));
        Assert.Equal(1, short207.BindIndex);
        Assert.False(ArtPollReply.TryParse(bytes.AsSpan(0, 206), out _));
        Assert.False(ArtPollReply.TryParse([], out _));
        var poll = (byte[])bytes.Clone();
        poll[9] = 0x20;
        Assert.False(ArtPollReply.TryParse(poll, out _));
    }

    [Fact]
    public void Net_and_SubNet_switches_compose_the_Port_Address_and_only_output_ports_count()
    {
        var bytes = new byte[239];
        "Art-Net\0"u8.CopyTo(bytes);
        bytes[9] = 0x21;
        bytes[18] = 0x81;                 // NetSwitch: only 7 bits count → 1
        bytes[19] = 0xF2;                 // SubSwitch: only 4 bits count → 2
        bytes[173] = 3;
        bytes[174] = 0x80;                // output
        bytes[175] = 0x40;                // input only
        bytes[176] = 0xC5;                // both (DMX512 low bits ignored)
        bytes[190] = 0x13;                // SwOut: low nibble → 3
        bytes[191] = 0x04;
        bytes[192] = 0x0F;
        bytes[188] = 0x0E;                // SwIn of port 3
        Assert.True(ArtPollReply.TryParse(bytes, out var reply));
        Assert.Equal(["1:2:3", "1:2:15"], reply.Outputs.Select(p => p.ToString()));
        Assert.Equal(["1:2:0", "1:2:14"], reply.Inputs.Select(p => p.ToString()));
    }

    [Fact]
    public void The_table_keys_nodes_by_address_and_bind_index_and_drops_the_silent_ones()
    {
        var table = new ArtNetNodeTable(_time, TimeSpan.FromSeconds(10));
        Assert.True(table.Observe(Reply("10.0.0.5", "a", 1, 2), IPAddress.Parse("10.0.0.5")));
        Assert.False(table.Observe(Reply("10.0.0.5", "a", 1, 2), IPAddress.Parse("10.0.0.5")));   // heard again: no routing change
        Assert.True(table.Observe(Reply("10.0.0.5", "a", 1, 3), IPAddress.Parse("10.0.0.5")));    // re-patched: a change
        Assert.True(table.Observe(Reply("0.0.0.0", "b", 4), IPAddress.Parse("10.0.0.9")));        // no IP given: the source's
        Assert.Equal(["10.0.0.5", "10.0.0.9"], table.Snapshot().Select(n => n.Address.ToString()));
        Assert.Equal([1, 3], table.Snapshot()[0].Outputs.Select(p => (int)p.Value));

        _time.AdvanceSeconds(6);
        table.Observe(Reply("10.0.0.9", "b", 4), IPAddress.Parse("10.0.0.9"));
        Assert.Empty(table.Expire());
        _time.AdvanceSeconds(4);
        var lost = table.Expire();                                                                 // 10 s silent
        Assert.Equal("a", Assert.Single(lost).ShortName);
        Assert.Equal("b", Assert.Single(table.Snapshot()).ShortName);
        Assert.True(table.Snapshot()[0].LastSeen > table.Snapshot()[0].FirstSeen);
    }

    [Fact]
    public void Each_universe_goes_to_the_nodes_that_output_it_plus_the_configured_ones_once_each()
    {
        var universes = new[] { new PortAddress(1), new PortAddress(2), new PortAddress(3) };
        var configured = new[] { new IPEndPoint(IPAddress.Parse("10.0.0.5"), 6454) };
        var table = new ArtNetNodeTable(_time, TimeSpan.FromSeconds(10));
        table.Observe(Reply("10.0.0.5", "configured too", 1), IPAddress.Any);
        table.Observe(Reply("10.0.0.6", "six", 2, 3, 9), IPAddress.Any);
        table.Observe(Reply("127.0.0.1", "olad beside us", 3), IPAddress.Any);
        var routes = ArtNetRoutes.Build(universes, configured, null, table.Snapshot(), IPAddress.Loopback,
            new IPEndPoint(IPAddress.Parse("127.255.255.255"), 6454), fallback: true, NullLogger.Instance, _time);
        var described = routes.Describe().ToDictionary(d => d.Destination.ToString(), d => string.Join(",", d.Universes));
        Assert.Equal(3, described.Count);
        Assert.Equal("0,1,2", described["10.0.0.5:6454"]);                 // configured: every universe, not twice for its own
        Assert.Equal("1,2", described["10.0.0.6:6454"]);                   // discovered: what it outputs (9 is not ours)
        Assert.Equal("2", described["127.255.255.255:6454"]);              // shares our address: unicast would loop back

        // no configured node: a universe nobody takes goes to the broadcast (the fallback), the others by unicast only
        var discovered = ArtNetRoutes.Build(universes, [], null, table.Snapshot(), IPAddress.Loopback,
            new IPEndPoint(IPAddress.Parse("127.255.255.255"), 6454), fallback: true, NullLogger.Instance, _time)
            .Describe().ToDictionary(d => d.Destination.ToString(), d => string.Join(",", d.Universes));
        Assert.Equal("0", discovered["10.0.0.5:6454"]);
        Assert.Equal("1,2", discovered["10.0.0.6:6454"]);
        Assert.Equal("2", discovered["127.255.255.255:6454"]);
        table.Observe(Reply("10.0.0.9", "takes nothing of ours", 7), IPAddress.Any);
        var lonely = ArtNetRoutes.Build([new PortAddress(4)], [], null, table.Snapshot(), IPAddress.Loopback,
            new IPEndPoint(IPAddress.Parse("127.255.255.255"), 6454), fallback: true, NullLogger.Instance, _time).Describe();
        Assert.Equal("127.255.255.255:6454", Assert.Single(lonely).Destination.ToString());
        Assert.Empty(ArtNetRoutes.Build([new PortAddress(4)], [], null, table.Snapshot(), IPAddress.Loopback,
            new IPEndPoint(IPAddress.Parse("127.255.255.255"), 6454), fallback: false, NullLogger.Instance, _time).Describe());
    }
}
