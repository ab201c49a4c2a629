using System.Reflection;
using LightMood.Hosting;
using LightMood.Lighting.Engine;
using Microsoft.Extensions.Logging;

namespace LightMood.Tests.Logging;

/// <summary>
/// One registry of log event ids (<see cref="LogEventIds"/>): every id unique and never a retired one, every
/// <c>[LoggerMessage]</c> in the daemon and the lighting library takes its id from the registry, and no two messages
/// share an id (issue 12: 1103 and 1202 each meant two things).
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] Logging = [typeof(DaemonHost).Assembly, typeof(LightingEngine).Assembly];

    private static Dictionary<string, int> Registry() =>
        typeof(LogEventIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);

    private static List<(string Method, int Id)> Messages() =>
        [.. Logging.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => ($"{x.Method.DeclaringType!.Name}.{x.Method.Name}", x.Attribute!.EventId))];

    [Fact]
    public void Every_registered_id_is_unique_and_none_is_retired()
    {
        var registry = Registry();
        Assert.True(registry.Count >= 40, $"only {registry.Count} ids found");
        var reused = registry.GroupBy(p => p.Value).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Key))}").ToList();
        Assert.True(reused.Count == 0, "ids given twice: " + string.Join("; ", reused));
        Assert.Empty(registry.Values.Intersect(LogEventIds.Retired));
    }

    [Fact]
    public void Every_log_message_has_its_own_registered_id()
    {
        var registered = Registry().Values.ToHashSet();
        var messages = Messages();
        Assert.True(messages.Count >= 40, $"only {messages.Count} [LoggerMessage] methods found");
        Assert.All(messages, m => Assert.True(registered.Contains(m.Id), $"{m.Method} logs id {m.Id}, which is not in LogEventIds"));
        var shared = messages.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.True(shared.Count == 0, "messages sharing an id: " + string.Join("; ", shared));
        var unused = registered.Except(messages.Select(m => m.Id)).ToList();
        Assert.True(unused.Count == 0, "registered ids no message logs: " + string.Join(", ", unused));
    }
}
