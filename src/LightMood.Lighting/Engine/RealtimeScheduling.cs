using System.Runtime.InteropServices;

namespace LightMood.Lighting.Engine;

/// <summary>
/// Real-time scheduling for one thread: <c>sched_setscheduler(0, SCHED_FIFO, priority)</c> applies to the calling
/// thread only on Linux (the 0 is "this thread", not the process), so the render thread can run at a fixed real-time
/// priority while everything else in the process stays under the normal scheduler. An unprivileged process may do it
/// up to its <c>RLIMIT_RTPRIO</c> (systemd's <c>LimitRTPRIO=</c>), with no capability.
/// </summary>
internal static partial class RealtimeScheduling
{
    private const int SchedFifo = 1;

    /// <summary>Moves the calling thread to SCHED_FIFO at <paramref name="priority"/>; null on success, else the reason.</summary>
    public static string? TryEnterFifo(int priority)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "real-time scheduling is set only on Linux";
        }

        var param = priority;
        if (SchedSetScheduler(0, SchedFifo, ref param) == 0)
        {
            return null;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            1 => "EPERM: RLIMIT_RTPRIO is below it and no CAP_SYS_NICE, or the cgroup has no real-time budget",
            22 => "EINVAL: not a valid SCHED_FIFO priority",
            _ => $"errno {errno}",
        };
    }

    /// <summary>struct sched_param holds one int, sched_priority.</summary>
    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SchedSetScheduler(int pid, int policy, ref int param);
}
