using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LightMood.Tests.Cli;

/// <summary>The command line as a user meets it: help and version start nothing, mistakes are one line and exit code 2.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string[], string> Verbs => new()
    {
        { ["--help"], "lightmood [command] [options]" },
        { ["run", "--help"], "lightmood run [options]" },
        { ["analyze", "--help"], "lightmood analyze <FILE> [options]" },
        { ["evaluate", "--help"], "lightmood evaluate [<PATH>] [options]" },
        { ["evaluate-segments", "--help"], "lightmood evaluate-segments <PATHS>... [options]" },
        { ["export-features", "--help"], "lightmood export-features <ROOT> <OUT> [options]" },
        { ["devices", "--help"], "lightmood devices [options]" },
        { ["bench", "--help"], "lightmood bench [options]" },
        { ["fixtures", "--help"], "lightmood fixtures [command] [options]" },
        { ["fixtures", "import", "--help"], "lightmood fixtures import <FILE> [options]" },
        { ["fixtures", "import", "-h"], "lightmood fixtures import <FILE> [options]" },
        { ["fixtures", "check", "--help"], "lightmood fixtures check [<DIR>] [options]" },
        { ["workspace", "--help"], "lightmood workspace [command] [options]" },
        { ["workspace", "import", "--help"], "lightmood workspace import <FILE> [options]" },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Every_verb_answers_help_with_its_usage_and_exit_0(string[] args, string usage)
    {
        var (code, stdout, stderr) = LightmoodProcess.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.Contains(usage, stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("run", "--version")]
    public void Version_prints_the_version_and_starts_nothing(params string[] args)
    {
        var (code, stdout, stderr) = LightmoodProcess.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"^\d+\.\d+\.\d+(\+[0-9a-f]+)?\s*$", stdout);
    }

    /// <summary>Help and version for the daemon never bind its port or send DMX: the port stays free and no packet arrives.</summary>
    [Theory]
    [InlineData("run", "--help")]
    [InlineData("run", "--version")]
    [InlineData("--help")]
    public async Task Help_and_version_of_the_daemon_start_no_daemon(params string[] args)
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var webPort = FreePort();
        var (code, stdout, _) = LightmoodProcess.Run([.. args, $"--Web:Urls=http://127.0.0.1:{webPort}", $"--Lighting:ArtNet:Nodes:0=127.0.0.1:{((IPEndPoint)receiver.Client.LocalEndPoint!).Port}"]);
        Assert.Equal(0, code);
        Assert.DoesNotContain("Stage", stdout, StringComparison.Ordinal);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await receiver.ReceiveAsync(wait.Token));
        using var listener = new TcpListener(IPAddress.Loopback, webPort);
        listener.Start();   // free: nothing bound it
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run", "--frobnicate")]
    [InlineData("--Web:Urls")]
    [InlineData("analyze", "--frobnicate", "song.wav")]
    [InlineData("analyze", "--window-hop", "0", "song.wav")]
    [InlineData("bench", "--runs", "0")]
    [InlineData("bench", "--hops", "22,x")]
    [InlineData("export-features", "in", "out", "--threads", "0")]
    [InlineData("fixtures", "import", "a.qxf", "--outdir", "x")]
    [InlineData("workspace", "import", "a.qxw", "--outdir", "x")]
    [InlineData("evaluate-segments", "--tolerance", "-1", "a.wav", "a.regions.json")]
    public void An_unknown_verb_or_option_is_one_line_and_exit_2(params string[] args)
    {
        var (code, stdout, stderr) = LightmoodProcess.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lightmood", line, StringComparison.Ordinal);
        Assert.Contains("usage: lightmood", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    /// <summary>The README's command table gives each verb's syntax as its --help does (arguments and options).</summary>
    [Fact]
    public void The_README_command_table_matches_the_verbs()
    {
        var readme = File.ReadAllText(Path.Combine(LightMood.Tests.Service.SystemdUnit.RepoRoot, "README.md"));
        string[][] verbs =
        [
            ["analyze", "FILE", "--json", "--window-hop"],
            ["evaluate-segments", "AUDIO", "TRUTH.json", "DIR"],
            ["evaluate", "PATH", "--split", "--set", "--root"],
            ["export-features", "ROOT", "OUT", "--threads"],
            ["fixtures import", "FILE.qxf", "--print", "--out", "--force"],
            ["fixtures check", "DIR", "--scenes", "--patch", "--all"],
            ["workspace import", "FILE.qxw", "--out", "--json", "--force", "--qlc-fixtures"],
            ["bench", "--file", "--runs", "--hops", "--all-cores"],
            ["devices"],
        ];
        foreach (var verb in verbs)
        {
            var row = readme.Split('\n').FirstOrDefault(l => l.StartsWith($"| `lightmood {verb[0]} ", StringComparison.Ordinal) || l.StartsWith($"| `lightmood {verb[0]}`", StringComparison.Ordinal));
            Assert.True(row is not null, $"README.md has no row for {verb[0]}");
            var syntax = row.Split('`')[1];
            foreach (var word in verb.Skip(1))
            {
                Assert.Contains(word, syntax, StringComparison.Ordinal);
            }

            var (code, help, _) = LightmoodProcess.Run([.. verb[0].Split(' '), "--help"]);
            Assert.Equal(0, code);
            foreach (var option in syntax.Split(' ', '[', ']', '|').Where(w => w.StartsWith("--", StringComparison.Ordinal)))
            {
                Assert.Contains(option, help, StringComparison.Ordinal);
            }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
