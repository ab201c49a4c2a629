using LightMood.Hosting;
using Microsoft.Extensions.Configuration;

namespace LightMood.Tests.Daemon;

/// <summary>
/// A key under the daemon's own sections that no setting reads is warned about at start (event 1402), with the
/// setting it most resembles: a typo like <c>Web__Url</c> used to be ignored without a word.
/// </summary>
public sealed class SettingKeysTests
{
    [Fact]
    public void Typos_are_found_with_a_suggestion_and_lists_maps_and_other_sections_are_left_alone()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Web:Url"] = "http://127.0.0.1:8081",                  // Urls
            ["Web:Urls"] = "http://127.0.0.1:8080",
            ["Audio:Source"] = "demo",
            ["Audio:Sauce"] = "file",                                // Source
            ["Lighting:ArtNet:Nodes:0"] = "127.0.0.1",               // a list's entries are the setting's own
            ["Lighting:ArtNet:Nodez:0"] = "127.0.0.1",               // Nodes
            ["Lighting:Sacn:UniverseMap:3"] = "7",                   // a map's keys are the setting's own
            ["Lighting:Sacn:Colour"] = "blue",                       // nothing like it
            ["Osc:Port"] = "9000",
            ["Paths:StateDirectory"] = "/tmp/x",
            ["Paths:StateDir"] = "/tmp/y",                           // StateDirectory is 6 edits away: no suggestion
            ["Serilog:Whatever"] = "x",                              // not LightMood's section
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:1",
        }).Build();

        var unknown = SettingKeys.Unknown(configuration, SettingKeys.DaemonSections);

        Assert.Equal(
            [
                new SettingKeys.UnknownKey("Audio:Sauce", "Audio:Source"),
                new SettingKeys.UnknownKey("Web:Url", "Web:Urls"),
                new SettingKeys.UnknownKey("Lighting:ArtNet:Nodez", "Lighting:ArtNet:Nodes"),
                new SettingKeys.UnknownKey("Lighting:Sacn:Colour", null),
                new SettingKeys.UnknownKey("Paths:StateDir", null),
            ],
            unknown);
    }

    [Fact]
    public void The_shipped_appsettings_has_no_unknown_key()
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        Assert.Empty(SettingKeys.Unknown(shipped, SettingKeys.DaemonSections));
    }

    [Fact]
    public async Task The_daemon_warns_about_a_typo_in_its_environment_and_runs_on()
    {
        await using var d = await DaemonProcess.StartStdinAsync("--Web:Url=http://127.0.0.1:1");
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!d.Output.Contains("Web:Url", StringComparison.Ordinal) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        Assert.Contains("Setting Web:Url is not one LightMood reads; it is ignored (did you mean Web:Urls?)", d.Output, StringComparison.Ordinal);
        Assert.False(d.HasExited);
    }
}
