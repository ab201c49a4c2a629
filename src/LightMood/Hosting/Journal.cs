using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace LightMood.Hosting;

/// <summary>
/// systemd's journal as the console's reader. A service's stdout/stderr go to journald, which reads a leading
/// <c>&lt;N&gt;</c> on each line as its syslog priority (<c>SyslogLevelPrefix=</c>, on by default), so
/// <c>journalctl -p warning</c> can filter. systemd tells a service that its output goes to the journal with
/// <c>$JOURNAL_STREAM</c> (<c>device:inode</c> of that stream); the output is the journal only while stdout or stderr is
/// still that stream (a shell pipe started from the service is not).
/// </summary>
public static class Journal
{
    /// <summary>True when stdout or stderr is the journal stream systemd named in <c>$JOURNAL_STREAM</c>.</summary>
    public static bool IsConnected { get; } = Detect();

    /// <summary>A start-up error line: with the error priority <c>&lt;3&gt;</c> when the journal reads it.</summary>
    public static string ErrorLine(string line) => IsConnected ? "<3>" + line : line;

    /// <summary>syslog priority of a Serilog level: debug 7, information 6, warning 4, error 3, fatal 2.</summary>
    public static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => 7,
        LogEventLevel.Information => 6,
        LogEventLevel.Warning => 4,
        LogEventLevel.Error => 3,
        _ => 2,
    };

    private static bool Detect()
    {
        var stream = Environment.GetEnvironmentVariable("JOURNAL_STREAM");
        var colon = stream?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (!OperatingSystem.IsLinux() || stream is null || colon < 0)
        {
            return false;
        }

        var inode = stream[(colon + 1)..];
        foreach (var fd in new[] { 1, 2 })
        {
            try
            {
                // "socket:[12345]" (journald) or "pipe:[12345]": the inode in brackets
                var target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
                var open = target?.IndexOf('[', StringComparison.Ordinal) ?? -1;
                if (open >= 0 && target!.EndsWith(']') && target[(open + 1)..^1] == inode)
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // no such descriptor
            }
        }

        return false;
    }
}

/// <summary>
/// One journald line per line of output: <c>&lt;priority&gt;[event id] message</c>, and each line of an exception with
/// the same priority (a stack trace stays one priority, not a run of informational lines). The time, host and unit
/// are the journal's own fields; the structured properties stay in the file log.
/// </summary>
public sealed class JournalFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _message = new("{Message:lj}", CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        var prefix = $"<{Journal.Priority(logEvent.Level)}>";
        var id = EventId(logEvent);
        using var message = new StringWriter(CultureInfo.InvariantCulture);
        _message.Format(logEvent, message);
        var lines = message.ToString().Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            output.Write(prefix);
            if (i == 0 && id is { } n)
            {
                output.Write(string.Create(CultureInfo.InvariantCulture, $"[{n}] "));
            }

            output.Write(lines[i].TrimEnd('\r'));
            output.Write('\n');
        }

        if (logEvent.Exception is { } e)
        {
            foreach (var line in e.ToString().Split('\n'))
            {
                output.Write(prefix);
                output.Write(line.TrimEnd('\r'));
                output.Write('\n');
            }
        }
    }

    /// <summary>The Microsoft.Extensions.Logging event id, which Serilog carries as <c>EventId { Id, Name }</c>.</summary>
    private static int? EventId(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("EventId", out var value) && value is StructureValue s
            && s.Properties.FirstOrDefault(p => p.Name == "Id")?.Value is ScalarValue { Value: int id } && id != 0
            ? id
            : null;
}
