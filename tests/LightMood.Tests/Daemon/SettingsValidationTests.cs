using LightMood.Hosting;
using LightMood.Lighting.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightMood.Tests.Daemon;

/// <summary>
/// The daemon's settings go through <c>IValidateOptions</c> (one validator per section, every failure at once) with
/// <c>ValidateOnStart</c>; the daemon also runs the validators when it builds, so a bad setting stops it before anything
/// starts (the exit code 2 tests elsewhere).
/// </summary>
public sealed class SettingsValidationTests
{
    private static WebApplication Build(string state) => DaemonHost.Build([], c => c.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Web:Urls"] = "http://127.0.0.1:0",
        ["Paths:StateDirectory"] = state,
        ["Lighting:ArtNet:ListenPort"] = "0",
        ["Lighting:ScenesFile"] = RunningDaemon.CopyScenes(),
        ["Serilog:WriteTo:1:Name"] = "Console",
    }));

    [Fact]
    public async Task Each_section_has_a_validator_that_reports_every_failure_and_the_services_see_the_state_paths()
    {
        var state = Directory.CreateTempSubdirectory("lightmood-state-").FullName;
        await using var app = Build(state);
        var audio = app.Services.GetRequiredService<IValidateOptions<AudioOptions>>();
        var result = audio.Validate(Options.DefaultName, new AudioOptions { Source = (AudioSourceKind)7, SampleRate = 5 });
        Assert.Equal(["Audio:Source '7' is not one of demo, file, stdin, portaudio", "Audio:SampleRate 5 is outside 8000..192000"], result.Failures);
        Assert.True(app.Services.GetRequiredService<IValidateOptions<LightingOptions>>().Validate(null, new LightingOptions { RateHz = 100 }).Failed);
        Assert.True(app.Services.GetRequiredService<IValidateOptions<WebOptions>>().Validate(null, new WebOptions { Urls = "" }).Failed);
        Assert.True(app.Services.GetRequiredService<IValidateOptions<AnalysisOptions>>().Validate(null, new AnalysisOptions { ModelFile = "x.txt" }).Failed);
        Assert.True(app.Services.GetRequiredService<IValidateOptions<LightMood.Osc.OscOptions>>().Validate(null, new LightMood.Osc.OscOptions { Enabled = true, Port = 70000 }).Failed);

        // the bound options carry the state directory's paths, as the engine's own copy does
        var lighting = app.Services.GetRequiredService<IOptions<LightingOptions>>().Value;
        Assert.True(Path.IsPathFullyQualified(lighting.Sacn.CidFile));
        Assert.StartsWith(state, lighting.Sacn.CidFile, StringComparison.Ordinal);
        Assert.StartsWith(state, app.Services.GetRequiredService<IOptions<WebOptions>>().Value.FeedbackFile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_that_fails_its_validator_stops_the_start()
    {
        await using var app = Build(Directory.CreateTempSubdirectory("lightmood-state-").FullName);
        app.Configuration["Audio:SampleRate"] = "5";                 // after the build's own check: ValidateOnStart catches it
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Audio:SampleRate 5 is outside 8000..192000", e.Failures);
    }
}
