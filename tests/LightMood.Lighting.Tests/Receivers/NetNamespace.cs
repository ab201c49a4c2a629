using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LightMood.Lighting.Tests.Receivers;

/// <summary>
/// A network namespace of the test's own (root only): a holder process (<c>unshare -n</c>, then <c>sleep</c>) keeps
/// it alive with loopback up and a veth pair (v0 192.0.2.10/24, for OLA's E1.31 plugin, which needs an interface
/// that is not loopback). Sockets made by <see cref="Run{T}"/> live in it (setns on a thread of its own); programs
/// start in it through <c>nsenter</c>. Nothing sent there reaches the host's interfaces or another test run.
/// </summary>
public sealed partial class NetNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly Process _holder;

    private NetNamespace(Process holder) => _holder = holder;

    /// <summary>The holder's pid (<c>nsenter -t PID -n</c>).</summary>
    public int Pid => _holder.Id;

    /// <summary>Creates one, or returns null with the reason (not root, no unshare/ip, not allowed in this container).</summary>
    public static NetNamespace? TryCreate(out string? whyNot)
    {
        whyNot = null;
        if (Environment.UserName != "root" || Which("unshare") is null || Which("ip") is null || Which("nsenter") is null)
        {
            whyNot = "a network namespace needs root, unshare, nsenter and ip";
            return null;
        }

        var setup = "ip link set lo up && ip link add v0 type veth peer name v1 && ip addr add 192.0.2.10/24 dev v0 && ip link set v0 up && ip link set v1 up";
        var psi = new ProcessStartInfo(Which("unshare")!, ["-n", "--", "sh", "-c", $"{setup} && echo ready && exec sleep 100000"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var holder = Process.Start(psi)!;
        var ready = holder.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(10)) || ready.Result != "ready")
        {
            whyNot = "unshare -n failed: " + holder.StandardError.ReadToEnd();
            try
            {
                holder.Kill();
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            holder.Dispose();
            return null;
        }

        return new NetNamespace(holder);
    }

    /// <summary>Runs <paramref name="create"/> on a thread inside the namespace (sockets made there live there).</summary>
    public T Run<T>(Func<T> create) => RunIn($"/proc/{_holder.Id}/ns/net", "the test's network namespace", create);

    /// <summary>
    /// Runs <paramref name="create"/> on a thread of its own that has entered the network namespace at
    /// <paramref name="namespaceFile"/> (<c>/proc/PID/ns/net</c>, <c>/run/netns/NAME</c>): sockets made there live there.
    /// A failure is rethrown naming <paramref name="where"/>.
    /// </summary>
    public static T RunIn<T>(string namespaceFile, string where, Func<T> create)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle(namespaceFile);
                if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns {namespaceFile}: errno {Marshal.GetLastPInvokeError()}");
                }

                result = create();
            }
#pragma warning disable CA1031 // handed to the caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return error is null ? result! : throw new InvalidOperationException($"in {where}: {error.Message}", error);
    }

    /// <summary>The start info for <paramref name="file"/> run inside the namespace.</summary>
    public ProcessStartInfo StartInfo(string file, IEnumerable<string> args) =>
        new(Which("nsenter")!, ["-t", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-n", "--", Which(file) ?? file, .. args]);

    public void Dispose()
    {
        try
        {
            if (!_holder.HasExited)
            {
                _holder.Kill();
                _holder.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _holder.Dispose();
    }

    private static string? Which(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
