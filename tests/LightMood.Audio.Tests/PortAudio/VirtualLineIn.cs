using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LightMood.Audio.Tests.PortAudio;

/// <summary>
/// A PulseAudio server with a null sink "linein" whose monitor is the default source (rigs/start-virtual-linein.sh,
/// from the shared rig recipes), in a runtime directory of its own; PortAudio reaches it through ALSA's pulse plugin.
/// The native environment (not only .NET's copy) gets PULSE_SERVER so that libasound's plugin finds this server.
/// </summary>
public sealed partial class VirtualLineIn : IDisposable
{
    /// <summary>Tests that start or kill the sound server run one at a time (the server and PULSE_SERVER are process-wide).</summary>
    public const string Collection = "virtual line-in";

    public VirtualLineIn()
    {
        if (Which("pulseaudio") is null || Which("paplay") is null || !File.Exists("/usr/lib/x86_64-linux-gnu/libportaudio.so.2"))
        {
            Unavailable = "pulseaudio, paplay or libportaudio2 is not installed";
            return;
        }

        RuntimeDir = Path.Combine(Path.GetTempPath(), $"lm-pulse-{Environment.ProcessId}");
        Start();
    }

    public string? Unavailable { get; private set; }

    public string RuntimeDir { get; } = "";

    public void Start()
    {
        var (code, output) = Run("bash", Path.Combine(AppContext.BaseDirectory, "rigs", "start-virtual-linein.sh"));
        if (code != 0)
        {
            Unavailable = "the virtual line-in did not start: " + output;
            return;
        }

        SetNative("XDG_RUNTIME_DIR", RuntimeDir);
        SetNative("PULSE_SERVER", $"unix:{RuntimeDir}/pulse/native");
    }

    /// <summary>The sound server goes away (as a USB interface unplugged would).</summary>
    public void Kill()
    {
        Run("pulseaudio", "--kill");
        if (File.Exists(Path.Combine(RuntimeDir, "keepalive.pid")) && int.TryParse(File.ReadAllText(Path.Combine(RuntimeDir, "keepalive.pid")).Trim(), out var pid))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
    }

    /// <summary>Plays a file into the sink; the returned process ends when the file has played.</summary>
    public Process Play(string wav)
    {
        var psi = new ProcessStartInfo("paplay", ["-d", "linein", wav]) { RedirectStandardError = true };
        psi.Environment["XDG_RUNTIME_DIR"] = RuntimeDir;
        return Process.Start(psi)!;
    }

    public void Dispose()
    {
        if (Unavailable is null)
        {
            Kill();
        }
    }

    private (int Code, string Output) Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["XDG_RUNTIME_DIR"] = RuntimeDir;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit(20000);
        return (p.ExitCode, output);
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static void SetNative(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        _ = setenv(name, value, 1);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
