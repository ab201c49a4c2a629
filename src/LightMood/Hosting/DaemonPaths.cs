using Microsoft.Extensions.Configuration;

namespace LightMood.Hosting;

/// <summary>
/// Where the daemon reads and where it writes: one rule for every file.
/// <list type="bullet">
/// <item><b>Install</b> (the program's folder, the content root): the executable, appsettings.json, config/ (patch,
/// shipped scenes, fixture profiles, schemas), models/, wwwroot/, the demo track. Only read; an installed copy may be
/// read-only to the service user.</item>
/// <item><b>State</b>: what the daemon writes and keeps: scene edits (<c>scenes.json</c>, seeded from the shipped
/// config/scenes.json on first start), operator feedback, the sACN CID, imported fixture profiles (<c>fixtures/</c>).
/// <c>Paths:StateDirectory</c>, else systemd's <c>$STATE_DIRECTORY</c> (from <c>StateDirectory=</c>), else
/// <c>state/</c> in the install (a development or unpacked copy).</item>
/// <item><b>Logs</b>: the rolling log files. <c>Paths:LogDirectory</c>, else <c>$LOGS_DIRECTORY</c> (from
/// <c>LogsDirectory=</c>), else <c>logs/</c> in the state directory.</item>
/// </list>
/// A relative state setting (<c>Lighting:ScenesFile</c>, <c>Lighting:Sacn:CidFile</c>, <c>Web:FeedbackFile</c>) is
/// relative to the state directory, a relative log file path to the log directory, and a relative program setting
/// (<c>Lighting:PatchFile</c>, <c>Analysis:ModelFile</c>, <c>Audio:File</c>) to the install directory.
/// </summary>
public sealed record DaemonPaths(string Install, string State, string Logs)
{
    public const string SectionName = "Paths";

    /// <summary>The folder under the state directory that <c>fixtures import</c> writes to and the daemon reads.</summary>
    public string Fixtures => Path.Combine(State, "fixtures");

    /// <summary>The shipped scenes that seed the state's scenes file on first start.</summary>
    public string ShippedScenes => Path.Combine(Install, "config", "scenes.json");

    /// <summary>Resolves the three folders from the settings and the environment systemd gives a service.</summary>
    public static DaemonPaths Resolve(IConfiguration configuration, string install)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        install = Path.GetFullPath(install);
        var state = Setting(configuration, "StateDirectory", install) ?? FromSystemd("STATE_DIRECTORY") ?? Path.Combine(install, "state");
        var logs = Setting(configuration, "LogDirectory", install) ?? FromSystemd("LOGS_DIRECTORY") ?? Path.Combine(state, "logs");
        return new DaemonPaths(install, state, logs);
    }

    /// <summary>The same rule for a command-line verb: appsettings.json beside the program and the environment.</summary>
    public static DaemonPaths ForCommandLine()
    {
        var install = AppContext.BaseDirectory;
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(install, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        return Resolve(configuration, install);
    }

    /// <summary>A state file: absolute as given, or relative to the state directory.</summary>
    public string InState(string path) => Path.GetFullPath(path, State);

    /// <summary>A log file: absolute as given, or relative to the log directory.</summary>
    public string InLogs(string path) => Path.GetFullPath(path, Logs);

    private static string? Setting(IConfiguration configuration, string key, string install) =>
        configuration[$"{SectionName}:{key}"] is { Length: > 0 } value ? Path.GetFullPath(value, install) : null;

    /// <summary>systemd passes a colon-separated list when the unit names several folders: the first is ours.</summary>
    private static string? FromSystemd(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && value.Split(':')[0] is { Length: > 0 } first && Path.IsPathRooted(first)
            ? first
            : null;
}
