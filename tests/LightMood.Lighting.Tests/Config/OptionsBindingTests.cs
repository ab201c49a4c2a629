using LightMood.Lighting.Engine;
using Microsoft.Extensions.Configuration;

namespace LightMood.Lighting.Tests.Config;

/// <summary>The Lighting section bound the way the daemon binds it (Microsoft.Extensions.Configuration).</summary>
public sealed class OptionsBindingTests
{
    private static LightingOptions Bind(string json)
    {
        var file = Path.Combine(Path.GetTempPath(), $"lightmood-appsettings-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();
            return configuration.GetSection(LightingOptions.SectionName).Get<LightingOptions>() ?? new LightingOptions();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Configured_lists_replace_the_defaults_instead_of_adding_to_them()
    {
        var options = Bind("""
            { "Lighting": { "RateHz": 44, "SafeLook": "House",
              "ArtNet": { "Nodes": ["10.0.0.5", "10.0.0.6:6455"], "Sync": true },
              "Sacn": { "Enabled": true, "Destinations": ["10.0.0.9"], "Priority": 80, "UniverseMap": { "3": 7 } } } }
            """);
        Assert.Empty(options.Validate());
        Assert.Equal(["10.0.0.5", "10.0.0.6:6455"], options.ArtNet.EffectiveNodes);
        Assert.Equal(["10.0.0.9"], options.Sacn.EffectiveDestinations);
        Assert.Equal(SafeLook.House, options.SafeLook);
        Assert.Equal(7, options.Sacn.Map(3));
        Assert.Equal(5, options.Sacn.Map(4));
    }

    [Fact]
    public void An_empty_section_gives_the_loopback_defaults()
    {
        var options = Bind("{}");
        Assert.Empty(options.Validate());
        Assert.Empty(options.ArtNet.EffectiveNodes);                    // discovery finds the nodes
        Assert.True(options.ArtNet.Discovery);
        Assert.True(options.ArtNet.ReuseAddress);                       // beside a local olad, in either start order
        Assert.Equal(2.75, options.ArtNet.PollIntervalSeconds);
        Assert.True(options.ArtNet.BroadcastFallback);
        Assert.Equal(["127.0.0.1"], Bind("""{ "Lighting": { "ArtNet": { "Discovery": false, "BroadcastFallback": false } } }""").ArtNet.EffectiveNodes);
        Assert.Equal(["127.0.0.1"], options.Sacn.EffectiveDestinations);
        Assert.Equal(40, options.RateHz);
        Assert.False(options.Sacn.Enabled);
        Assert.Empty(Bind("""{ "Lighting": { "ArtNet": { "Broadcast": true } } }""").ArtNet.EffectiveNodes);
    }

    [Fact]
    public void Bad_values_are_all_reported()
    {
        var errors = Bind("""{ "Lighting": { "RateHz": 100, "ArtNet": { "Nodes": ["nope"], "ListenPort": 70000 }, "Sacn": { "Enabled": true, "Priority": 300 } } }""").Validate();
        Assert.Equal(4, errors.Count);
    }
}
