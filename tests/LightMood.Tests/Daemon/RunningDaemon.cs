using System.Text.Json.Nodes;
using System.Net.Http.Json;
using System.Text.Json;
using LightMood.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LightMood.Tests.Daemon;

/// <summary>The real daemon (Kestrel on 127.0.0.1:0, demo audio in real time, Art-Net from an ephemeral port) for a test.</summary>
public sealed class RunningDaemon : IAsyncDisposable
{
    private RunningDaemon(WebApplication app, Uri address, string scenesFile)
    {
        App = app;
        Address = address;
        ScenesFile = scenesFile;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    /// <summary>A private copy of config/scenes.json that edits are saved to.</summary>
    public string ScenesFile { get; }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>
    /// Builds and starts the daemon. <paramref name="buildIn"/> wraps the build, e.g. to create the engine's sockets
    /// inside a receiver's network namespace (Kestrel still binds the host's loopback at start, unless
    /// <paramref name="beforeStart"/> changes how it makes its listening socket).
    /// </summary>
    public static async Task<RunningDaemon> StartAsync(
        IDictionary<string, string?>? settings = null,
        string? scenesFile = null,
        Func<Func<WebApplication>, WebApplication>? buildIn = null,
        Action<WebApplication>? beforeStart = null)
    {
        scenesFile ??= CopyScenes();
        var values = new Dictionary<string, string?>
        {
            ["Web:Urls"] = "http://127.0.0.1:0",
            // a state directory of its own: what one test's operator chose (the audio input) is not another test's start
            ["Paths:StateDirectory"] = Directory.CreateTempSubdirectory("lightmood-state-").FullName,
            ["Web:FeedbackFile"] = Path.Combine(Path.GetTempPath(), $"lightmood-feedback-{Guid.NewGuid():N}.jsonl"),
            ["Lighting:ArtNet:ListenPort"] = "0",
            ["Lighting:ScenesFile"] = scenesFile,
            ["Serilog:WriteTo:1:Name"] = "Console",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            values[k] = v;
        }

        WebApplication Build() => DaemonHost.Build([], c => c.AddInMemoryCollection(values));
        var app = buildIn is null ? Build() : buildIn(Build);
        beforeStart?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningDaemon(app, new Uri(address), scenesFile);
    }

    public static string CopyScenes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lightmood-scenes-{Guid.NewGuid():N}.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "scenes.json"), path);
        return path;
    }

    /// <summary>
    /// A copy of the shipped scenes where each mood of <paramref name="colours"/> is one steady colour at full
    /// intensity (no pulse, chase or strobe), no valence/arousal modulation, crossfades of
    /// <paramref name="crossfadeSeconds"/>; <paramref name="also"/> changes anything else before it is written.
    /// Tests then read the mood off a receiver's DMX.
    /// </summary>
    public static string ColourCodedScenes(IEnumerable<(string Mood, string Colour)> colours, double crossfadeSeconds, Action<JsonObject>? also = null)
    {
        var path = CopyScenes();
        var scenes = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        scenes["crossfadeSeconds"] = crossfadeSeconds;
        scenes["modulation"] = new JsonObject { ["arousalIntensity"] = 0, ["arousalSpeed"] = 0, ["valenceWarmth"] = 0 };
        var mapping = scenes["presets"]![scenes["activePreset"]!.GetValue<string>()]!["moods"]!;
        foreach (var (mood, colour) in colours)
        {
            // the library scene the active preset shows for the mood, alone (no section steps)
            var name = mapping[mood]!["scenes"]![0]!.GetValue<string>();
            mapping[mood]!["scenes"] = new JsonArray(name);
            mapping[mood]!.AsObject().Remove("modulation");
            var look = scenes["library"]![name]!;
            look["palette"] = new JsonObject { ["*"] = new JsonArray(colour) };
            look["pulseDepth"] = 0;
            look["chaseStepsPerBeat"] = 0;
            look["intensity"] = 1;
            look["strobe"] = new JsonObject { ["allowed"] = false };
        }

        also?.Invoke(scenes);
        File.WriteAllText(path, scenes.ToJsonString());
        return path;
    }

    /// <summary>A body-less command: mutating requests must be JSON (a cross-site form or text POST is refused).</summary>
    public static HttpContent EmptyJson() => new StringContent("", System.Text.Encoding.UTF8, "application/json");

    public async Task<JsonElement> StateAsync() =>
        await Http.GetFromJsonAsync<JsonElement>("/api/state");

    /// <summary>Polls the state until <paramref name="condition"/> holds or the time is up.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> condition, double seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement state;
        do
        {
            state = await StateAsync();
            if (condition(state))
            {
                return state;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        return state;
    }

    public static byte[] Slots(JsonElement state, int universe = 0) =>
        Convert.FromBase64String(state.GetProperty("universes")[universe].GetProperty("slots").GetString()!);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
