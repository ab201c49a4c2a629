using System.Net;
using System.Text.Json;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Tests.Receivers;

namespace LightMood.Tests.Daemon;

/// <summary>The daemon's Art-Net node table on <c>/api/nodes</c>, with a node answering its polls in a namespace of the test's own.</summary>
public sealed class ArtNetNodesApiTests
{
    [SkippableFact]
    public async Task A_node_found_by_ArtPoll_is_listed_with_the_universes_it_gets()
    {
        using var ns = NetNamespace.TryCreate(out var whyNot);
        Skip.If(ns is null, whyNot);
        // the engine's sockets live in the namespace (Kestrel binds the host's loopback); Art-Net on 127.0.0.1:6454 there
        using var node = ns.Run(() => new FakeArtNetNode(IPAddress.Parse("127.0.0.5"), IPAddress.Parse("127.255.255.255"), "fake-5", new PortAddress(0), new PortAddress(9)));
        await using var d = await RunningDaemon.StartAsync(
            new Dictionary<string, string?> { ["Lighting:ArtNet:ListenPort"] = "6454" },
            buildIn: build => ns.Run(build));

        JsonElement listed = default;
        for (var i = 0; i < 50 && listed.ValueKind != JsonValueKind.Object; i++)
        {
            await Task.Delay(100);
            using var doc = JsonDocument.Parse(await d.Http.GetStringAsync("/api/nodes"));
            listed = doc.RootElement.EnumerateArray().FirstOrDefault(n => n.GetProperty("short_name").GetString() == "fake-5").Clone();
        }

        Assert.Equal(JsonValueKind.Object, listed.ValueKind);
        Assert.Equal("127.0.0.5", listed.GetProperty("address").GetString());
        Assert.Equal("node", listed.GetProperty("style").GetString());
        Assert.Equal(["0:0:0", "0:0:9"], listed.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["0:0:0"], listed.GetProperty("receives").EnumerateArray().Select(e => e.GetString()));   // the shipped patch is on universe 0
        await Task.Delay(300);
        Assert.Contains(node.Dmx, x => x.Universe.Value == 0 && x.To.Equals(IPAddress.Parse("127.0.0.5")));
        Assert.Contains("/api/nodes", await d.Http.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);
    }
}
