using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using LightMood.Hosting;

namespace LightMood.Cli;

/// <summary>
/// The command line (System.CommandLine): <c>lightmood [run]</c> starts the daemon; the other verbs are tools. Every
/// verb answers <c>--help</c> (usage, exit 0) and <c>lightmood --version</c> / <c>run --version</c> print the version;
/// neither starts anything. An unknown verb, option or a missing argument is one line on stderr naming it and the
/// verb's usage, exit code 2. The daemon also takes configuration overrides, <c>--Section:Key=value</c>.
/// </summary>
internal static partial class LightmoodCommandLine
{
    /// <summary>Usage errors (and a bad argument a verb finds itself).</summary>
    public const int UsageExitCode = 2;

    private static readonly Option<bool> Stdin = new("--stdin")
    {
        Description = "read raw PCM from standard input (Audio:Source=stdin; format from Audio:StdinFormat, SampleRate, Channels)",
    };

    public static RootCommand Create()
    {
        var root = new RootCommand("LightMood: music-driven stage lighting. With no verb, runs the daemon (as 'run').")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Options.Add(Stdin);
        root.SetAction(RunDaemon);

        var run = new Command("run", "run the daemon: audio -> mood -> lights, the operator page (stops on SIGTERM or Ctrl-C)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        run.Options.Add(Stdin);
        run.Options.Add(new VersionOption());
        run.SetAction(RunDaemon);

        root.Subcommands.Add(run);
        root.Subcommands.Add(AnalyzeCommand.Create());
        root.Subcommands.Add(EvaluateSegmentsCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportFeaturesCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(FixturesCommand.Create());
        root.Subcommands.Add(WorkspaceCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        AddSettingsHelp(root);
        return root;
    }

    /// <summary>Parses and runs; usage errors are reported here (one line, exit 2), help and version exit 0.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Create();
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var command = parse.CommandResult.Command;
        var errors = parse.Action is ParseErrorAction ? parse.Errors.Select(e => e.Message.TrimEnd('.')).ToList() : [];
        if (errors.Count == 0 && !IsDaemon(command) && parse.Action is not (HelpAction or DaemonHelpAction))
        {
            // an unknown option would otherwise be taken as a file name (or left over): name it instead
            errors.AddRange(parse.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash)
                .Where(t => t.Type == TokenType.Argument && t.Value.Length > 1 && t.Value[0] == '-')
                .Select(t => $"unknown option '{t.Value}'"));
            errors.AddRange(parse.UnmatchedTokens.Select(t => $"unexpected argument '{t}'"));
        }

        if (errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"{Name(command)}: {string.Join("; ", errors.Distinct())} (usage: {Usage(command)}; more: {Name(command)} --help)").ConfigureAwait(false);
            return UsageExitCode;
        }

        // SIGTERM/Ctrl-C belong to the daemon's host (it stops the stages, sends the safe look, exits 0); System.CommandLine's
        // own handling would end the process with 143 when a stop takes longer than its 2 s
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    /// <summary>A one-line usage: the verb, its arguments and options (<c>lightmood analyze FILE [--json]</c>).</summary>
    public static string Usage(Command command)
    {
        if (command is not RootCommand && command.Subcommands.Count > 0)
        {
            return string.Join(" | ", command.Subcommands.Select(Usage));
        }

        var parts = new List<string> { Name(command) };
        if (command.Subcommands.Count > 0)
        {
            parts.Add("[" + string.Join("|", command.Subcommands.Select(c => c.Name)) + "]");
        }

        foreach (var argument in command.Arguments)
        {
            var name = argument.HelpName ?? argument.Name.ToUpperInvariant();
            parts.Add(argument.Arity.MinimumNumberOfValues == 0 ? $"[{name}]" : name);
        }

        foreach (var option in command.Options.Where(o => o is not (HelpOption or VersionOption)))
        {
            parts.Add(option.ValueType == typeof(bool) ? $"[{option.Name}]" : $"[{option.Name} {option.HelpName ?? "VALUE"}]");
        }

        return string.Join(' ', parts);
    }

    private static bool IsDaemon(Command command) => command is RootCommand || command.Name == "run";

    private static string Name(Command command) =>
        command is RootCommand ? "lightmood" : Name(command.Parents.OfType<Command>().First()) + " " + command.Name;

    private static async Task<int> RunDaemon(ParseResult parse, CancellationToken cancellationToken)
    {
        // settings as --Section:Key=value, read by the daemon's configuration; anything else is a mistake
        var overrides = parse.UnmatchedTokens.ToList();
        if (overrides.FirstOrDefault(t => !SettingOverride().IsMatch(t)) is { } bad)
        {
            var command = parse.CommandResult.Command;
            await Console.Error.WriteLineAsync(Journal.ErrorLine(
                $"{Name(command)}: unknown verb or option '{bad}' (settings are given as --Section:Key=value; usage: {Usage(command)}; more: {Name(command)} --help)")).ConfigureAwait(false);
            return UsageExitCode;
        }

        if (parse.GetValue(Stdin))
        {
            overrides.Add("--stdin");
        }

        return await DaemonHost.RunAsync([.. overrides]).ConfigureAwait(false);
    }

    /// <summary>The daemon's help (<c>lightmood --help</c>, <c>run --help</c>) ends with how settings are overridden.</summary>
    private static void AddSettingsHelp(RootCommand root)
    {
        if (root.Options.OfType<HelpOption>().FirstOrDefault() is { Action: HelpAction standard } help)
        {
            help.Action = new DaemonHelpAction(standard);
        }
    }

    private sealed class DaemonHelpAction(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = standard.Invoke(parseResult);
            if (parseResult.CommandResult.Command is RootCommand or { Name: "run" })
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Settings:");
                output.WriteLine("  --Section:Key=value  any appsettings.json key, e.g. --Web:Urls=http://127.0.0.1:8081");
                output.WriteLine("                       (or Section__Key=value in the environment; docs/daemon.md)");
                output.WriteLine();
            }

            return code;
        }
    }

    [GeneratedRegex(@"^--[A-Za-z][A-Za-z0-9_.-]*(:[A-Za-z0-9_.-]+)*=", RegexOptions.CultureInvariant)]
    private static partial Regex SettingOverride();
}
