using System.Diagnostics;
using LightMood.Hosting;
using LightMood.Lighting.Engine;
using LightMood.Tests.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LightMood.Tests.Daemon;

/// <summary>
/// One rule for files (<see cref="DaemonPaths"/>): the program is only read; scene edits, feedback, the CID and imported
/// fixtures live in the state directory, which the first start seeds and no start overwrites.
/// </summary>
public sealed class StateDirectoryTests : IDisposable
{
    private const string Qxf = "/usr/share/qlcplus/fixtures/Generic/Generic-Generic-RGBW.qxf";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lightmood-state-");

    private string State => Path.Combine(_dir.FullName, "state");

    public void Dispose() => _dir.Delete(recursive: true);

    private Microsoft.AspNetCore.Builder.WebApplication Build(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Paths:StateDirectory"] = State,
            ["Web:Urls"] = "http://127.0.0.1:0",
            ["Lighting:ArtNet:ListenPort"] = "0",
            ["Serilog:WriteTo:1:Name"] = "Console",
        };
        foreach (var (k, v) in more ?? [])
        {
            settings[k] = v;
        }

        return DaemonHost.Build([], c => c.AddInMemoryCollection(settings));
    }

    [Fact]
    public async Task The_first_start_seeds_the_state_from_the_shipped_config_and_later_starts_keep_the_edits()
    {
        await using (var first = Build())
        {
            var scenes = Path.Combine(State, "scenes.json");
            Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "config", "scenes.json")), File.ReadAllText(scenes));
            Assert.Equal(scenes, first.Services.GetRequiredService<LightMood.Web.OperatorConsole>().ScenesPath);
            Assert.Equal(Path.Combine(State, "feedback.jsonl"), first.Services.GetRequiredService<MoodEstimatorFactory>().FeedbackPath);
            Assert.True(Directory.Exists(Path.Combine(State, "fixtures")));
            Assert.True(Directory.Exists(Path.Combine(State, "logs")));
        }

        // an operator's edit (here by hand) survives the next start
        var edited = File.ReadAllText(Path.Combine(State, "scenes.json")).Replace("\"intensity\": 0.", "\"intensity\": 0.1", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(State, "scenes.json"), edited);
        await using (var second = Build())
        {
            Assert.Equal(edited, File.ReadAllText(Path.Combine(State, "scenes.json")));
        }
    }

    [Fact]
    public async Task Two_daemons_from_one_install_with_their_own_state_send_different_sACN_CIDs()
    {
        using var receiver = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        var instances = new List<Microsoft.AspNetCore.Builder.WebApplication>();
        try
        {
            foreach (var name in new[] { "a", "b" })
            {
                var app = DaemonHost.Build([], c => c.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Paths:StateDirectory"] = Path.Combine(_dir.FullName, name),
                    ["Web:Urls"] = "http://127.0.0.1:0",
                    ["Lighting:ArtNet:Enabled"] = "false",
                    ["Lighting:Sacn:Enabled"] = "true",
                    ["Lighting:Sacn:Destinations:0"] = $"127.0.0.1:{port}",
                    ["Serilog:WriteTo:1:Name"] = "Console",
                }));
                instances.Add(app);
                await app.StartAsync();
            }

            var cids = new HashSet<Guid>();
            using var within = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (cids.Count < 2)
            {
                cids.Add(CidOf((await receiver.ReceiveAsync(within.Token)).Buffer));
            }

            var files = new[] { "a", "b" }.Select(n => Guid.Parse(File.ReadAllText(Path.Combine(_dir.FullName, n, "sacn-cid.txt")).Trim())).ToHashSet();
            Assert.Equal(2, files.Count);
            Assert.Equal(files, cids);
        }
        finally
        {
            foreach (var app in instances)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>The CID of an E1.31 packet (data or universe discovery): the root layer's bytes 22..37, big-endian.</summary>
    private static Guid CidOf(byte[] packet)
    {
        Assert.True(packet.Length >= 38 && packet.AsSpan(4, 12).SequenceEqual(LightMood.Lighting.Output.Sacn.E131DataPacket.AcnPacketIdentifier), "not an E1.31 packet");
        return new Guid(packet.AsSpan(22, 16), bigEndian: true);
    }

    [Fact]
    public void A_state_directory_that_cannot_be_made_is_one_line_naming_the_setting_and_exit_2()
    {
        var (code, stdout, stderr) = LightmoodProcess.Run("run", "--Paths:StateDirectory=/proc/version/state", "--Web:Urls=http://127.0.0.1:0", "--Serilog:WriteTo:1:Name=Console");
        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lightmood: Paths:StateDirectory /proc/version/state is not a writable directory", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Stage", stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Fixtures_import_writes_the_state_that_the_daemon_reads_and_never_replaces_without_force()
    {
        Skip.IfNot(File.Exists(Qxf), $"{Qxf} is absent: install Debian's qlcplus package (CI does)");
        var (code, stdout, stderr) = Import(Qxf);
        Assert.True(code == 0, stderr);
        var profile = Path.Combine(State, "fixtures", "generic-generic-rgbw.json");
        Assert.StartsWith(profile + ":", stdout, StringComparison.Ordinal);

        // a patch naming the imported profile loads in the daemon (the import went where the daemon reads)
        var patch = Path.Combine(_dir.FullName, "patch.json");
        var shipped = Path.Combine(AppContext.BaseDirectory, "config", "fixtures");
        File.WriteAllText(patch, $$"""
            { "profileFolders": ["{{shipped}}"], "fixtures": [
              { "name": "rgbw-1", "profile": "Generic/Generic RGBW", "mode": "RGBW Dimmer", "universe": 0, "address": 1, "group": "pars" },
              { "name": "mover-1", "profile": "LightMood/Wash Mover", "mode": "13ch", "universe": 0, "address": 101, "group": "movers" } ] }
            """);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "scenes.json"), Path.Combine(_dir.FullName, "scenes.json"));
        var withPatch = new Dictionary<string, string?> { ["Lighting:PatchFile"] = patch, ["Lighting:ScenesFile"] = Path.Combine(_dir.FullName, "scenes.json") };
        await using (var app = Build(withPatch))
        {
            Assert.Equal("Generic/Generic RGBW", app.Services.GetRequiredService<LightingEngine>().Patch.Fixtures[0].Profile.Key);
        }

        // an edited import is never replaced silently
        File.AppendAllText(profile, "\n");
        var edited = File.ReadAllText(profile);
        (code, stdout, stderr) = Import(Qxf);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--force", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(edited, File.ReadAllText(profile));
        (code, _, stderr) = Import(Qxf, "--force");
        Assert.True(code == 0, stderr);
        Assert.NotEqual(edited, File.ReadAllText(profile));
    }

    /// <summary><c>fixtures import</c> as a user runs it: the state directory from the environment (as systemd gives it).</summary>
    private (int Code, string Stdout, string Stderr) Import(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.FullName };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "lightmood.dll"), "fixtures", "import", .. args])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["STATE_DIRECTORY"] = State;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
