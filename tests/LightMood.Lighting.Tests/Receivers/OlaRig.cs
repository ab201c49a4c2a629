using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace LightMood.Lighting.Tests.Receivers;

/// <summary>
/// A real OLA daemon (olad) as the Art-Net and sACN receiver, configured by rigs/make-ola-config.sh (Art-Net input
/// port 0 → OLA universe 1, i.e. Art-Net Port-Address 0:0:1; E1.31 input port 0 → OLA universe 2, i.e. sACN universe 2).
/// As root it runs in a network namespace of its own (loopback + a veth pair for the E1.31 plugin), so nothing
/// reaches the host's interfaces and no other olad on the machine interferes; sockets the test needs there are
/// created by <see cref="InNamespace{T}"/> (setns on a thread of its own). Otherwise it runs on the host's loopback.
/// </summary>
public sealed partial class OlaRig : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private Process _olad;
    private readonly StringBuilder _log = new();
    private readonly string _dir;
    private readonly HttpClient _http;

    public OlaRig()
    {
        var olad = Which("olad");
        if (olad is null)
        {
            Unavailable = "olad is not installed (apt-get install ola)";
            _dir = "";
            _olad = new Process();
            _http = new HttpClient();
            return;
        }

        var root = Environment.UserName == "root";
        _dir = Directory.CreateTempSubdirectory("lightmood-ola-").FullName;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (ctx, ct) =>
            {
                var s = InNamespace(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, ctx.DnsEndPoint.Port), ct).ConfigureAwait(false);
                return new NetworkStream(s, ownsSocket: true);
            },
        })
        { Timeout = TimeSpan.FromSeconds(5) };

        // first choice: a namespace of its own; where that is not allowed (an unprivileged container), the host loopback
        _olad = new Process();
        var canIsolate = root && Which("unshare") is not null && Which("ip") is not null && Environment.GetEnvironmentVariable("LIGHTMOOD_OLA_NO_NETNS") != "1";
        foreach (var isolated in canIsolate ? new[] { true, false } : [false])
        {
            Isolated = isolated;
            HttpPort = isolated ? 9090 : FreeTcpPort();
            Run("bash", $"{Path.Combine(AppContext.BaseDirectory, "rigs", "make-ola-config.sh")} {_dir}");
            _olad.Dispose();
            _olad = StartOlad(olad, isolated, root);
            Unavailable = WaitForStart();
            if (Unavailable is null)
            {
                return;
            }

            Kill();
        }
    }

    private Process StartOlad(string olad, bool isolated, bool root)
    {
        lock (_log)
        {
            _log.Clear();
        }

        var oladArgs = $"-c {_dir} -i 127.0.0.1 -p {HttpPort} --no-register-with-dns-sd -l 3";
        ProcessStartInfo psi;
        if (isolated)
        {
            var setup = "ip link set lo up && ip link add v0 type veth peer name v1 && ip addr add 192.0.2.10/24 dev v0 && ip link set v0 up && ip link set v1 up";
            psi = new ProcessStartInfo(Which("unshare")!, ["-n", "--", "sh", "-c", $"{setup} && exec runuser -u olad -- {olad} {oladArgs}"]);
        }
        else if (root)
        {
            psi = new ProcessStartInfo("runuser", ["-u", "olad", "--", olad, .. oladArgs.Split(' ')]);
        }
        else
        {
            psi = new ProcessStartInfo(olad, oladArgs);
        }

        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private string? WaitForStart()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (Log.Contains("Started E1.31", StringComparison.Ordinal))
            {
                return null;
            }

            if (_olad.HasExited)
            {
                return $"olad ({(Isolated ? "in a network namespace" : "on the host loopback")}) exited with {_olad.ExitCode}:\n{Log}";
            }

            Thread.Sleep(100);
        }

        return "olad did not start its E1.31 plugin within 20 s:\n" + Log;
    }

    private void Kill()
    {
        try
        {
            if (!_olad.HasExited)
            {
                // SIGTERM to runuser: it stops olad and reaps it (killing the tree at once would orphan an unreaped olad)
                _ = SendSignal(_olad.Id, 15);
                if (!_olad.WaitForExit(5000))
                {
                    _olad.Kill(entireProcessTree: true);
                    _olad.WaitForExit(5000);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
    }

    /// <summary>Why the rig could not start (tests skip with this), or null.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>True when olad runs in a network namespace of its own.</summary>
    public bool Isolated { get; private set; }

    public int HttpPort { get; private set; }

    /// <summary>olad's network namespace (for <c>nsenter --net=…</c>), when <see cref="Isolated"/>.</summary>
    public string NetNamespacePath => $"/proc/{_olad.Id}/ns/net";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Runs <paramref name="create"/> on a thread inside olad's network namespace (sockets made there live there).</summary>
    public T InNamespace<T>(Func<T> create)
    {
        if (!Isolated)
        {
            return create();
        }

        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle($"/proc/{_olad.Id}/ns/net");
                if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
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
        return error is null ? result! : throw new InvalidOperationException("in olad's namespace: " + error.Message, error);
    }

    /// <summary>The 512 slots OLA holds for an OLA universe (zeros where it has received nothing).</summary>
    public byte[] GetDmx(int universe)
    {
        var json = _http.GetStringAsync(new Uri($"http://127.0.0.1:{HttpPort}/get_dmx?u={universe}")).GetAwaiter().GetResult();
        using var doc = JsonDocument.Parse(json);
        var values = doc.RootElement.GetProperty("dmx").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        var frame = new byte[512];
        values.AsSpan(0, Math.Min(512, values.Length)).CopyTo(frame);
        return frame;
    }

    /// <summary>Polls OLA until <paramref name="match"/> holds for the universe's frame; returns the time it took, or null.</summary>
    public TimeSpan? WaitFor(int universe, Func<byte[], bool> match, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (match(GetDmx(universe)))
            {
                return sw.Elapsed;
            }

            Thread.Sleep(20);
        }

        return null;
    }

    /// <summary>Runs a command inside olad's network namespace (e.g. <c>ip link set v0 down</c>).</summary>
    public void RunInNamespace(string command, string args)
    {
        if (!Isolated)
        {
            throw new InvalidOperationException("olad is not in a namespace of its own");
        }

        Run(Which("nsenter")!, $"-t {_olad.Id} -n {Which(command) ?? command} {args}");
    }

    /// <summary>Starts tshark on olad's loopback for <paramref name="seconds"/>; returns the process (wait for it to exit).</summary>
    public Process? StartCapture(string file, int seconds)
    {
        var tshark = Which("tshark");
        if (tshark is null)
        {
            return null;
        }

        var args = $"-i lo -f \"udp port 6454 or udp port 5568\" -a duration:{seconds} -w {file}";
        var psi = Isolated
            ? new ProcessStartInfo(Which("nsenter")!, $"-t {_olad.Id} -n {tshark} {args}")
            : new ProcessStartInfo(tshark, args);
        psi.RedirectStandardError = psi.RedirectStandardOutput = true;
        var p = Process.Start(psi)!;
        var started = new ManualResetEventSlim();
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Capturing on", StringComparison.Ordinal) == true)
            {
                started.Set();
            }
        };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        started.Wait(TimeSpan.FromSeconds(10));
        return p;
    }

    public static (int ExitCode, string Output) Run(string file, string args, string? ignoreFailureOf = null)
    {
        var psi = new ProcessStartInfo(Which(file) ?? file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0 && (ignoreFailureOf is null || !stderr.Result.Contains(ignoreFailureOf, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"{file} {args} failed ({p.ExitCode}): {stdout.Result}{stderr.Result}");
        }

        // stdout only: tshark warns on stderr when run as root
        return (p.ExitCode, stdout.Result);
    }

    public static string? Which(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    public void Dispose()
    {
        Kill();
        _olad.Dispose();
        _http.Dispose();
        if (_dir.Length > 0 && Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private static int FreeTcpPort()
    {
        using var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)l.LocalEndPoint!).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
