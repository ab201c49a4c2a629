using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace LightMood.Analysis.Emotion;

/// <summary>
/// Keeps ONNX Runtime from phoning home. The Linux libonnxruntime of Microsoft.ML.OnnxRuntime 1.31 carries Microsoft's
/// 1DS telemetry client: once the ORT environment exists it resolves <c>mobile.events.data.microsoft.com</c> (8 DNS
/// queries in 18 s of a bare session, 12 in 30 s of the daemon, watched in an isolated network namespace). A
/// lighting controller on a show network must not. <see cref="OrtEnv.DisableTelemetryEvents"/> alone does not stop it
/// (the client starts with the environment, before that call can be made: still 8 queries); the library's switch
/// <c>ORT_DISABLE_TELEMETRY=1</c> in the process environment before the environment is created does (0 queries).
/// <see cref="TurnOff"/> sets both; it runs first thing in the daemon's <c>Main</c> (while no other thread reads the
/// environment: <c>setenv</c> is not thread-safe) and again, as a no-op, before every CRNN is built.
/// </summary>
public static partial class OnnxRuntimeTelemetry
{
    /// <summary>The environment variable libonnxruntime reads when its environment is created.</summary>
    public const string Variable = "ORT_DISABLE_TELEMETRY";

    private static readonly Lock Gate = new();
    private static bool _off;

    /// <summary>Sets <c>ORT_DISABLE_TELEMETRY=1</c> for the native library and disables telemetry events; idempotent.</summary>
    public static void TurnOff()
    {
        lock (Gate)
        {
            if (_off)
            {
                return;
            }

            SetSwitch();
            OrtEnv.Instance().DisableTelemetryEvents();
            _off = true;
        }
    }

    /// <summary>
    /// Only the environment switch (cheap: loads nothing). For a process's first lines, before other threads run;
    /// <see cref="TurnOff"/> calls it too.
    /// </summary>
    public static void SetSwitch()
    {
        lock (Gate)
        {
            if (Environment.GetEnvironmentVariable(Variable) == "1")
            {
                return;
            }

            // .NET keeps its own copy of the environment on Unix: the native library reads libc's, so set both
            Environment.SetEnvironmentVariable(Variable, "1");
            if (!OperatingSystem.IsWindows())
            {
                _ = SetEnv(Variable, "1", 1);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
