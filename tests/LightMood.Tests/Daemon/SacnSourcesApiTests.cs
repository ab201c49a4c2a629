using System.Net;
using System.Text.Json;

namespace LightMood.Tests.Daemon;

/// <summary>The daemon's list of other sACN sources on <c>/api/sacn/sources</c>: it receives E1.31 on its own socket.</summary>
public sealed class SacnSourcesApiTests
{
    private static async Task<JsonElement> SourceAsync(RunningDaemon d, string name, Func<JsonElement, bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            using var doc = JsonDocument.Parse(await d.Http.GetStringAsync("/api/sacn/sources"));
            var s = doc.RootElement.GetProperty("sources").EnumerateArray().FirstOrDefault(x => x.GetProperty("name").GetString() == name);
            if (s.ValueKind == JsonValueKind.Object && condition(s))
            {
                return s.Clone();
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"'{name}' not listed as expected within 10 s: {await d.Http.GetStringAsync("/api/sacn/sources")}");
    }

    [Fact]
    public async Task Other_sources_are_listed_with_priority_state_and_universes_and_its_own_packets_are_not()
    {
        var port = FakeSacnConsole.FreeUdpPort();
        await using var d = await RunningDaemon.StartAsync(FakeSacnConsole.DaemonListening(port));
        var to = new IPEndPoint(IPAddress.Loopback, port);
        using var console = new FakeSacnConsole(to, "console-7", 150, 1);
        using var old = new FakeSacnConsole(to, "old desk", 50, 1);

        var c = await SourceAsync(d, "console-7", s => s.GetProperty("state").GetString() == "active");
        Assert.Equal(150, c.GetProperty("priority").GetInt32());
        Assert.Equal([1], c.GetProperty("universes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([1], c.GetProperty("shared").EnumerateArray().Select(e => e.GetInt32()));   // the shipped patch's universe 0 is sACN 1
        Assert.True(c.GetProperty("outranks").GetBoolean());
        Assert.Equal("127.0.0.1", c.GetProperty("address").GetString());
        Assert.Equal(console.Cid.ToString(), c.GetProperty("cid").GetString());

        old.Terminate();
        var o = await SourceAsync(d, "old desk", s => s.GetProperty("state").GetString() == "terminated");
        Assert.False(o.GetProperty("outranks").GetBoolean());

        console.Silence();
        var silent = await SourceAsync(d, "console-7", s => s.GetProperty("state").GetString() == "timed out");
        Assert.False(silent.GetProperty("outranks").GetBoolean());   // a receiver has dropped it: LightMood's look shows again

        using var all = JsonDocument.Parse(await d.Http.GetStringAsync("/api/sacn/sources"));
        Assert.True(all.RootElement.GetProperty("listening").GetBoolean());
        Assert.Equal(100, all.RootElement.GetProperty("own_priority").GetInt32());
        // LightMood's own packets reach this listener (its destination is the listener) but are not a source
        Assert.Equal(["console-7", "old desk"], all.RootElement.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order());
        Assert.Contains("/api/sacn/sources", await d.Http.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_listening_the_list_says_so()
    {
        await using var d = await RunningDaemon.StartAsync();
        using var doc = JsonDocument.Parse(await d.Http.GetStringAsync("/api/sacn/sources"));
        Assert.False(doc.RootElement.GetProperty("listening").GetBoolean());
        Assert.Empty(doc.RootElement.GetProperty("sources").EnumerateArray());
    }
}
