using System.Net;
using System.Net.Sockets;
using System.Text;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Output;
using LightMood.Lighting.Output.Sacn;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightMood.Lighting.Tests.Output;

/// <summary>Other sACN sources heard over a real loopback socket: data, termination, timeout, discovery, own packets, junk.</summary>
public sealed class SacnSourceListenerTests
{
    private readonly ManualTime _time = new();

    private static SacnOptions Listening() =>
        new() { Enabled = true, ListenForSources = true, ListenAddress = "127.0.0.1", ListenPort = 0, UniverseDiscovery = false };

    private static byte[] Data(Guid cid, string name, byte priority, ushort universe, byte options = 0, byte sequence = 0)
    {
        var buffer = new byte[E131DataPacket.MaxLength];
        Span<byte> id = stackalloc byte[16];
        cid.TryWriteBytes(id, bigEndian: true, out _);
        var n = E131DataPacket.Write(buffer, id, Encoding.UTF8.GetBytes(name), priority, 0, sequence, options, universe, new byte[512]);
        return buffer[..n];
    }

    private static void Until(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within 10 s: {what}");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void A_console_is_heard_with_its_priority_and_universes_and_turns_terminated_then_timed_out_then_forgotten()
    {
        using var listener = new SacnSourceListener(Listening(), [1, 2], Guid.NewGuid(), _time, NullLogger.Instance);
        using var console = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var cid = Guid.Parse("6b3c2f0e-8f43-4c1b-9d55-2d8a1f0e7a11");
        console.SendTo(Data(cid, "console-7", 150, 1), listener.LocalEndPoint);
        console.SendTo(Data(cid, "console-7", 150, 2), listener.LocalEndPoint);
        Until(() => listener.Sources.Snapshot() is [{ Packets: 2 }], "two packets from the console");
        var s = Assert.Single(listener.Sources.Snapshot());
        Assert.Equal((cid, "console-7", 150, SacnSourceState.Active), (s.Cid, s.Name, s.Priority, s.State));
        Assert.Equal([1, 2], s.Universes);
        Assert.Equal(IPAddress.Loopback, s.Address);

        _time.AdvanceSeconds(2.6);   // E1.31's 2.5 s data loss timeout
        Assert.Equal(SacnSourceState.TimedOut, Assert.Single(listener.Sources.Snapshot()).State);
        console.SendTo(Data(cid, "console-7", 150, 1), listener.LocalEndPoint);
        Until(() => listener.Sources.Snapshot()[0].State == SacnSourceState.Active, "active again");
        console.SendTo(Data(cid, "console-7", 150, 1, E131DataPacket.OptionStreamTerminated), listener.LocalEndPoint);
        Until(() => listener.Sources.Snapshot()[0].State == SacnSourceState.Terminated, "terminated");

        _time.AdvanceSeconds(61);   // SourceForgetSeconds 60: the listener's next wake-up (0.5 s) takes it off
        Until(() => listener.Sources.Count == 0, "forgotten after 60 s of silence");
    }

    [Fact]
    public void Its_own_packets_are_not_a_source_and_junk_is_counted_not_listed()
    {
        var own = Guid.NewGuid();
        var options = Listening();
        using var listener = new SacnSourceListener(options, [1], own, _time, NullLogger.Instance);
        // LightMood's own output sending to the listener: the same CID, never listed
        var send = new SacnOptions { Enabled = true, Destinations = [$"127.0.0.1:{listener.LocalEndPoint.Port}"], UniverseDiscovery = true };
        using var output = new SacnOutput(send, [0], own, _time, NullLogger.Instance);
        var frames = new DmxFrameSet([0]);
        frames.Changed[0] = true;
        output.Send(frames, _time.GetTimestamp());
        using var junk = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        junk.SendTo("not sACN"u8.ToArray(), listener.LocalEndPoint);
        var truncated = Data(Guid.NewGuid(), "cut", 100, 1)[..100];
        junk.SendTo(truncated, listener.LocalEndPoint);
        Until(() => listener.Malformed == 2, "two malformed datagrams");
        Assert.Empty(listener.Sources.Snapshot());
    }

    [Fact]
    public void A_source_heard_only_by_universe_discovery_is_announced_and_one_with_data_lists_both()
    {
        using var listener = new SacnSourceListener(Listening(), [1], Guid.NewGuid(), _time, NullLogger.Instance);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var quiet = Guid.NewGuid();
        Span<byte> id = stackalloc byte[16];
        quiet.TryWriteBytes(id, bigEndian: true, out _);
        var page = new byte[E131DiscoveryPacket.MaxLength];
        var n = E131DiscoveryPacket.Write(page, id, "spare desk"u8, 0, 0, [3, 4]);
        socket.SendTo(page.AsSpan(0, n), SocketFlags.None, listener.LocalEndPoint);
        Until(() => listener.Sources.Count == 1, "the discovery page");
        var s = Assert.Single(listener.Sources.Snapshot());
        Assert.Equal(("spare desk", SacnSourceState.Announced, (int?)null), (s.Name, s.State, s.Priority));
        Assert.Equal([3, 4], s.Announced);
        Assert.Empty(s.Universes);

        // a real SacnOutput (another CID) sends data and its discovery page: both listed, and it is active
        var send = new SacnOptions { Enabled = true, Destinations = [$"127.0.0.1:{listener.LocalEndPoint.Port}"], SourceName = "backup desk", UniverseOffset = 5 };
        using var output = new SacnOutput(send, [0, 3], Guid.NewGuid(), _time, NullLogger.Instance);
        output.Send(new DmxFrameSet([0, 3]), _time.GetTimestamp());
        Until(() => listener.Sources.Snapshot().Any(x => x.Name == "backup desk" && x.Announced.Count == 2 && x.Universes.Count == 2), "data and discovery");
        var backup = listener.Sources.Snapshot().Single(x => x.Name == "backup desk");
        Assert.Equal((SacnSourceState.Active, (int?)100), (backup.State, backup.Priority));
        Assert.Equal([5, 8], backup.Announced);
        Assert.Equal([5, 8], backup.Universes);
    }
}
