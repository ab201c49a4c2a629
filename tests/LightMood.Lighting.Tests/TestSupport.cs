using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime : TimeProvider
{
    private readonly DateTimeOffset _origin = new(2026, 1, 1, 20, 0, 0, TimeSpan.Zero);
    private long _ticks = 1_000_000_000;

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => _origin.AddTicks(Interlocked.Read(ref _ticks) / 100);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, (long)(by.TotalSeconds * TimestampFrequency));

    public void AdvanceSeconds(double seconds) => Advance(TimeSpan.FromSeconds(seconds));
}

internal static class Repo
{
    /// <summary>The repository root (holds LightMood.sln).</summary>
    public static string Root { get; } = FindRoot();

    public static string Config => Path.Combine(Root, "config");

    public static string QlcFixtures => "/usr/share/qlcplus/fixtures";

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LightMood.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LightMood.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Small rigs built in code, from the profiles in config/fixtures.</summary>
internal static class Rigs
{
    public static FixtureLibrary Library()
    {
        var lib = new FixtureLibrary();
        var errors = new List<string>();
        lib.AddJsonFolder(Path.Combine(Repo.Config, "fixtures"), errors);
        Assert.Empty(errors);
        return lib;
    }

    /// <summary>Two 6-channel RGBW pars (group pars) and one 13-channel mover (group movers) on <paramref name="universe"/>.</summary>
    public static Patch Small(int universe = 0) => PatchLoader.Parse($$"""
        { "fixtures": [
          { "name": "p1", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": {{universe}}, "address": 1, "group": "pars" },
          { "name": "p2", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": {{universe}}, "address": 7, "group": "pars" },
          { "name": "m1", "profile": "LightMood/Wash Mover", "mode": "13ch", "universe": {{universe}}, "address": 101, "group": "movers" }
        ] }
        """, "test-patch", Repo.Config, Library());

    /// <summary>Scenes with static, easily predicted looks: no modulation, pulse, chase or movement unless a test adds them.</summary>
    public static SceneBook Plain(double crossfade = 2, double grace = 1, double fadeSilence = 1)
    {
        MoodLook Look(double intensity, string pars, string movers, double pan) => new(
            intensity,
            new Dictionary<string, IReadOnlyList<Rgb>> { ["pars"] = [Parse(pars)], ["movers"] = [Parse(movers)] },
            new Movement(MovementPattern.None, Pan: pan, Tilt: 0.25));
        return new SceneBook(
            new Dictionary<LightMood.Mood, MoodLook>
            {
                [LightMood.Mood.Happy] = Look(1.0, "#ff8000", "#ffffff", 0.5),
                [LightMood.Mood.Tense] = Look(0.8, "#ff0000", "#ff0000", 0.75),
                [LightMood.Mood.Sad] = Look(0.4, "#0000ff", "#0000ff", 0.25),
                [LightMood.Mood.Calm] = Look(0.6, "#00ff00", "#00ff80", 0.5),
            },
            new SilenceSetting(0.05, grace, fadeSilence, MoodLook.Static(0.2, Parse("#ffffff")) with { Movement = new Movement(Pan: 0.5, Tilt: 0.5) }),
            MoodLook.Static(0.6, Parse("#ffd9a0")),
            crossfade,
            new Modulation(0, 0, 0));
    }

    public static Rgb Parse(string hex) => Rgb.TryParse(hex, out var c) ? c : throw new ArgumentException(hex);
}

/// <summary>Keeps what is logged (event id, level, message) for assertions.</summary>
internal sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
{
    private readonly List<(int Id, Microsoft.Extensions.Logging.LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(int Id, Microsoft.Extensions.Logging.LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((eventId.Id, logLevel, formatter(state, exception)));
        }
    }
}
