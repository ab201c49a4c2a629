using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Serilog;

namespace LightMood.Hosting;

/// <summary>
/// Serilog from the <c>Serilog</c> section, with two rules of the daemon: a relative file-sink <c>path</c> is in the
/// log directory (<see cref="DaemonPaths.Logs"/>), never the working directory; and when the console is systemd's
/// journal (<see cref="Journal.IsConnected"/>) the console sinks write <see cref="JournalFormatter"/> lines
/// (<c>&lt;4&gt;[1101] Audio stalled…</c>) instead of their output template. The file log keeps its structured
/// template (every property, the event id included, as JSON).
/// </summary>
internal static class DaemonLogging
{
    private const string Section = "Serilog";

    public static void AddDaemonLogging(this WebApplicationBuilder builder, DaemonPaths paths)
    {
        var sinks = builder.Configuration.GetSection($"{Section}:WriteTo").GetChildren().ToList();
        var files = sinks
            .Where(s => s["Name"] == "File" && s["Args:path"] is { Length: > 0 })
            .ToDictionary(s => $"{s.Path}:Args:path", s => (string?)paths.InLogs(s["Args:path"]!));
        builder.Configuration.AddInMemoryCollection(files);

        var journal = Journal.IsConnected;
        var consoles = sinks.Where(s => s["Name"] == "Console").Select(s => s.Path).ToList();
        builder.Services.AddSerilog((_, log) =>
        {
            if (!journal || consoles.Count == 0)
            {
                log.ReadFrom.Configuration(builder.Configuration);
                return;
            }

            // the same settings less the console sinks, then one console sink in the journal's format
            var rest = new ConfigurationBuilder().AddInMemoryCollection(builder.Configuration.GetSection(Section).AsEnumerable()
                .Where(kv => !consoles.Any(c => kv.Key == c || kv.Key.StartsWith(c + ":", StringComparison.Ordinal)))).Build();
            log.ReadFrom.Configuration(rest).WriteTo.Console(new JournalFormatter());
        });
    }
}
