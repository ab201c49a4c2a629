using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The pacing of the render thread: a dedicated thread ("LightMood render", optionally SCHED_FIFO) that calls the frame
/// at a steady rate on the engine's clock; when it falls behind by more than a frame it skips to the next slot rather
/// than bursting (logged at most every 10 s).
/// </summary>
internal sealed partial class RenderLoop(Action renderFrame, TimeProvider time, double rateHz, int realtimePriority, ILogger logger)
{
    private Thread? _thread;
    private volatile bool _run;

    public bool Started => _thread is not null;

    public void Start()
    {
        if (_thread is not null)
        {
            return;
        }

        _run = true;
        _thread = new Thread(Loop) { IsBackground = true, Name = "LightMood render", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Stops the thread and waits for its last frame; safe to call twice.</summary>
    public void Stop()
    {
        var thread = _thread;
        _run = false;
        thread?.Join();
        _thread = null;
    }

    private void Loop()
    {
        if (realtimePriority > 0)
        {
            if (RealtimeScheduling.TryEnterFifo(realtimePriority) is { } refused)
            {
                LightingLog.RealtimeRefused(logger, realtimePriority, refused);
            }
            else
            {
                LightingLog.RealtimeGranted(logger, realtimePriority);
            }
        }

        var freq = (double)time.TimestampFrequency;
        var period = (long)(freq / rateHz);

        // the first frame compiles the render path (20-40 ms of JIT measured at start-up): the clock starts after it,
        // so that one-off cost is not reported as the loop falling behind
        renderFrame();
        var next = time.GetTimestamp() + period;
        var lastLate = long.MinValue;
        while (_run)
        {
            var now = time.GetTimestamp();
            var remaining = next - now;
            if (remaining > 0)
            {
                WaitUntil(next);
            }
            else if (-remaining > period)
            {
                if (lastLate == long.MinValue || time.GetElapsedTime(lastLate, now) > TimeSpan.FromSeconds(10))
                {
                    LightingLog.FellBehind(logger, -remaining * 1000.0 / freq);
                    lastLate = now;
                }

                next = now;
            }

            if (!_run)
            {
                break;
            }

            renderFrame();
            next += period;
        }

        Debug.Assert(!_run, "loop left while running");
    }

    /// <summary>
    /// Waits for a timestamp of the engine's clock. On Linux a relative nanosleep (sub-millisecond, no spinning: the
    /// kernel's default timer slack is 50 µs); elsewhere Thread.Sleep to within a millisecond, then yielding.
    /// </summary>
    private void WaitUntil(long next)
    {
        var freq = time.TimestampFrequency;
        while (true)
        {
            var remaining = next - time.GetTimestamp();
            if (remaining <= 0 || !_run)
            {
                return;
            }

            if (OperatingSystem.IsLinux())
            {
                var ns = (long)(remaining * (1e9 / freq));
                var ts = new TimeSpec { Seconds = (nint)(ns / 1_000_000_000), Nanoseconds = (nint)(ns % 1_000_000_000) };
                _ = NanoSleep(in ts, IntPtr.Zero);
                continue;
            }

            var ms = (int)(remaining * 1000 / freq) - 1;
            if (ms > 0)
            {
                Thread.Sleep(ms);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, IntPtr remaining);

    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }
}
