using System.Net;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Output;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Output.Sacn;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightMood.Lighting.Tests.Output;

/// <summary>The Art-Net and sACN outputs sending over real loopback sockets to a receiving socket.</summary>
public sealed class OutputTests
{
    private readonly ManualTime _time = new();

    private static DmxFrameSet Frames(params int[] universes) => new(universes);

    [Fact]
    public void ArtDmx_goes_to_every_node_with_wrapping_sequence_and_an_ArtSync_after_the_set()
    {
        using var node1 = new UdpProbe();
        using var node2 = new UdpProbe();
        var options = new ArtNetOptions { Nodes = [node1.Address, node2.Address], ListenPort = 0, Sync = true, UniverseOffset = 16 };
        using var output = new ArtNetOutput(options, [0, 1], _time, NullLogger.Instance);
        var frames = Frames(0, 1);
        frames.Frames[1][511] = 42;
        var sequences = new List<byte>();
        for (var i = 0; i < 300; i++)
        {
            frames.Frames[0][0] = (byte)i;
            frames.Changed[0] = true;
            frames.Changed[1] = i == 0;
            _time.AdvanceSeconds(0.025);
            output.Send(frames, _time.GetTimestamp());
            if (i % 50 == 49)
            {
                foreach (var d in node1.Drain(30))
                {
                    if (ArtDmxPacket.TryParse(d, out var pa, out var seq, out var data) && pa.Value == 16)
                    {
                        sequences.Add(seq);
                        Assert.Equal(512, data.Length);
                    }
                }
            }
        }

        // 1, 2, ..., 255, 1, 2, ... (0 never: it would disable sequencing)
        Assert.Equal(300, sequences.Count);
        Assert.DoesNotContain((byte)0, sequences);
        Assert.Equal(255, sequences[254]);
        Assert.Equal(1, sequences[255]);
        Assert.True(sequences.Zip(sequences.Skip(1)).All(p => p.Second == (p.First == 255 ? 1 : p.First + 1)));

        var second = node2.Drain(30);
        Assert.NotEmpty(second);
    }

    [Fact]
    public void An_unchanged_universe_is_resent_after_the_keep_alive_and_a_sync_follows_each_set()
    {
        using var node = new UdpProbe();
        var options = new ArtNetOptions { Nodes = [node.Address], ListenPort = 0, Sync = true, KeepAliveSeconds = 1 };
        using var output = new ArtNetOutput(options, [0], _time, NullLogger.Instance);
        var frames = Frames(0);
        frames.Changed[0] = true;
        output.Send(frames, _time.GetTimestamp());
        frames.Changed[0] = false;
        for (var i = 0; i < 39; i++)
        {
            _time.AdvanceSeconds(0.025);
            output.Send(frames, _time.GetTimestamp());
        }

        var first = node.Drain(50);
        Assert.Equal(2, first.Count);                                 // one ArtDmx + one ArtSync, then silence for < 1 s
        Assert.True(ArtDmxPacket.TryParse(first[0], out _, out _, out _));
        Assert.True(ArtSyncPacket.TryParse(first[1]));
        _time.AdvanceSeconds(0.03);                                   // 1.005 s since the last send
        output.Send(frames, _time.GetTimestamp());
        var again = node.Drain(50);
        Assert.Equal(2, again.Count);
        Assert.True(ArtDmxPacket.TryParse(again[0], out _, out var seq, out _));
        Assert.Equal(2, seq);
    }

    [Fact]
    public void ArtPoll_is_answered_with_an_ArtPollReply_per_universe_unicast_to_the_poller()
    {
        var options = new ArtNetOptions { Nodes = ["127.0.0.1:9"], BindAddress = "127.0.0.1", ListenPort = 0, ShortName = "LM test" };
        using var output = new ArtNetOutput(options, [0, 0x123], _time, NullLogger.Instance);
        using var console = new UdpProbe();
        var poll = new byte[ArtPollPacket.Length];
        ArtPollPacket.Write(poll, 0x02, 0x10);
        console.SendTo(poll[..14], output.LocalEndPoint);            // an old 14-byte ArtPoll is enough
        var replies = new List<(byte[] Data, IPEndPoint From)>();
        while (console.ReceiveFrom(2000) is { } r)
        {
            replies.Add(r);
            if (replies.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(2, replies.Count);
        Assert.All(replies, r => Assert.Equal(output.LocalEndPoint, r.From));
        Assert.True(ArtPollReplyPacket.TryParse(replies[0].Data, out var ip, out var name, out var u0, out var style));
        Assert.Equal(IPAddress.Loopback, ip);
        Assert.Equal("LM test", name);
        Assert.Equal(0, u0.Value);
        Assert.Equal(ArtPollReplyPacket.StyleController, style);
        Assert.True(ArtPollReplyPacket.TryParse(replies[1].Data, out _, out _, out var u1, out _));
        Assert.Equal(0x123, u1.Value);
        Assert.Equal(2, replies[1].Data[211]);                        // BindIndex

        // junk is ignored, the listener keeps answering
        console.SendTo([1, 2, 3], output.LocalEndPoint);
        console.SendTo(poll, output.LocalEndPoint);
        Assert.NotNull(console.ReceiveFrom(2000));
    }

    [Fact]
    public void Bound_to_any_address_the_reply_announces_the_address_that_routes_to_the_poller()
    {
        var options = new ArtNetOptions { Nodes = ["127.0.0.1:9"], BindAddress = "0.0.0.0", ListenPort = 0 };
        using var output = new ArtNetOutput(options, [0], _time, NullLogger.Instance);
        using var console = new UdpProbe();
        var poll = new byte[ArtPollPacket.Length];
        ArtPollPacket.Write(poll, 0, 0x10);
        console.SendTo(poll, new IPEndPoint(IPAddress.Loopback, output.LocalEndPoint.Port));
        var reply = console.ReceiveFrom(2000);
        Assert.NotNull(reply);
        Assert.True(ArtPollReplyPacket.TryParse(reply.Value.Data, out var ip, out _, out _, out _));
        Assert.Equal(IPAddress.Loopback, ip);
    }

    [Fact]
    public void A_network_error_is_counted_and_retried_while_the_other_nodes_keep_receiving()
    {
        using var node = new UdpProbe();
        // 255.255.255.255 without broadcast enabled (no discovery, no Broadcast, no fallback): the kernel refuses every send (EACCES);
        // nothing leaves the host
        var options = new ArtNetOptions { Nodes = ["255.255.255.255", node.Address], ListenPort = 0, Discovery = false, BroadcastFallback = false };
        using var output = new ArtNetOutput(options, [0], _time, NullLogger.Instance);
        var frames = Frames(0);
        for (var i = 0; i < 20; i++)
        {
            frames.Changed[0] = true;
            _time.AdvanceSeconds(0.025);
            output.Send(frames, _time.GetTimestamp());
        }

        Assert.Equal(20, output.SendFailures);
        Assert.Equal(20, node.Drain(50).Count);
    }

    [Fact]
    public void Send_errors_are_logged_once_per_10_seconds_per_destination_without_flooding()
    {
        using var node = new UdpProbe();
        var log = new ListLogger();
        var options = new ArtNetOptions { Nodes = ["255.255.255.255", node.Address], ListenPort = 0, Discovery = false, BroadcastFallback = false };
        using var output = new ArtNetOutput(options, [0], _time, log);
        var frames = Frames(0);
        var received = 0;
        for (var i = 0; i < 1000; i++)                                   // 25 s at 40 Hz, every frame changed
        {
            frames.Changed[0] = true;
            output.Send(frames, _time.GetTimestamp());
            _time.AdvanceSeconds(0.025);
            if (i % 50 == 49)
            {
                received += node.Drain(20).Count;                        // keep the probe's socket buffer from overflowing
            }
        }

        var warnings = log.Entries.Where(e => e.Id == 4003).ToList();
        Assert.Equal(3, warnings.Count);                                 // at 0 s, 10 s and 20 s
        Assert.All(warnings, w => Assert.Contains("Art-Net → 255.255.255.255:6454", w.Message, StringComparison.Ordinal));
        Assert.Contains("(400 failures since the last report)", warnings[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Entries, e => e.Id == 4004);            // the good node never failed
        Assert.Equal(1000, output.SendFailures);
        Assert.Equal(1000, received + node.Drain(50).Count);
    }

    [Fact]
    public void The_engine_loop_keeps_running_through_send_errors()
    {
        var options = new LightingOptions { RateHz = 40 };
        options.ArtNet.Nodes = ["255.255.255.255"];
        options.ArtNet.ListenPort = 0;
        options.ArtNet.Discovery = false;                              // no SO_BROADCAST: the kernel refuses the sends
        options.ArtNet.BroadcastFallback = false;
        var patch = Rigs.Small();
        var output = new ArtNetOutput(options.ArtNet, patch.Universes, TimeProvider.System, NullLogger.Instance);
        using var engine = new LightingEngine(patch, Rigs.Plain(), options, [output]);
        engine.Start();
        Thread.Sleep(500);
        var frames = engine.FrameCount;
        engine.Stop();
        Assert.True(frames >= 10, $"{frames} frames");
        Assert.True(output.SendFailures >= 1, "the first frame's send failed and was counted");
    }

    [Fact]
    public void Sacn_sends_priority_cid_and_name_resends_unchanged_data_and_ends_with_three_terminated_packets()
    {
        using var receiver = new UdpProbe();
        var cid = Guid.Parse("567ea695-42a6-4a39-9ff1-015472c7a039");
        var options = new SacnOptions { Enabled = true, Destinations = [receiver.Address], Priority = 150, SourceName = "LightMood backup", UniverseMap = { ["7"] = 63999 }, UniverseDiscovery = false };
        using var output = new SacnOutput(options, [0, 7], cid, _time, NullLogger.Instance);
        Assert.Equal(new ushort[] { 1, 63999 }, output.SacnUniverses);
        var frames = Frames(0, 7);
        frames.Frames[0][0] = 200;
        frames.Changed[0] = frames.Changed[1] = true;
        output.Send(frames, _time.GetTimestamp());
        frames.Changed[0] = frames.Changed[1] = false;
        _time.AdvanceSeconds(0.5);
        output.Send(frames, _time.GetTimestamp());
        var first = receiver.Drain(50);
        Assert.Equal(2, first.Count);
        Assert.True(E131DataPacket.TryParse(first[0], out var p));
        Assert.Equal(150, p.Priority);
        Assert.Equal("LightMood backup", p.SourceName);
        Assert.Equal(new byte[] { 0x56, 0x7E, 0xA6, 0x95, 0x42, 0xA6, 0x4A, 0x39, 0x9F, 0xF1, 0x01, 0x54, 0x72, 0xC7, 0xA0, 0x39 }, p.Cid.ToArray());
        Assert.Equal(1, p.Universe);
        Assert.Equal(200, p.Slots[0]);
        _time.AdvanceSeconds(0.55);
        output.Send(frames, _time.GetTimestamp());
        Assert.Equal(2, receiver.Drain(50).Count);                     // keep-alive after ~1 s
        output.Terminate(frames);
        var end = receiver.Drain(50);
        Assert.Equal(6, end.Count);
        var sequences = new List<byte>();
        foreach (var d in end)
        {
            Assert.True(E131DataPacket.TryParse(d, out var t));
            Assert.Equal(E131DataPacket.OptionStreamTerminated, t.Options);
            if (t.Universe == 1)
            {
                sequences.Add(t.Sequence);
            }
        }

        Assert.Equal(new byte[] { 2, 3, 4 }, sequences);
        output.Send(frames, _time.GetTimestamp() + 10_000_000_000);
        Assert.Empty(receiver.Drain(50));                               // nothing after termination
    }

    [Fact]
    public void Sacn_announces_its_universes_by_discovery_every_10_seconds()
    {
        using var receiver = new UdpProbe();
        var options = new SacnOptions { Enabled = true, Destinations = [receiver.Address], UniverseOffset = 1 };
        using var output = new SacnOutput(options, [4, 0, 9], Guid.NewGuid(), _time, NullLogger.Instance);
        var frames = Frames(0, 4, 9);
        for (var i = 0; i < 440; i++)                                   // 11 s at 40 Hz
        {
            _time.AdvanceSeconds(0.025);
            output.Send(frames, _time.GetTimestamp());
        }

        var discovery = receiver.Drain(50).Where(d => E131DiscoveryPacket.TryParse(d, out _, out _, out _)).ToList();
        Assert.Equal(2, discovery.Count);                               // at 0 s and at 10 s
        Assert.True(E131DiscoveryPacket.TryParse(discovery[0], out var page, out var last, out var universes));
        Assert.Equal((0, 0), (page, last));
        Assert.Equal(new ushort[] { 1, 5, 10 }, universes);             // sorted sACN universes
        Assert.Equal(2, output.DiscoveryPagesSent);
    }

    [Fact]
    public void A_generated_cid_is_persisted_and_stays_stable()
    {
        var dir = Directory.CreateTempSubdirectory("lightmood-cid-");
        try
        {
            var options = new SacnOptions { CidFile = "state/cid.txt" };
            var first = SacnCid.Resolve(options, dir.FullName);
            Assert.Equal(first, SacnCid.Resolve(options, dir.FullName));
            Assert.True(File.Exists(Path.Combine(dir.FullName, "state", "cid.txt")));
            Assert.Equal(Guid.Parse("567ea695-42a6-4a39-9ff1-015472c7a039"), SacnCid.Resolve(new SacnOptions { Cid = "567ea695-42a6-4a39-9ff1-015472c7a039" }, dir.FullName));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void The_rig_loads_the_shipped_config_and_reports_bad_files_with_every_error()
    {
        var dir = Directory.CreateTempSubdirectory("lightmood-create-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "config"));
            File.Copy(Path.Combine(Repo.Config, "scenes.json"), Path.Combine(dir.FullName, "config", "scenes.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "config", "patch.json"), """
                { "profileFolders": ["fixtures"], "fixtures": [ { "name": "x", "profile": "A/B", "mode": "m", "universe": 0, "address": 600, "group": "pars" } ] }
                """);
            var options = new LightingOptions();
            options.ArtNet.ListenPort = 0;
            var e = Assert.Throws<LightMood.Lighting.Fixtures.LightingConfigException>(() => Rig.Load(options, dir.FullName));
            Assert.Contains(e.Errors, x => x.Contains("fixtures: fixture profile folder does not exist", StringComparison.Ordinal));
            Assert.Contains(e.Errors, x => x.Contains("'address' 600", StringComparison.Ordinal));
            Assert.Contains(e.Errors, x => x.Contains("'profile' 'A/B'", StringComparison.Ordinal));

            options.ArtNet.Nodes = ["127.0.0.1:9"];
            // what the daemon's composition (AddLighting) does: the rig from its files, the outputs' sockets, the engine
            var rig = Rig.Load(options, Repo.Root);
            using var engine = new LightingEngine(rig.Patch, rig.Scenes, options, DmxOutputs.Open(options, rig.Patch.Universes, Repo.Root, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
            Assert.Single(engine.Outputs);
            Assert.Equal(6, engine.Patch.Fixtures.Count);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
