using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LightMood.Tests.Service;

/// <summary>A started daemon process's stdout and stderr lines, waited on; <see cref="Stop"/> ends it as systemd does (SIGTERM).</summary>
public sealed partial class DaemonLog
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    public DaemonLog(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        _process = process;
        process.OutputDataReceived += (_, e) => Add(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Add(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Stdout => Snapshot(_stdout);

    public IReadOnlyList<string> Stderr => Snapshot(_stderr);

    /// <summary>Waits until a stdout or stderr line contains <paramref name="text"/> (false: time up, or the process ended without it).</summary>
    public async Task<bool> WaitForAsync(string text, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (Stdout.Concat(Stderr).Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            if (_process.HasExited)
            {
                _process.WaitForExit(); // the last lines
                return Stdout.Concat(Stderr).Any(l => l.Contains(text, StringComparison.Ordinal));
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>
    /// SIGTERM to the daemon (<paramref name="pid"/>, when the started process is a wrapper that waits for it), then
    /// waits up to <paramref name="seconds"/>; kills what is left. Returns the exit code, or null when it had to be killed.
    /// </summary>
    public int? Stop(double seconds = 10, int? pid = null)
    {
        if (!_process.HasExited)
        {
            _ = Kill(pid ?? _process.Id, 15);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(seconds)))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
                return null;
            }
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public override string ToString() =>
        "stdout:\n" + string.Join('\n', Stdout.TakeLast(60)) + "\nstderr:\n" + string.Join('\n', Stderr.TakeLast(60));

    private static void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }

    private static string[] Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
