using LightMood.Cli;
using LightMood.Hosting;

namespace LightMood;

internal static class Program
{
    /// <summary>The command-line verbs; with no verb (or <c>run</c>) the daemon starts.</summary>
    private static readonly IReadOnlyList<CliVerb> Verbs =
    [
        // one line per verb, each implemented in Cli/<Verb>Command.cs
        new("fixtures", FixturesCommand.Usage, "convert a QLC+ .qxf fixture definition to a LightMood profile", FixturesCommand.Run),
        AnalyzeCommand.Verb,
        EvaluateSegmentsCommand.Verb,
        ExportFeaturesCommand.Verb,
        EvaluateCommand.Verb,
        DevicesCommand.Verb,
    ];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return 0;
        }

        var verb = args.Length == 0 ? null : Verbs.FirstOrDefault(v => v.Name == args[0]);
        if (verb is null)
        {
            if (args.Length == 0 || args[0] == "run" || args[0].StartsWith('-'))
            {
                return await DaemonHost.RunAsync(args.Length > 0 && args[0] == "run" ? args[1..] : args).ConfigureAwait(false);
            }

            Console.Error.WriteLine($"lightmood: unknown verb '{args[0]}'");
            PrintUsage(Console.Error);
            return 2;
        }

        return await verb.Run(args[1..]).ConfigureAwait(false);
    }

    private static void PrintUsage(TextWriter w)
    {
        w.WriteLine("usage: lightmood [run] [options]      run the daemon");
        foreach (var v in Verbs)
        {
            w.WriteLine($"       lightmood {v.Usage,-28} {v.Summary}");
        }
    }
}
