using System.Diagnostics;
using System.Globalization;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Output.Sacn;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LightMood.Lighting.Tests.Receivers;

/// <summary>
/// A primary and a hot backup LightMood on one sACN universe, with olad as the receiver: on a clean stop the receiver
/// goes from primary to backup without a dark frame in between (ola_recorder records every update olad makes); when
/// the primary dies, it follows the backup within 2.6 s of the primary's last packet.
/// </summary>
[Collection(OlaCollection.Name)]
public sealed class SacnFailoverTests(OlaRig ola, ITestOutputHelper output)
{
    private const int OlaSacnUniverse = 2;                  // sACN universe 2 = patch universe 1 + offset 1
    private static readonly byte[] HappyPar = [255, 255, 128, 0, 0, 0];
    private static readonly byte[] SadPar = [102, 0, 0, 255, 0, 0];
    private static readonly byte[] CalmPar = [153, 0, 255, 0, 0, 0];

    private static MoodState State(Mood mood) => new(0, mood, 0.9, 0, 0, 0, 0.5, 120);

    private static bool ParIs(byte[] frame, byte[] par) => frame.AsSpan(0, 6).SequenceEqual(par) && frame.AsSpan(6, 6).SequenceEqual(par);

    private LightingEngine Source(int priority, bool backup, SafeLook safeLook, out SacnOutput sacn)
    {
        var patch = Rigs.Small(1);
        var options = new LightingOptions { SafeLook = safeLook };
        options.ArtNet.Enabled = false;
        options.Sacn.Enabled = true;
        options.Sacn.Destinations = ["127.0.0.1"];
        options.Sacn.Priority = priority;
        options.Sacn.Backup = backup;
        options.Sacn.SourceName = backup ? "LightMood backup" : "LightMood primary";
        var s = ola.InNamespace(() => new SacnOutput(options.Sacn, patch.Universes, Guid.NewGuid(), TimeProvider.System, NullLogger.Instance));
        sacn = s;
        return new LightingEngine(patch, Rigs.Plain(crossfade: 0.5), options, [s]);
    }

    [SkippableFact]
    public void A_primary_stopped_cleanly_hands_over_to_the_backup_without_a_dark_frame()
    {
        Skip.If(ola.Unavailable is not null, ola.Unavailable);
        // the worst case: a primary whose safe look is a blackout (the default, Hold, would not darken anything either)
        using var primary = Source(120, backup: false, SafeLook.Blackout, out _);
        using var backup = Source(80, backup: true, SafeLook.Hold, out _);
        primary.UpdateMood(State(Mood.Calm));
        backup.UpdateMood(State(Mood.Sad));
        var show = Path.Combine(Path.GetTempPath(), $"lightmood-show-{Guid.NewGuid():N}.txt");
        using var recorder = ola.StartRecorder(OlaSacnUniverse, show);   // olad reports changes: record from before the start
        Skip.If(recorder is null, "ola_recorder is not installed (Debian's ola package has it)");
        try
        {
            backup.Start();
            Assert.NotNull(ola.WaitFor(OlaSacnUniverse, f => ParIs(f, SadPar), TimeSpan.FromSeconds(5)));
            primary.Start();
            Assert.NotNull(ola.WaitFor(OlaSacnUniverse, f => ParIs(f, CalmPar), TimeSpan.FromSeconds(5)));
            Thread.Sleep(500);
            var stop = Stopwatch.StartNew();
            primary.Stop();                                       // SIGTERM's path: three Stream_Terminated packets first
            var took = ola.WaitFor(OlaSacnUniverse, f => ParIs(f, SadPar), TimeSpan.FromSeconds(3));
            output.WriteLine($"olad showed the backup {stop.Elapsed.TotalSeconds:0.000} s after Stop() began");
            Assert.NotNull(took);
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(2), "a clean stop hands over at once (not after a source timeout)");
            Thread.Sleep(300);
            OlaRig.StopRecorder(recorder!);
            var frames = OlaRig.ReadShow(show);
            foreach (var (at, frame) in frames)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {at,8:0} ms  {string.Join(",", frame.Take(12))}"));
            }

            var fromCalm = frames.SkipWhile(f => !ParIs(f.Frame, CalmPar)).ToList();
            output.WriteLine($"{frames.Count} updates recorded at olad; {fromCalm.Count} from the first primary frame on");
            Assert.NotEmpty(fromCalm);
            var other = fromCalm.Where(f => !ParIs(f.Frame, CalmPar) && !ParIs(f.Frame, SadPar)).ToList();
            Assert.True(other.Count == 0, other.Count == 0 ? "" : $"{other.Count} frames were neither the primary's nor the backup's, e.g. {string.Join(",", other[0].Frame.Take(12))} at {other[0].AtMs} ms");
            var switchAt = fromCalm.First(f => ParIs(f.Frame, SadPar)).AtMs;
            Assert.DoesNotContain(fromCalm, f => f.AtMs > switchAt && ParIs(f.Frame, CalmPar));   // once over, it stays with the backup
        }
        finally
        {
            File.Delete(show);
        }
    }

    [SkippableFact]
    public void When_the_primary_dies_the_backup_takes_over_within_2_6_s_of_its_last_packet()
    {
        Skip.If(ola.Unavailable is not null, ola.Unavailable);
        Skip.If(OlaRig.Which("ola_recorder") is null, "ola_recorder is not installed (Debian's ola package has it)");
        using var backup = Source(80, backup: true, SafeLook.Hold, out var backupOut);
        backup.UpdateMood(State(Mood.Sad));
        backup.Start();

        // timing on a shared host: up to three primaries are killed; one whose failover is measured within the bound
        // both on olad's own timeline and from the sender's clock passes (every attempt is printed)
        var passed = false;
        for (var attempt = 1; attempt <= 3 && !passed; attempt++)
        {
            var (atReceiver, polled) = KillPrimaryAndMeasure();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"attempt {attempt}: olad followed the backup {atReceiver:0.000} s after the primary's last packet reached it (ola_recorder); the test saw it {polled:0.000} s after the primary sent it (HTTP polling)"));
            Assert.True(atReceiver >= 2.4 && polled >= 2.4, "the switch came before sACN's 2.5 s timeout: not a timeout");
            passed = atReceiver <= 2.6 && polled <= 2.75;
        }

        output.WriteLine($"{backupOut.PacketsSent} backup packets (every frame)");
        Assert.True(passed, "no attempt switched within 2.6 s of the primary's last packet (sACN's 2.5 s + one backup frame)");
    }

    /// <summary>Starts a primary, kills it (its socket goes, no termination), returns the failover in seconds: on olad's timeline, and polled.</summary>
    private (double AtReceiver, double Polled) KillPrimaryAndMeasure()
    {
        using var primary = Source(120, backup: false, SafeLook.Hold, out var primaryOut);
        primary.UpdateMood(State(Mood.Happy));
        var show = Path.Combine(Path.GetTempPath(), $"lightmood-show-{Guid.NewGuid():N}.txt");
        using var recorder = ola.StartRecorder(OlaSacnUniverse, show)!;
        try
        {
            primary.Start();
            Assert.NotNull(ola.WaitFor(OlaSacnUniverse, f => ParIs(f, HappyPar), TimeSpan.FromSeconds(5)));
            Thread.Sleep(1000);
            Assert.True(ParIs(ola.GetDmx(OlaSacnUniverse), HappyPar), "the higher priority (primary) wins while both send");
            primaryOut.Dispose();
            var last = primaryOut.LastPacketTimestamp;
            var polled = double.NaN;
            while (Stopwatch.GetElapsedTime(last) < TimeSpan.FromSeconds(6))
            {
                if (ParIs(ola.GetDmx(OlaSacnUniverse), SadPar))
                {
                    polled = Stopwatch.GetElapsedTime(last).TotalSeconds;
                    break;
                }

                Thread.Sleep(5);
            }

            Assert.False(double.IsNaN(polled), "olad never followed the backup");
            Thread.Sleep(200);
            OlaRig.StopRecorder(recorder);
            return (OlaRig.FailoverAtReceiver(OlaRig.ReadShow(show), f => ParIs(f, HappyPar), f => ParIs(f, SadPar)) / 1000, polled);
        }
        finally
        {
            File.Delete(show);
        }
    }
}
