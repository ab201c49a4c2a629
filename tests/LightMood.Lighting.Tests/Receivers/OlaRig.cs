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
/// As root it runs in a network namespace of its own (<see cref="NetNamespace"/>: loopback + a veth pair for the
/// E1.31 plugin), so nothing reaches the host's interfaces and no other olad on the machine interferes; sockets the
/// test needs there are created by <see cref="InNamespace{T}"/>. Otherwise it runs on the host's loopback.
/// </summary>
public sealed partial class OlaRig : IDisposable
{
    private readonly StringBuilder _log = new();
    private readonly string _dir;
    private readonly HttpClient _http;
    private readonly string? _oladPath;
    private NetNamespace? _ns;
    private Process _olad = new();

    public OlaRig()
        : this(start: true)
    {
    }

    private OlaRig(bool start)
    {
        _oladPath = Which("olad");
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
        if (_oladPath is null)
        {
            Unavailable = "olad is not installed (apt-get install ola)";
            _dir = "";
            return;
        }

        _dir = Directory.CreateTempSubdirectory("lightmood-ola-").FullName;
        // first choice: a namespace of its own; where that is not allowed (an unprivileged container), the host loopback
        if (Environment.GetEnvironmentVariable("LIGHTMOOD_OLA_NO_NETNS") != "1")
        {
            _ns = NetNamespace.TryCreate(out _);
        }

        Isolated = _ns is not null;
        HttpPort = Isolated ? 9090 : FreeTcpPort();
        if (start)
        {
            StartOlad();
        }
        else
        {
            Unavailable = "olad is not started yet";
        }
    }

    /// <summary>A rig whose namespace exists but whose olad has not started (for tests where LightMood starts first).</summary>
    public static OlaRig CreateStopped() => new(start: false);

    /// <summary>Starts olad with a fresh config; <see cref="Unavailable"/> says why when it did not start.</summary>
    public void StartOlad()
    {
        if (_oladPath is null)
        {
            return;
        }

        Run("bash", $"{Path.Combine(AppContext.BaseDirectory, "rigs", "make-ola-config.sh")} {_dir}");
        _olad.Dispose();
        _olad = StartOladProcess(_oladPath);
        Unavailable = WaitForStart();
        if (Unavailable is not null && Isolated)
        {
            // the namespace did not work out here: the host loopback instead
            StopOlad();
            _ns!.Dispose();
            _ns = null;
            Isolated = false;
            HttpPort = FreeTcpPort();
            Run("bash", $"{Path.Combine(AppContext.BaseDirectory, "rigs", "make-ola-config.sh")} {_dir}");
            _olad.Dispose();
            _olad = StartOladProcess(_oladPath);
            Unavailable = WaitForStart();
        }

        if (Unavailable is not null)
        {
            StopOlad();
        }
    }

    /// <summary>Stops olad (SIGTERM); the namespace stays.</summary>
    public void StopOlad() => Kill();

    private Process StartOladProcess(string olad)
    {
        lock (_log)
        {
            _log.Clear();
        }

        string[] oladArgs = ["-c", _dir, "-i", "127.0.0.1", "-p", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-register-with-dns-sd", "-l", "3"];
        var root = Environment.UserName == "root";
        ProcessStartInfo psi = Isolated
            ? _ns!.StartInfo("runuser", ["-u", "olad", "--", olad, .. oladArgs])
            : root ? new ProcessStartInfo("runuser", ["-u", "olad", "--", olad, .. oladArgs]) : new ProcessStartInfo(olad, oladArgs);
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
    public T InNamespace<T>(Func<T> create) => _ns is null ? create() : _ns.Run(create);

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

    /// <summary>How to start <paramref name="file"/> beside olad: inside its namespace when it has one.</summary>
    public ProcessStartInfo StartInfo(string file, params string[] args) =>
        _ns is null ? new ProcessStartInfo(Which(file) ?? file, args) : _ns.StartInfo(file, args);

    /// <summary>Runs a command inside olad's network namespace (e.g. <c>ip link set v0 down</c>).</summary>
    public void RunInNamespace(string command, string args)
    {
        if (!Isolated)
        {
            throw new InvalidOperationException("olad is not in a namespace of its own");
        }

        Run(Which("nsenter")!, $"-t {_ns!.Pid} -n {Which(command) ?? command} {args}");
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
            ? new ProcessStartInfo(Which("nsenter")!, $"-t {_ns!.Pid} -n {tshark} {args}")
            : new ProcessStartInfo(tshark, args);
        return StartCapturing(psi);
    }

    /// <summary>Starts a tshark capture and returns once it says "Capturing on" (at most 10 s).</summary>
    internal static Process StartCapturing(ProcessStartInfo tshark)
    {
        tshark.RedirectStandardError = tshark.RedirectStandardOutput = true;
        var p = Process.Start(tshark)!;
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

    /// <summary>
    /// Starts <c>ola_recorder</c> on <paramref name="universe"/>: every DMX update olad makes to the universe, in
    /// order, with the milliseconds between them; <see cref="StopRecorder"/> ends it and writes the file (its
    /// <c>--duration</c> does not end it). Returns null when ola_recorder is not installed.
    /// </summary>
    public Process? StartRecorder(int universe, string file)
    {
        if (Which("ola_recorder") is null)
        {
            return null;
        }

        string[] args = ["--record", file, "--universes", universe.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var psi = _ns is null ? new ProcessStartInfo(Which("ola_recorder")!, args) : _ns.StartInfo("ola_recorder", args);
        psi.RedirectStandardOutput = psi.RedirectStandardError = psi.RedirectStandardInput = true;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Thread.Sleep(300);   // connected to olad's RPC port
        return p;
    }

    /// <summary>Ends a recorder (SIGINT, as Control-C); it writes its show file and exits.</summary>
    public static void StopRecorder(Process recorder)
    {
        _ = SendSignal(recorder.Id, 2);
        if (!recorder.WaitForExit(10000))
        {
            recorder.Kill();
            throw new InvalidOperationException("ola_recorder did not stop on SIGINT");
        }
    }

    /// <summary>An ola_recorder show file: each frame with its time (ms since the first).</summary>
    public static IReadOnlyList<(double AtMs, byte[] Frame)> ReadShow(string file)
    {
        var frames = new List<(double, byte[])>();
        var at = 0.0;
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                at += double.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }

            var values = line[(space + 1)..].Split(',').Select(v => byte.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var frame = new byte[512];
            values.AsSpan(0, Math.Min(512, values.Length)).CopyTo(frame);
            frames.Add((at, frame));
        }

        return frames;
    }

    /// <summary>
    /// Milliseconds from the primary's last update at olad to the backup's first one after it. olad updates a
    /// universe on every packet of the source it follows, and ignores a lower-priority source until the one it
    /// follows times out, so these are the primary's last packet and the switch, on olad's own timeline.
    /// </summary>
    public static double FailoverAtReceiver(IReadOnlyList<(double AtMs, byte[] Frame)> frames, Func<byte[], bool> primary, Func<byte[], bool> backup)
    {
        var lastPrimary = frames.Select((f, i) => (f, i)).Last(x => primary(x.f.Frame));
        var firstBackup = frames.Skip(lastPrimary.i + 1).First(f => backup(f.Frame));
        Assert.DoesNotContain(frames.Skip(lastPrimary.i + 1), f => !backup(f.Frame));
        return firstBackup.AtMs - lastPrimary.f.AtMs;
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
        _ns?.Dispose();
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
