namespace LightMood.Analysis.Tests.Support;

/// <summary>Bytes a piece of work allocates on the test's thread, measured robustly.</summary>
internal static class Allocations
{
    /// <summary>
    /// The least of three runs of <paramref name="bytesOfOneRun"/> (each returns what its measured part allocated): once
    /// in four full-suite runs a run measured ~8 KB more than every other (cause not found: a collection during the run
    /// adds only ~224 bytes) and it never reproduced alone; a cost per frame or step shows in every run.
    /// </summary>
    public static long LeastOfThree(Func<long> bytesOfOneRun) =>
        Math.Min(Math.Min(bytesOfOneRun(), bytesOfOneRun()), bytesOfOneRun());
}
