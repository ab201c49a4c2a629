using BenchmarkDotNet.Running;

namespace LightMood.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project tests/LightMood.Benchmarks -- --filter '*'</c>.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "lighting-loop")
        {
            return LightingLoopBench.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "crnn-batch")
        {
            return CrnnBatchBench.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "analyze-phases")
        {
            return AnalyzePhasesBench.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "window-hop")
        {
            return WindowHopBench.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "live-latency")
        {
            return LiveLatencyBench.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
