using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Hosting;

/// <summary>The daemon: audio → analysis → lighting → outputs, with the operator page reading the state hub.</summary>
public static class DaemonHost
{
    /// <summary>Builds the daemon. Throws <see cref="DaemonConfigException"/> listing every bad setting at once.</summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        // --stdin is a switch: left in, the command-line configuration would take the next option as its value
        var stdin = args.Contains("--stdin");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args.Where(a => a != "--stdin")],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        if (stdin)
        {
            builder.Configuration.AddInMemoryCollection([new("Audio:Source", "stdin")]);
        }

        configure?.Invoke(builder.Configuration);

        // Audio:Source is an enum: a value that names no source is one problem among the others, not a binder error
        var sourceProblems = new List<string>();
        if (builder.Configuration[$"{AudioOptions.SectionName}:Source"] is { } rawSource && !AudioSourceNames.TryParse(rawSource, out _))
        {
            sourceProblems.Add(AudioOptions.SourceProblem(rawSource));
            builder.Configuration.AddInMemoryCollection([new($"{AudioOptions.SectionName}:Source", AudioSourceKind.Demo.ToName())]); // the rest still binds and is checked
        }

        var audio = Bind<AudioOptions>(builder.Configuration, AudioOptions.SectionName);
        var web = Bind<WebOptions>(builder.Configuration, WebOptions.SectionName);
        var analysis = Bind<AnalysisOptions>(builder.Configuration, AnalysisOptions.SectionName);
        var lighting = Bind<LightingOptions>(builder.Configuration, LightingOptions.SectionName);
        var osc = Bind<Osc.OscOptions>(builder.Configuration, Osc.OscOptions.SectionName);
        var kestrelBindings = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => ($"Kestrel:Endpoints:{e.Key}:Url", e["Url"] ?? ""));
        var audioRules = new SectionValidator<AudioOptions>(o => o.Validate());
        var analysisRules = new SectionValidator<AnalysisOptions>(o => o.Validate());
        var webRules = new SectionValidator<WebOptions>(o => o.Validate(kestrelBindings));
        var lightingRules = new SectionValidator<LightingOptions>(o => o.Validate());
        var oscRules = new SectionValidator<Osc.OscOptions>(o => o.Validate());

        // every section's failures at once, before anything starts (the same validators run again on start)
        var problems = sourceProblems.Concat(audioRules.Failures(audio)).Concat(analysisRules.Failures(analysis)).Concat(webRules.Failures(web))
            .Concat(lightingRules.Failures(lighting)).Concat(oscRules.Failures(osc)).ToList();
        if (problems.Count > 0)
        {
            throw new DaemonConfigException(problems);
        }

        // state files in the state directory, seeded on first start (see DaemonPaths for the rule)
        var paths = DaemonPaths.Resolve(builder.Configuration, builder.Environment.ContentRootPath);
        void LightingInState(LightingOptions o)
        {
            o.ScenesFile = paths.InState(o.ScenesFile);
            o.Sacn.CidFile = paths.InState(o.Sacn.CidFile);
        }

        void WebInState(WebOptions o) => o.FeedbackFile = paths.InState(o.FeedbackFile);
        LightingInState(lighting);
        WebInState(web);
        var seeded = StateDirectory.Prepare(paths, lighting.ScenesFile);

        builder.WebHost.UseUrls(web.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = OperatorApi.MaxBodyBytes);
        builder.Host.UseSystemd();
        builder.AddDaemonLogging(paths);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(4);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StageHealth>();
        builder.Services.AddSingleton(paths);
        builder.Services.AddValidatedSettings(builder.Configuration, AudioOptions.SectionName, audioRules);
        builder.Services.AddValidatedSettings(builder.Configuration, WebOptions.SectionName, webRules, WebInState);
        builder.Services.AddValidatedSettings(builder.Configuration, AnalysisOptions.SectionName, analysisRules);
        builder.Services.AddValidatedSettings(builder.Configuration, LightingOptions.SectionName, lightingRules, LightingInState);
        builder.Services.AddLighting(lighting, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton<LiveState>();
        builder.Services.AddSingleton<AudioPipe>();
        builder.Services.AddSingleton<MoodEstimatorFactory>();
        builder.Services.AddSingleton<OperatorConsole>();
        builder.Services.AddSingleton<ShowEditor>();
        builder.Services.AddSingleton<OperatorSessions>();
        builder.Services.AddSingleton<AudioInputSelection>();
        builder.Services.AddValidatedSettings(builder.Configuration, Osc.OscOptions.SectionName, oscRules);
        builder.Services.AddSingleton<Osc.OscCommands>();
        builder.Services.AddSingleton<Osc.OscServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Osc.OscServer>());
        builder.Services.AddSingleton<StateReader>();
        builder.Services.AddHostedService<LightingStage>();
        builder.Services.AddSingleton<AnalysisStage>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AnalysisStage>());
        builder.Services.AddSingleton<CaptureStage>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CaptureStage>());
        builder.Services.AddSingleton(SystemdNotifySettings.FromEnvironment());
        builder.Services.AddHostedService<SystemdWatchdog>();
        builder.Services.AddOperatorApi();

        var app = builder.Build();
        var startLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DaemonHost));
        startLog.StateDirectoryReady(paths.Install, paths.State, paths.Logs);
        foreach (var file in seeded)
        {
            startLog.StateSeeded(file, paths.ShippedScenes);
        }

        foreach (var key in SettingKeys.Unknown(builder.Configuration, SettingKeys.DaemonSections))
        {
            startLog.UnknownSetting(key.Path, key.Suggestion is null ? "" : $" (did you mean {key.Suggestion}?)");
        }

        _ = app.Services.GetRequiredService<LightingEngine>(); // patch and scenes are checked before anything starts
        var scenesPath = app.Services.GetRequiredService<OperatorConsole>().ScenesPath;
        if (app.Services.GetRequiredService<Lighting.Engine.Rig>().Show.FromOldFormat)
        {
            startLog.ScenesMigrated(scenesPath);
        }

        if (AtomicFile.RemoveStaleTemporary(scenesPath))
        {
            app.Services.GetRequiredService<ILogger<OperatorConsole>>().StaleTemporaryRemoved(AtomicFile.TempPath(scenesPath));
        }

        try
        {
            app.Services.GetRequiredService<Osc.OscServer>().Bind(); // a bad OSC address is a configuration error, before any DMX
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new DaemonConfigException([$"{Osc.OscOptions.SectionName}:BindAddress/Port: cannot listen on udp {osc.BindAddress}:{osc.Port}: {e.Message}"]);
        }

        app.MapOperatorApi();
        return app;
    }

    /// <summary>The <c>run</c> verb: runs until SIGTERM/Ctrl-C; a bad configuration exits 2 with one line per problem.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (DaemonConfigException e)
        {
            foreach (var p in e.Problems)
            {
                await Console.Error.WriteLineAsync(Journal.ErrorLine("lightmood: " + p)).ConfigureAwait(false);
            }

            return 2;
        }
        catch (LightingConfigException e)
        {
            await Console.Error.WriteLineAsync(Journal.ErrorLine("lightmood: " + e.Message)).ConfigureAwait(false);
            return 2;
        }

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (OptionsValidationException e)
        {
            // ValidateOnStart: Build has checked the same settings already, so this is a setting changed in between
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync(Journal.ErrorLine("lightmood: " + failure)).ConfigureAwait(false);
            }

            await app.DisposeAsync().ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException or NotSupportedException or ArgumentException or FormatException)
        {
            // Kestrel cannot bind (address in use or not on this host, no permission, https without a certificate):
            // one line naming the setting, no stack trace; the render thread has not started, so no DMX was sent
            var urls = app.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any() ? "Kestrel:Endpoints" : $"{WebOptions.SectionName}:Urls";
            var reason = e.Message.Split('\n', 2)[0].Trim();
            await Console.Error.WriteLineAsync(Journal.ErrorLine($"lightmood: cannot serve the operator page ({urls}): {reason}")).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 2;
        }

        try
        {
            await app.WaitForShutdownAsync().ConfigureAwait(false); // stops the host on SIGTERM/Ctrl-C
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // a value of the wrong type: the binder names the key in its message
            throw new DaemonConfigException([$"{section}: {e.Message}"]);
        }
    }
}

/// <summary>Settings the daemon cannot start with; every problem names its key.</summary>
public sealed class DaemonConfigException(IReadOnlyList<string> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
