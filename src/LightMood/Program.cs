using LightMood.Analysis.Emotion;
using LightMood.Cli;

namespace LightMood;

internal static class Program
{
    /// <summary>The verbs are in <see cref="LightmoodCommandLine"/>; with no verb (or <c>run</c>) the daemon starts.</summary>
    public static Task<int> Main(string[] args)
    {
        // before any other thread can read the environment, and before ONNX Runtime is loaded by any verb
        OnnxRuntimeTelemetry.SetSwitch();
        return LightmoodCommandLine.InvokeAsync(args);
    }
}
