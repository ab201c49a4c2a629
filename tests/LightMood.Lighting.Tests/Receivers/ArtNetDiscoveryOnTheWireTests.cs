using System.Diagnostics;
using System.Globalization;
using System.Net;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Output.ArtNet;
using Xunit.Abstractions;

namespace LightMood.Lighting.Tests.Receivers;

/// <summary>
/// Discovery over real sockets, inside a network namespace of the test's own: LightMood with its default Art-Net
/// options (127.0.0.1:6454, no nodes configured) polls, a node at 127.0.0.5 answers, and gets exactly the universes
/// its ArtPollReply lists, by unicast; tshark on the namespace's loopback times the polls.
/// </summary>
[Collection(OlaCollection.Name)]   // one receiver rig at a time: the timings are not shared with olad's tests
public sealed class ArtNetDiscoveryOnTheWireTests(ITestOutputHelper output)
{
    private static Patch ThreeUniverses() => PatchLoader.Parse("""
        { "fixtures": [
          { "name": "a", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 3, "address": 1, "group": "pars" },
          { "name": "b", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 5, "address": 1, "group": "pars" },
          { "name": "c", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 7, "address": 1, "group": "movers" }
        ] }
        """, "test-patch", Repo.Config, Rigs.Library());

    [SkippableFact]
    public void A_node_answering_ArtPoll_gets_its_universes_by_unicast_without_configuration_and_is_dropped_when_silent()
    {
        using var ns = NetNamespace.TryCreate(out var whyNot);
        Skip.If(ns is null, whyNot);
        var tshark = OlaRig.Which("tshark");
        var cap = Path.Combine(Path.GetTempPath(), $"lightmood-poll-{Guid.NewGuid():N}.pcapng");
        using var capture = tshark is null ? null : StartCapture(ns, cap, 22);
        var patch = ThreeUniverses();
        var options = new LightingOptions { SafeLook = SafeLook.Hold };
        options.ArtNet.NodeTimeoutSeconds = 6;
        var log = new ListLogger();
        using var node = ns.Run(() => new FakeArtNetNode(IPAddress.Parse("127.0.0.5"), IPAddress.Parse("127.255.255.255"), "fake-5", new PortAddress(3), new PortAddress(7)));
        var art = ns.Run(() => new ArtNetOutput(options.ArtNet, patch.Universes, TimeProvider.System, log));
        Assert.Equal("127.0.0.1:6454", art.LocalEndPoint.ToString());
        Assert.Equal("127.255.255.255:6454", art.PollDestination.ToString());
        using var engine = new LightingEngine(patch, Rigs.Plain(crossfade: 0), options, [art]);
        engine.UpdateMood(new MoodState(0, Mood.Happy, 0.9, 0, 0, 0, 0.5, 120));
        engine.Start();

        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(5) && node.Dmx.Where(d => d.To.Equals(IPAddress.Parse("127.0.0.5"))).Select(d => d.Universe.Value).Distinct().Count() < 2)
        {
            Thread.Sleep(20);
        }

        output.WriteLine($"the node had both its universes {sw.Elapsed.TotalSeconds:0.00} s after the engine started");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), "a node found by the first poll gets its universes at once, not at the next keep-alive");
        Thread.Sleep(6500);                                            // a few poll intervals
        var dmx = node.Dmx;
        var unicast = dmx.Where(d => d.To.Equals(IPAddress.Parse("127.0.0.5"))).ToList();
        Assert.Equal([3, 7], unicast.Select(d => (int)d.Universe.Value).Distinct().Order());   // by unicast: what it asked for
        // universe 5, which nobody takes, goes to the broadcast (the fallback); 3 and 7 never do once the node is known
        Assert.Equal([5], dmx.Where(d => d.To.Equals(IPAddress.Parse("127.255.255.255")) && d.At > 1).Select(d => (int)d.Universe.Value).Distinct());
        var frame = new byte[512];
        engine.CopyFrame(3, frame);
        Assert.Equal(frame, dmx.Last(d => d.Universe.Value == 3).Data);
        var known = Assert.Single(art.Nodes.Snapshot(), n => n.ShortName == "fake-5");
        Assert.Equal(IPAddress.Parse("127.0.0.5"), known.Address);
        Assert.Contains(log.Entries, e => e.Id == 4009 && e.Message.Contains("'fake-5' at 127.0.0.5", StringComparison.Ordinal) && e.Message.Contains("0:0:3, 0:0:7 by unicast", StringComparison.Ordinal));

        var polls = node.Polls;
        var intervals = polls.Zip(polls.Skip(1), (a, b) => b - a).ToList();
        output.WriteLine($"ArtPoll intervals at the node: {string.Join(", ", intervals.Select(i => i.ToString("0.000", CultureInfo.InvariantCulture)))} s");
        Assert.True(intervals.Count >= 2, $"{polls.Count} polls");
        Assert.All(intervals, i => Assert.InRange(i, 2.2, 3.5));              // as the node's thread saw them (tshark below is exact)

        // the node goes away: after the node timeout nothing more is sent to it
        node.Answering = false;
        var silentFrom = polls.Last();
        Thread.Sleep(TimeSpan.FromSeconds(options.ArtNet.NodeTimeoutSeconds + 1.5));
        Assert.DoesNotContain(art.Nodes.Snapshot(), n => n.ShortName == "fake-5");
        Assert.Contains(log.Entries, e => e.Id == 4010 && e.Message.Contains("'fake-5'", StringComparison.Ordinal));
        var last = node.Dmx.Last(d => d.To.Equals(IPAddress.Parse("127.0.0.5"))).At;
        output.WriteLine($"last ArtDmx {last - silentFrom:0.00} s after the last answered poll (timeout {options.ArtNet.NodeTimeoutSeconds} s)");
        Assert.InRange(last - silentFrom, options.ArtNet.NodeTimeoutSeconds - 1, options.ArtNet.NodeTimeoutSeconds + 0.6);
        engine.Stop();

        if (capture is null)
        {
            output.WriteLine("tshark is not installed: the poll interval was checked at the node only");
            return;
        }

        try
        {
            Assert.True(capture.WaitForExit(30000));
            var times = OlaRig.Run(tshark!, $"-r {cap} -Y \"artnet.header.opcode == 0x2000\" -T fields -e frame.time_relative").Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToList();
            var wire = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
            output.WriteLine($"ArtPoll on the wire (tshark): {times.Count} polls, intervals {wire.Min():0.000}..{wire.Max():0.000} s, mean {wire.Average():0.000} s");
            Assert.True(wire.Count >= 5);
            // polls ride on the render loop: on a host loaded enough to stall it, one interval may stretch; most may not
            Assert.True(wire.Count(i => i is >= 2.5 and <= 3.0) >= 0.8 * wire.Count, "ArtPoll every 2.5..3 s");
            Assert.All(wire, i => Assert.InRange(i, 2.5, 3.5));
            var bad = OlaRig.Run(tshark!, $"-r {cap} -Y \"_ws.expert || _ws.malformed\"").Output;
            Assert.True(string.IsNullOrWhiteSpace(bad), "expert/malformed packets:\n" + bad);
        }
        finally
        {
            File.Delete(cap);
        }
    }

    /// <summary>tshark on the namespace's loopback for <paramref name="seconds"/>, started and capturing when this returns.</summary>
    internal static Process StartCapture(NetNamespace ns, string file, int seconds)
    {
        var p = OlaRig.StartCapturing(ns.StartInfo("tshark", ["-i", "lo", "-f", "udp port 6454", "-a", $"duration:{seconds}", "-w", file]));
        Thread.Sleep(700);   // dumpcap reports "Capturing" a moment before packets are really taken
        return p;
    }
}
