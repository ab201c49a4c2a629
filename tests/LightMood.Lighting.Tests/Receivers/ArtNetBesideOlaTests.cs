using System.Net;
using System.Net.Sockets;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Output.ArtNet;
using Xunit.Abstractions;

namespace LightMood.Lighting.Tests.Receivers;

/// <summary>
/// LightMood and a real olad on one host, in both start orders, with LightMood's default Art-Net options (bound to
/// 127.0.0.1:6454 with SO_REUSEADDR, discovery on, no nodes configured): both bind 6454, LightMood finds olad by
/// ArtPoll and olad shows LightMood's universe; LightMood answers ArtPoll, broadcast and unicast.
/// </summary>
[Collection(OlaCollection.Name)]
public sealed class ArtNetBesideOlaTests(ITestOutputHelper output)
{
    private const int PatchUniverse = 1;                 // Port-Address 0:0:1 = olad's Art-Net input port (OLA universe 1)
    private static readonly byte[] HappyPar = [255, 255, 128, 0, 0, 0];

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Olad_and_LightMood_share_port_6454_in_either_start_order(bool oladFirst)
    {
        using var ola = OlaRig.CreateStopped();
        Skip.If(OlaRig.Which("olad") is null, "olad is not installed (apt-get install ola)");
        Skip.IfNot(ola.Isolated, "both start orders need a network namespace of the test's own (root)");
        if (oladFirst)
        {
            ola.StartOlad();
            Assert.True(ola.Unavailable is null, ola.Unavailable);
        }

        var log = new ListLogger();
        var options = new LightingOptions();                               // the defaults, as shipped
        var patch = Rigs.Small(PatchUniverse);
        var art = ola.InNamespace(() => new ArtNetOutput(options.ArtNet, patch.Universes, TimeProvider.System, log));
        using var engine = new LightingEngine(patch, Rigs.Plain(crossfade: 0), options, [art]);
        engine.UpdateMood(new MoodState(0, Mood.Happy, 0.9, 0, 0, 0, 0.5, 120));
        engine.Start();
        if (!oladFirst)
        {
            Thread.Sleep(500);
            ola.StartOlad();
            Assert.True(ola.Unavailable is null, "olad could not start beside LightMood: " + ola.Unavailable);
        }

        Assert.Equal("127.0.0.1:6454", art.LocalEndPoint.ToString());
        Assert.Equal("127.255.255.255:6454", art.BroadcastListenEndPoint?.ToString());
        Assert.DoesNotContain(log.Entries, e => e.Id == 4005);                // "cannot listen"
        Assert.DoesNotContain("Failed to bind", ola.Log, StringComparison.OrdinalIgnoreCase);

        var took = ola.WaitFor(1, f => f.AsSpan(0, 6).SequenceEqual(HappyPar), TimeSpan.FromSeconds(8));
        output.WriteLine($"olad {(oladFirst ? "first" : "second")}: it showed LightMood's universe {took?.TotalSeconds:0.00} s after {(oladFirst ? "LightMood" : "it")} started");
        Assert.NotNull(took);
        var node = Assert.Single(art.Nodes.Snapshot(), n => n.ShortName == "OLA test node");
        Assert.Contains(new PortAddress(PatchUniverse), node.Outputs);
        Assert.Contains(log.Entries, e => e.Id == 4009 && e.Message.Contains("by broadcast to 127.255.255.255", StringComparison.Ordinal));

        // a console polls: by broadcast and by unicast to LightMood's address; LightMood answers both
        var answers = ola.InNamespace(() =>
        {
            using var console = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true, ReceiveTimeout = 1000 };
            console.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            console.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 6454));
            var poll = new byte[ArtPollPacket.Length];
            ArtPollPacket.Write(poll, 0, 0x10);
            var replies = new List<string>();
            var buffer = new byte[1500];
            foreach (var to in new[] { "127.255.255.255", "127.0.0.1" })
            {
                console.SendTo(poll, new IPEndPoint(IPAddress.Parse(to), 6454));
                try
                {
                    while (true)
                    {
                        var n = console.Receive(buffer);
                        if (ArtPollReplyPacket.TryParse(buffer.AsSpan(0, n), out _, out var name, out _, out _) && name == "LightMood")
                        {
                            replies.Add(to);
                            break;
                        }
                    }
                }
                catch (SocketException)
                {
                    // no answer within the timeout
                }
            }

            return replies;
        });
        Assert.Equal(["127.255.255.255", "127.0.0.1"], answers);
        engine.Stop();
    }
}
