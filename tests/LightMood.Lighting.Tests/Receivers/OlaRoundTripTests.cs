using System.Diagnostics;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Output;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Output.Sacn;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LightMood.Lighting.Tests.Receivers;

/// <summary>
/// End to end with OLA as the receiver: the engine, driven by a scripted mood timeline, sends Art-Net and sACN; the
/// values OLA holds must be the scene's. tshark checks the packets on the wire decode cleanly.
/// </summary>
[Collection(OlaCollection.Name)]
public sealed class OlaRoundTripTests(OlaRig ola, ITestOutputHelper output)
{
    private const int OlaArtNetUniverse = 1;   // Art-Net Port-Address 0:0:1
    private const int OlaSacnUniverse = 2;     // sACN universe 2
    private const int PatchUniverse = 1;

    // the scene values for Rigs.Small (see LightingEngineTests): par at 1, mover at 101
    private static readonly byte[] HappyPar = [255, 255, 128, 0, 0, 0];
    private static readonly byte[] SadPar = [102, 0, 0, 255, 0, 0];
    private static readonly byte[] CalmPar = [153, 0, 255, 0, 0, 0];

    private static MoodState State(Mood mood) => new(0, mood, 0.9, 0, 0, 0, 0.5, 120);

    private static bool ParIs(byte[] frame, byte[] par) => frame.AsSpan(0, 6).SequenceEqual(par) && frame.AsSpan(6, 6).SequenceEqual(par);

    private void SkipIfUnavailable()
    {
        Skip.If(ola.Unavailable is not null, ola.Unavailable);
        output.WriteLine(ola.Isolated ? "olad runs in its own network namespace" : "olad runs on the host loopback");
    }

    private LightingEngine ArtNetEngine(LightingOptions options, out ArtNetOutput artnet)
    {
        var patch = Rigs.Small(PatchUniverse);
        // LightMood listens for ArtPoll on 127.0.0.2:6454 beside olad's 0.0.0.0:6454 and sends ArtDmx from there
        options.ArtNet.Nodes = ["127.0.0.1"];
        options.ArtNet.BindAddress = "127.0.0.2";
        options.ArtNet.ReuseAddress = true;
        var art = ola.InNamespace(() => new ArtNetOutput(options.ArtNet, patch.Universes, TimeProvider.System, NullLogger.Instance));
        artnet = art;
        return new LightingEngine(patch, Rigs.Plain(crossfade: 0.5), options, [art]);
    }

    private LightingEngine SacnEngine(LightingOptions options, Guid cid, out SacnOutput sacn, Microsoft.Extensions.Logging.ILogger? log = null)
    {
        var patch = Rigs.Small(PatchUniverse);
        options.ArtNet.Enabled = false;
        options.Sacn.Enabled = true;
        options.Sacn.Destinations = ["127.0.0.1"];
        options.Sacn.UniverseOffset = 1;        // patch universe 1 -> sACN universe 2
        var s = ola.InNamespace(() => new SacnOutput(options.Sacn, patch.Universes, cid, TimeProvider.System, log ?? NullLogger.Instance));
        sacn = s;
        return new LightingEngine(patch, Rigs.Plain(crossfade: 0.5), options, [s]);
    }

    [SkippableFact]
    public void ArtNet_round_trip_through_olad_follows_the_mood_timeline()
    {
        SkipIfUnavailable();
        var options = new LightingOptions { RateHz = 40, SafeLook = SafeLook.Blackout };
        using var engine = ArtNetEngine(options, out var artnet);
        Assert.Equal("127.0.0.2:6454", artnet.LocalEndPoint.ToString());
        engine.UpdateMood(State(Mood.Happy));
        engine.Start();

        Assert.NotNull(ola.WaitFor(OlaArtNetUniverse, f => ParIs(f, HappyPar), TimeSpan.FromSeconds(5)));
        var local = new byte[512];
        engine.CopyFrame(PatchUniverse, local);
        Assert.Equal(local, ola.GetDmx(OlaArtNetUniverse));          // all 512 slots as the engine rendered them

        engine.UpdateMood(State(Mood.Sad));                           // crossfade 0.5 s
        Assert.NotNull(ola.WaitFor(OlaArtNetUniverse, f => ParIs(f, SadPar) && f[100] == 64, TimeSpan.FromSeconds(3)));

        engine.SetBlackout(true);
        Assert.NotNull(ola.WaitFor(OlaArtNetUniverse, f => f[0] == 0 && f[3] == 0 && f[100] == 64 && f[106] == 255, TimeSpan.FromSeconds(3)));
        engine.SetBlackout(false);

        engine.ForceMood(Mood.Calm);
        Assert.NotNull(ola.WaitFor(OlaArtNetUniverse, f => ParIs(f, CalmPar), TimeSpan.FromSeconds(3)));

        engine.Stop();                                                // safe look: blackout, positions kept
        var end = ola.GetDmx(OlaArtNetUniverse);
        Assert.Equal(0, end[0]);
        Assert.Equal(128, end[100]);                                  // calm pan 0.5 held
        Assert.True(artnet.SendFailures == 0);
    }

    [SkippableFact]
    public void Sacn_round_trip_through_olad_follows_the_mood_timeline()
    {
        SkipIfUnavailable();
        var options = new LightingOptions { RateHz = 40, SafeLook = SafeLook.House };
        using var engine = SacnEngine(options, Guid.NewGuid(), out var sacn);
        engine.UpdateMood(State(Mood.Tense));
        engine.Start();
        Assert.NotNull(ola.WaitFor(OlaSacnUniverse, f => f[0] == 204 && f[1] == 255, TimeSpan.FromSeconds(5)));
        engine.UpdateMood(State(Mood.Happy));
        Assert.NotNull(ola.WaitFor(OlaSacnUniverse, f => ParIs(f, HappyPar), TimeSpan.FromSeconds(3)));
        var local = new byte[512];
        engine.CopyFrame(PatchUniverse, local);
        Assert.Equal(local, ola.GetDmx(OlaSacnUniverse));
        engine.Health.Fault("test", "test fault");                             // safe look: house
        Assert.NotNull(ola.WaitFor(OlaSacnUniverse, f => f.AsSpan(0, 6).SequenceEqual(new byte[] { 153, 95, 57, 0, 160, 0 }), TimeSpan.FromSeconds(3)));
        engine.Stop();
        Assert.True(sacn.PacketsSent > 0);
        Assert.Equal(0, sacn.SendFailures);
    }

    [SkippableFact]
    public void Sacn_multicast_reaches_olad_inside_its_namespace()
    {
        SkipIfUnavailable();
        Skip.IfNot(ola.Isolated, "multicast is sent only inside the test's own network namespace (needs root for unshare)");
        var options = new LightingOptions();
        options.Sacn.Multicast = true;
        options.Sacn.BindAddress = "192.0.2.10";                    // the namespace's veth, where OLA joined 239.255.0.2
        using var engine = SacnEngine(options, Guid.NewGuid(), out var sacn);
        engine.UpdateMood(State(Mood.Happy));
        engine.Start();
        var took = ola.WaitFor(OlaSacnUniverse, f => ParIs(f, HappyPar), TimeSpan.FromSeconds(5));
        engine.Stop();
        Assert.NotNull(took);
        Assert.Equal(0, sacn.SendFailures);
    }

    [SkippableFact]
    public void The_loop_rides_out_an_interface_going_down_and_resumes_when_it_comes_back()
    {
        SkipIfUnavailable();
        Skip.IfNot(ola.Isolated, "the interface is taken down only inside the test's own network namespace (needs root)");
        var log = new ListLogger();
        var options = new LightingOptions();
        options.Sacn.Multicast = true;
        options.Sacn.BindAddress = "192.0.2.10";
        using var engine = SacnEngine(options, Guid.NewGuid(), out var sacn, log);
        engine.UpdateMood(State(Mood.Happy));
        engine.Start();
        Assert.NotNull(ola.WaitFor(OlaSacnUniverse, f => ParIs(f, HappyPar), TimeSpan.FromSeconds(5)));
        try
        {
            ola.RunInNamespace("ip", "link set v0 down");
            engine.UpdateMood(State(Mood.Sad));                       // changes every frame for the 0.5 s crossfade
            Thread.Sleep(1500);
            Assert.True(sacn.SendFailures > 10, $"{sacn.SendFailures} failures while the interface was down");
            Assert.Contains(log.Entries, e => e.Id == 4003 && e.Message.Contains("NetworkUnreachable", StringComparison.Ordinal));
            var framesWhileDown = engine.FrameCount;
            Thread.Sleep(200);
            Assert.True(engine.FrameCount > framesWhileDown, "the loop kept rendering");
        }
        finally
        {
            ola.RunInNamespace("ip", "link set v0 up");
        }

        var took = ola.WaitFor(OlaSacnUniverse, f => ParIs(f, SadPar), TimeSpan.FromSeconds(5));
        output.WriteLine($"OLA had the new look {took?.TotalSeconds:0.00} s after the interface came back");
        Assert.NotNull(took);
        Assert.Contains(log.Entries, e => e.Id == 4004);               // "sending again"
        engine.Stop();
    }

    [SkippableFact]
    public void Packets_on_the_wire_decode_cleanly_in_wireshark()
    {
        SkipIfUnavailable();
        var tshark = OlaRig.Which("tshark");
        Skip.If(tshark is null, "tshark is not installed");
        var cap = Path.Combine(Path.GetTempPath(), $"lightmood-{Guid.NewGuid():N}.pcapng");
        try
        {
            var capture = ola.StartCapture(cap, 5);
            Assert.NotNull(capture);
            Thread.Sleep(700);   // dumpcap reports "Capturing" a moment before packets are really taken
            var artOptions = new LightingOptions();
            artOptions.ArtNet.Sync = true;
            var sacnOptions = new LightingOptions();
            using (var art = ArtNetEngine(artOptions, out _))
            using (var sacn = SacnEngine(sacnOptions, Guid.NewGuid(), out _))
            {
                art.UpdateMood(State(Mood.Tense));
                sacn.UpdateMood(State(Mood.Tense));
                art.Start();
                sacn.Start();
                // and a console polls LightMood
                Thread.Sleep(300);
                var reply = ola.InNamespace(() =>
                {
                    using var console = new UdpProbe("127.0.0.3");
                    var poll = new byte[ArtPollPacket.Length];
                    ArtPollPacket.Write(poll, 0, 0x10);
                    console.SendTo(poll, new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), 6454));
                    return console.ReceiveFrom(2000);
                });
                Assert.NotNull(reply);
                Thread.Sleep(1500);
                art.SetMaster(0.5);   // a change: sent at once
                sacn.SetMaster(0.5);
                Thread.Sleep(200);
            }

            Assert.True(capture!.WaitForExit(15000));
            var artnet = OlaRig.Run(tshark!, $"-r {cap} -Y artnet -T fields -e artnet.header.opcode").Output;
            var opcodes = artnet.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine("Art-Net opcodes: " + string.Join(", ", opcodes.Select(kv => $"{kv.Key}×{kv.Value}")));
            // a static look: sent on change and re-sent by the keep-alive (about every second)
            Assert.True(opcodes.GetValueOrDefault("0x5000") >= 2, "ArtDmx captured");
            Assert.True(opcodes.GetValueOrDefault("0x5200") >= 2, "ArtSync captured");
            Assert.True(opcodes.GetValueOrDefault("0x2000") >= 1, "ArtPoll captured");
            Assert.True(opcodes.GetValueOrDefault("0x2100") >= 1, "ArtPollReply captured");
            var acn = OlaRig.Run(tshark!, $"--enable-heuristic acn -o acn.dmx_enable:TRUE -r {cap} -Y acn -T fields -e acn.dmx.universe").Output;
            Assert.True(acn.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 2, "sACN captured");
            var bad = OlaRig.Run(tshark!, $"--enable-heuristic acn -o acn.dmx_enable:TRUE -r {cap} -Y \"_ws.expert || _ws.malformed\"").Output;
            Assert.True(string.IsNullOrWhiteSpace(bad), "expert/malformed packets:\n" + bad);
        }
        finally
        {
            File.Delete(cap);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OlaCollection : ICollectionFixture<OlaRig>
{
    public const string Name = "olad";
}
