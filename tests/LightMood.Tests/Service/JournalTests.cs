using System.Diagnostics;
using LightMood.Hosting;
using Serilog.Events;
using Serilog.Parsing;

namespace LightMood.Tests.Service;

/// <summary>
/// Under systemd the console is the journal: each line carries its syslog priority (<c>&lt;4&gt;</c>) and the event id,
/// so <c>journalctl -p warning</c> filters; elsewhere the console stays as configured. And the render thread alone
/// runs at real-time priority.
/// </summary>
public sealed class JournalTests
{
    [Fact]
    public void A_warning_with_an_exception_is_one_priority_on_every_line_and_the_event_id_first()
    {
        var template = new MessageTemplateParser().Parse("Audio stalled: no samples for {Seconds} s");
        Exception thrown;
        try
        {
            throw new InvalidOperationException("line one\nline two");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;   // with a stack trace
        }

        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Warning, thrown, template,
        [
            new LogEventProperty("Seconds", new ScalarValue(3.5)),
            new LogEventProperty("EventId", new StructureValue([new LogEventProperty("Id", new ScalarValue(1101)), new LogEventProperty("Name", new ScalarValue("AudioStalled"))])),
        ]);
        using var text = new StringWriter();
        new JournalFormatter().Format(logEvent, text);
        var lines = text.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal("<4>[1101] Audio stalled: no samples for 3.5 s", lines[0]);
        Assert.All(lines, l => Assert.StartsWith("<4>", l, StringComparison.Ordinal));
        Assert.Contains("<4>line two", lines);
        Assert.Contains(lines, l => l.StartsWith("<4>   at ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Console_lines_carry_priorities_only_when_stdout_is_the_journal_stream(bool journal)
    {
        // a missing model: an error event (1200, the failing stage's; logged once, by that stage) besides the informational ones
        var model = Path.Combine(Path.GetTempPath(), $"lightmood-missing-{Guid.NewGuid():N}.onnx");
        var state = Directory.CreateTempSubdirectory("lightmood-journal-");
        var command = $"exec 3>&1; JOURNAL_STREAM={(journal ? "$(stat -L -c %d:%i /proc/self/fd/3)" : "1:1")}; exec 3>&-; export JOURNAL_STREAM; exec \"$@\"";
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-c", command, "sh", "dotnet", Path.Combine(AppContext.BaseDirectory, "lightmood.dll"), "run",
                     "--Web:Urls=http://127.0.0.1:0", "--Lighting:ArtNet:ListenPort=0", $"--Analysis:ModelFile={model}", $"--Paths:StateDirectory={state.FullName}"])
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var log = new DaemonLog(p);
        try
        {
            Assert.True(await log.WaitForAsync("model file not found", TimeSpan.FromSeconds(30)), log.ToString());
            Assert.True(await log.WaitForAsync("Lighting engine started", TimeSpan.FromSeconds(30)), log.ToString());   // started: SIGTERM is the host's
            var lines = log.Stdout.Where(l => l.Length > 0).ToList();
            if (journal)
            {
                Assert.All(lines, l => Assert.Matches("^<[0-7]>", l));
                Assert.Contains(lines, l => l.StartsWith("<3>[1200] Stage analysis failed", StringComparison.Ordinal));
                Assert.Contains(lines, l => l.StartsWith("<6>[1201] Stage capture running", StringComparison.Ordinal));
            }
            else
            {
                // the configured console template (a JOURNAL_STREAM that is not stdout: a pipe from the service's shell)
                Assert.DoesNotContain(lines, l => l.StartsWith('<'));
                Assert.Contains(lines, l => l.Contains("ERR] Stage analysis failed", StringComparison.Ordinal));
            }
        }
        finally
        {
            Assert.Equal(0, log.Stop());
            state.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task The_render_thread_alone_runs_at_real_time_priority()
    {
        Skip.If(NetworkNamespace.Run("chrt", "-f", "1", "true").Code != 0, "SCHED_FIFO is not allowed here (needs CAP_SYS_NICE or RLIMIT_RTPRIO)");
        var state = Directory.CreateTempSubdirectory("lightmood-rt-");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "lightmood.dll"), "--Web:Urls=http://127.0.0.1:0", "--Lighting:ArtNet:ListenPort=0",
                     "--Lighting:RealtimePriority=20", $"--Paths:StateDirectory={state.FullName}", "--Serilog:WriteTo:1:Name=Console"])
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var log = new DaemonLog(p);
        try
        {
            Assert.True(await log.WaitForAsync("Render thread at real-time priority 20", TimeSpan.FromSeconds(30)), log.ToString());
            Assert.True(await log.WaitForAsync("Stage analysis running", TimeSpan.FromSeconds(30)), log.ToString());
            RealtimeThreads.AssertRenderThreadAlone(p.Id, 20);
        }
        finally
        {
            Assert.Equal(0, log.Stop());
            state.Delete(recursive: true);
        }
    }
}
