using System.Globalization;
using FsCheck;
using Microsoft.FSharp.Core;

namespace LightMood.Tests.Daemon;

/// <summary>
/// FsCheck's run settings for the fuzz tests: <paramref name="cases"/> cases, quiet on success, throwing on failure
/// with the seed; <c>LIGHTMOOD_FUZZ_REPLAY="seed,gamma"</c> (the pair a failure prints) replays a failing run.
/// </summary>
internal static class FuzzConfig
{
    public static Config Create(int cases)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true);
        var replay = Environment.GetEnvironmentVariable("LIGHTMOOD_FUZZ_REPLAY");
        if (string.IsNullOrWhiteSpace(replay))
        {
            return config;
        }

        var parts = replay.Trim('(', ')', ' ').Split(',');
        var rnd = new Rnd(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture));
        return config.WithReplay(FSharpOption<Replay>.Some(new Replay(rnd, FSharpOption<int>.None)));
    }
}
