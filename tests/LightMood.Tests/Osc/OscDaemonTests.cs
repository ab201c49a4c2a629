using System.Net;
using System.Net.Sockets;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightMood.Osc;
using LightMood.Tests.Daemon;
using Xunit.Abstractions;

namespace LightMood.Tests.Osc;

/// <summary>
/// OSC through the whole daemon: a real UDP client sends each address and the DMX the engine sends changes; 10,000
/// malformed datagrams change nothing and the lights keep rendering. Each mood's look is one colour (par-1 at
/// address 1: dimmer, R, G, B, W, strobe) with no fades, so the DMX says what is lit.
/// </summary>
public sealed class OscDaemonTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> OscOn = new()
    {
        ["Osc:Enabled"] = "true",
        ["Osc:BindAddress"] = "127.0.0.1",
        ["Osc:Port"] = "0",
    };

    [Fact]
    public async Task Each_address_sent_by_a_UDP_client_changes_the_DMX()
    {
        await using var d = await RunningDaemon.StartAsync(OscOn, ColourCodedScenes());
        var server = d.Service<OscServer>();
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(server.LocalEndPoint!);

        async Task<byte[]> Send(byte[] packet, Func<byte[], bool> until, string what)
        {
            await client.SendAsync(packet);
            var state = await d.WaitForAsync(s => until(RunningDaemon.Slots(s)[..6]), 5);
            var par = RunningDaemon.Slots(state)[..6];
            output.WriteLine($"{what,-40} par-1 {string.Join(",", par)}  look {state.GetProperty("lights").GetProperty("look").GetString()}");
            Assert.True(until(par), $"{what}: par-1 is {string.Join(",", par)}");
            return par;
        }

        static bool Rgb(byte[] p, int r, int g, int b) => p[0] == 255 && p[1] == r && p[2] == g && p[3] == b;

        await Send(OscBytes.Message("/lightmood/mood/force", "tense"), p => Rgb(p, 255, 0, 0), "/lightmood/mood/force ,s tense");
        await Send(OscBytes.Message("/lightmood/mood/sad", 1), p => Rgb(p, 0, 0, 255), "/lightmood/mood/sad ,i 1");
        await client.SendAsync(OscBytes.Message("/lightmood/mood/happy", 0));     // a button's release: nothing
        await Send(OscBytes.Message("/lightmood/blackout", true), p => p[0] == 0, "/lightmood/blackout ,T");
        Assert.True((await d.StateAsync()).GetProperty("lights").GetProperty("mood").GetString() == "sad");
        await Send(OscBytes.Message("/lightmood/blackout", 0f), p => Rgb(p, 0, 0, 255), "/lightmood/blackout ,f 0");
        await Send(OscBytes.Message("/lightmood/master", 0.5f), p => p[0] is 127 or 128 && p[3] == 255, "/lightmood/master ,f 0.5");
        await Send(OscBytes.Message("/lightmood/master", 1), p => p[0] == 255, "/lightmood/master ,i 1");
        await Send(OscBytes.Message("/lightmood/house", 1), p => p[4] == 0xa0, "/lightmood/house ,i 1");     // #ffd9a0: W = a0
        await Send(OscBytes.Message("/lightmood/house", false), p => Rgb(p, 0, 0, 255), "/lightmood/house ,F");
        await Send(OscBytes.Message("/lightmood/scene", 1), p => p[0] == 255 && p[1] == 0 && p[4] == 255, "/lightmood/scene ,i 1 (happy)"); // #ffffff... see scenes
        await Send(OscBytes.Message("/lightmood/scene", "calm"), p => Rgb(p, 0, 255, 0), "/lightmood/scene ,s calm");
        await Send(OscBytes.Message("/lightmood/mood/{sad,nothing}"), p => Rgb(p, 0, 0, 255), "/lightmood/mood/{sad,nothing} (pattern)");
        await Send(OscBytes.Bundle(1, OscBytes.Message("/lightmood/mood/tense", true), OscBytes.Message("/lightmood/master", 0.5f)),
            p => p[0] is 127 or 128 && p[1] == 255, "#bundle [tense, master 0.5]");
        await client.SendAsync(OscBytes.Message("/lightmood/auto"));
        var auto = await d.WaitForAsync(s => !s.GetProperty("lights").GetProperty("forced").GetBoolean(), 5);
        Assert.Equal("auto", auto.GetProperty("lights").GetProperty("mode").GetString());

        var counters = server.Counters;
        for (var i = 0; i < 100 && counters.Messages < counters.Packets + 1; i++)
        {
            await Task.Delay(20); // the last command may have shown before it was counted
            counters = server.Counters;
        }

        output.WriteLine(counters.ToString());
        Assert.Equal(0, counters.Malformed + counters.Rejected + counters.Unmatched + counters.Refused);
        Assert.Equal(counters.Packets, counters.Messages - 1); // the bundle held two messages
    }

    [Fact]
    public async Task The_preset_address_switches_the_show_preset_live_and_it_is_kept_in_the_scenes_file()
    {
        await using var d = await RunningDaemon.StartAsync(OscOn, ColourCodedScenes());
        var server = d.Service<OscServer>();
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(server.LocalEndPoint!);
        static bool White(byte[] p) => p[0] == 255 && p[1] == 0 && p[2] == 0 && p[3] == 0 && p[4] == 255;
        static bool Blue(byte[] p) => p[0] == 255 && p[1] == 0 && p[2] == 0 && p[3] == 255;

        await client.SendAsync(OscBytes.Message("/lightmood/mood/force", "happy"));
        Assert.True(White(RunningDaemon.Slots(await d.WaitForAsync(s => White(RunningDaemon.Slots(s)), 5))));
        await client.SendAsync(OscBytes.Message("/lightmood/preset", "all blue"));
        var blue = await d.WaitForAsync(s => Blue(RunningDaemon.Slots(s)), 5);
        Assert.True(Blue(RunningDaemon.Slots(blue)), $"par-1 is {string.Join(",", RunningDaemon.Slots(blue)[..6])}");
        Assert.Equal("all blue", JsonNode.Parse(await File.ReadAllTextAsync(d.ScenesFile))!["activePreset"]!.GetValue<string>());
        Assert.Equal("all blue", (await d.Http.GetFromJsonAsync<JsonElement>("/api/presets")).GetProperty("active").GetString());

        // an unknown preset is rejected and changes nothing; a missing argument too
        await client.SendAsync(OscBytes.Message("/lightmood/preset", "no such preset"));
        await client.SendAsync(OscBytes.Message("/lightmood/preset"));
        for (var i = 0; i < 100 && server.Counters.Rejected < 2; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, server.Counters.Rejected);
        Assert.True(Blue(RunningDaemon.Slots(await d.StateAsync())));
        Assert.Equal("all blue", JsonNode.Parse(await File.ReadAllTextAsync(d.ScenesFile))!["activePreset"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ten_thousand_malformed_datagrams_change_nothing_and_rendering_goes_on()
    {
        await using var d = await RunningDaemon.StartAsync(OscOn, ColourCodedScenes());
        var server = d.Service<OscServer>();
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(server.LocalEndPoint!);
        await client.SendAsync(OscBytes.Message("/lightmood/mood/force", "tense"));
        var before = await d.WaitForAsync(s => s.GetProperty("lights").GetProperty("mood").GetString() == "tense", 5);
        var framesBefore = before.GetProperty("lights").GetProperty("frame").GetInt64();

        var random = new Random(15);
        var sent = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (sent < 10_000)
        {
            for (var i = 0; i < 200; i++, sent++)
            {
                await client.SendAsync(Malformed(random, sent));
            }

            // paced so the socket's receive buffer never drops one: every datagram is counted
            var until = DateTime.UtcNow.AddSeconds(5);
            while (server.Counters.Packets < sent + 1 && DateTime.UtcNow < until)
            {
                await Task.Delay(5);
            }
        }

        var counters = server.Counters;
        output.WriteLine($"{sent} malformed datagrams in {watch.ElapsedMilliseconds} ms: {counters}");
        Assert.Equal(10_001, counters.Packets);
        Assert.Equal(10_000, counters.Malformed);
        Assert.Equal(1, counters.Messages);

        var after = await d.StateAsync();
        var lights = after.GetProperty("lights");
        Assert.Equal("tense", lights.GetProperty("mood").GetString());
        Assert.True(lights.GetProperty("forced").GetBoolean());
        Assert.False(lights.GetProperty("blackout").GetBoolean());
        Assert.False(lights.GetProperty("house").GetBoolean());
        Assert.Equal(1.0, lights.GetProperty("master").GetDouble());
        Assert.Equal(new byte[] { 255, 255, 0, 0 }, RunningDaemon.Slots(after)[..4]);
        var frames = lights.GetProperty("frame").GetInt64() - framesBefore;
        var seconds = watch.Elapsed.TotalSeconds;
        output.WriteLine($"{frames} frames rendered meanwhile ({frames / seconds:0.0} per second)");
        Assert.True(frames / seconds > 15, $"{frames} frames in {seconds:0.0} s (40 a second configured; a loaded machine may lose some)");

        // and the server still listens
        await client.SendAsync(OscBytes.Message("/lightmood/blackout", 1));
        var dark = await d.WaitForAsync(s => s.GetProperty("lights").GetProperty("blackout").GetBoolean(), 5);
        Assert.True(dark.GetProperty("lights").GetProperty("blackout").GetBoolean());
    }

    [Fact]
    public void Off_loopback_it_needs_the_senders_named_and_a_port_in_use_is_one_line()
    {
        Assert.Contains(new OscOptions { Enabled = true, BindAddress = "0.0.0.0" }.Validate(), p => p.StartsWith("Osc:AllowedSenders is required", StringComparison.Ordinal));
        Assert.Empty(new OscOptions { Enabled = true, BindAddress = "0.0.0.0", AllowedSenders = ["192.0.2.30"] }.Validate());
        Assert.Empty(new OscOptions { BindAddress = "nonsense" }.Validate()); // off: not checked
        using var taken = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.Client.LocalEndPoint!).Port;
        var e = Assert.Throws<LightMood.Hosting.DaemonConfigException>(() => LightMood.Hosting.DaemonHost.Build([], c =>
            Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(c, new Dictionary<string, string?>
            {
                ["Osc:Enabled"] = "true",
                ["Osc:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Lighting:ArtNet:ListenPort"] = "0",
            })));
        Assert.StartsWith("Osc:BindAddress/Port: cannot listen on udp 127.0.0.1:", Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    /// <summary>A datagram that is not OSC 1.0, of one of several kinds (each malformed by construction).</summary>
    private static byte[] Malformed(Random random, int n)
    {
        var good = OscBytes.Message("/lightmood/blackout", 1);
        switch (n % 8)
        {
            case 0: // noise that starts with neither '/' nor '#'
                var noise = new byte[4 * random.Next(1, 64)];
                random.NextBytes(noise);
                noise[0] = (byte)random.Next(0x30, 0x7f);
                return noise;
            case 1: // cut short, to a size that is not a multiple of 4 (a cut right after the address would be a message without type tags)
                var cut = random.Next(0, good.Length - 1);
                return good[..(cut % 4 == 0 && cut > 0 ? cut - 1 : cut)];
            case 2: // bytes left over
                return [.. good, .. new byte[4 * random.Next(1, 4)]];
            case 3: // an unknown type tag
                return [.. OscBytes.Str("/lightmood/blackout"), .. OscBytes.Str(",q"), 0, 0, 0, 1];
            case 4: // a blob that claims more than there is
                return [.. OscBytes.Str("/lightmood/master"), .. OscBytes.Str(",b"), .. OscBytes.BigEndian(random.Next(9, int.MaxValue)), 1, 2, 3, 4];
            case 5: // a bundle whose element size lies
                return [.. OscBytes.Bundle(1), .. OscBytes.BigEndian(good.Length + (4 * random.Next(1, 100))), .. good];
            case 6: // bundles nested too deep
                return Enumerable.Range(0, OscPacket.MaxDepth + 1).Aggregate(good, (inner, _) => OscBytes.Bundle(1, inner));
            default: // a valid message with garbage in its padding
                var bad = (byte[])good.Clone();
                bad[^5] = (byte)random.Next(1, 256); // the padding after ",i"
                return bad;
        }
    }

    /// <summary>The shipped scenes with each mood one colour at full intensity, no fades, no modulation.</summary>
    private static string ColourCodedScenes() =>
        RunningDaemon.ColourCodedScenes([("happy", "#ffffff"), ("tense", "#ff0000"), ("sad", "#0000ff"), ("calm", "#00ff00")], 0,
            scenes =>
            {
                scenes["presets"]!["default"]!["silence"]!["fadeSeconds"] = 0;
                // a second preset: every mood shows the sad scene (blue)
                var allBlue = scenes["presets"]!["default"]!.DeepClone();
                foreach (var mood in new[] { "happy", "tense", "sad", "calm" })
                {
                    allBlue["moods"]![mood] = new JsonObject { ["scenes"] = new JsonArray("sad") };
                }

                scenes["presets"]!["all blue"] = allBlue;
            });
}
