using System.Diagnostics;

namespace LightMood.Tests.Service;

/// <summary>
/// Nothing phones home: the default run (no arguments: the demo, the CRNN through ONNX Runtime, Art-Net to
/// 127.0.0.1, the page on 127.0.0.1:8080) inside a network namespace whose only name server is
/// <see cref="FakeDnsServer"/> makes no DNS lookup in 30 s. Before the fix, libonnxruntime resolved
/// mobile.events.data.microsoft.com 12 times in 30 s here.
/// </summary>
public sealed class NoPhoneHomeTests
{
    [SkippableFact]
    public async Task The_default_run_makes_no_DNS_lookup_in_30_seconds()
    {
        using var ns = NetworkNamespace.TryCreate(out var unavailable);
        Skip.If(ns is null, unavailable);
        using var dns = new FakeDnsServer(ns);

        // the watcher sees a lookup made in the namespace (else zero would prove nothing)
        var probe = $"probe-{Guid.NewGuid():N}.lightmood.test";
        using (var getent = Process.Start(ns.Exec("getent", "hosts", probe))!)
        {
            await getent.WaitForExitAsync();
        }

        Assert.Contains(probe, dns.Queries);
        var before = dns.Queries.Count;

        var state = Directory.CreateTempSubdirectory("lightmood-dns-state-");
        var start = ns.Exec("dotnet", Path.Combine(AppContext.BaseDirectory, "lightmood.dll"));
        start.Environment["Paths__StateDirectory"] = state.FullName;   // the run's own state, not the build output's
        using var daemon = Process.Start(start)!;
        var log = new DaemonLog(daemon);
        try
        {
            // it runs: the page answers inside the namespace, and the CRNN has heard the demo (ONNX Runtime is up)
            Assert.True(await log.WaitForAsync("Mood calm", TimeSpan.FromSeconds(30)), "no mood within 30 s:\n" + log);
            Assert.True((await ns.Http.GetAsync("http://127.0.0.1:8080/api/state")).IsSuccessStatusCode);
            await Task.Delay(TimeSpan.FromSeconds(30));
            Assert.False(daemon.HasExited, "the daemon stopped:\n" + log);
            var lookups = dns.Queries.Skip(before).ToList();
            Assert.True(lookups.Count == 0, $"{lookups.Count} DNS lookups: {string.Join(", ", lookups.Distinct())}");
        }
        finally
        {
            log.Stop();
            state.Delete(recursive: true);
        }
    }
}
