using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;

namespace LightMood.Hosting;

/// <summary>The daemon: audio → analysis → lighting → outputs, with the operator page reading the state hub.</summary>
public static class DaemonHost
{
    /// <summary>Builds the daemon. Throws <see cref="DaemonConfigException"/> listing every bad setting at once.</summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        if (args.Contains("--stdin"))
        {
            builder.Configuration.AddInMemoryCollection([new("Audio:Source", "stdin")]);
        }

        configure?.Invoke(builder.Configuration);

        var audio = Bind<AudioOptions>(builder.Configuration, AudioOptions.SectionName);
        var web = Bind<WebOptions>(builder.Configuration, WebOptions.SectionName);
        var analysis = Bind<AnalysisOptions>(builder.Configuration, AnalysisOptions.SectionName);
        var lighting = Bind<LightingOptions>(builder.Configuration, LightingOptions.SectionName);
        var problems = audio.Validate().Concat(analysis.Validate()).Concat(web.Validate()).Concat(lighting.Validate()).ToList();
        if (problems.Count > 0)
        {
            throw new DaemonConfigException(problems);
        }

        builder.WebHost.UseUrls(web.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = OperatorApi.MaxBodyBytes);
        builder.Host.UseSystemd();
        builder.Services.AddSerilog((_, log) => log.ReadFrom.Configuration(builder.Configuration));
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(4);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(audio));
        builder.Services.AddSingleton(Options.Create(web));
        builder.Services.AddSingleton(Options.Create(analysis));
        builder.Services.AddSingleton(Options.Create(lighting));
        builder.Services.AddSingleton(sp => CreateEngine(lighting, builder.Environment.ContentRootPath, sp));
        builder.Services.AddSingleton<LiveState>();
        builder.Services.AddSingleton<AudioPipe>();
        builder.Services.AddSingleton<MoodEstimatorFactory>();
        builder.Services.AddSingleton<OperatorConsole>();
        builder.Services.AddSingleton<StateReader>();
        builder.Services.AddHostedService<LightingStage>();
        builder.Services.AddSingleton<AnalysisStage>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AnalysisStage>());
        builder.Services.AddSingleton<CaptureStage>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CaptureStage>());
        builder.Services.AddHostedService<SystemdWatchdog>();
        builder.Services.AddOperatorApi();

        var app = builder.Build();
        _ = app.Services.GetRequiredService<LightingEngine>(); // patch and scenes are checked before anything starts
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
                await Console.Error.WriteLineAsync("lightmood: " + p).ConfigureAwait(false);
            }

            return 2;
        }
        catch (LightingConfigException e)
        {
            await Console.Error.WriteLineAsync("lightmood: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        try
        {
            await app.RunAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // Kestrel cannot bind (address in use, no permission): one line, no stack trace
            await Console.Error.WriteLineAsync($"lightmood: cannot serve the operator page: {e.Message}").ConfigureAwait(false);
            return 1;
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

    private static LightingEngine CreateEngine(LightingOptions options, string contentRoot, IServiceProvider services) =>
        LightingEngine.Create(options, contentRoot, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILoggerFactory>());
}

/// <summary>Settings the daemon cannot start with; every problem names its key.</summary>
public sealed class DaemonConfigException(IReadOnlyList<string> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
