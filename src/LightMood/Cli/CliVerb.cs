namespace LightMood.Cli;

/// <summary>A command-line verb: its name, usage line, summary and entry point (returns the exit code).</summary>
internal sealed record CliVerb(string Name, string Usage, string Summary, Func<string[], Task<int>> Run);
