using LightMood.Web;

namespace LightMood.Osc;

/// <summary>
/// The OSC address space: each address runs the same <see cref="OperatorConsole"/> command as the page. A message is
/// dispatched to every address its pattern matches (OSC 1.0). Switches take a bool (T/F), a number (non-zero = on, as
/// a TouchOSC button sends 1 on press and 0 on release) or an impulse; arguments of the wrong kind or out of range are
/// rejected and change nothing. The table is in docs/daemon.md.
/// </summary>
public sealed class OscCommands(OperatorConsole console, ShowEditor show)
{
    public const string Prefix = "/lightmood";

    /// <summary>Scene numbers for cue-style senders (QLab, consoles): 0 auto, 1..4 the moods, 5 house lights.</summary>
    private static readonly string[] SceneNumbers = ["auto", "happy", "tense", "sad", "calm", "house"];

    private IReadOnlyList<(string Address, Action<OscMessage> Run)>? _table;

    public IReadOnlyList<string> Addresses => [.. Table.Select(t => t.Address)];

    private IReadOnlyList<(string Address, Action<OscMessage> Run)> Table => _table ??=
    [
        ($"{Prefix}/mood/force", m => console.Force(OperatorApi.ParseMood(Text(m, 0)), m.Arguments.Count > 1 ? Number(m, 1) : null)),
        .. MoodNames.All.Select(mood => ($"{Prefix}/mood/{mood.ToName()}", (Action<OscMessage>)(m =>
        {
            if (m.Arguments.Count == 0 || Switch(m))
            {
                console.Force(mood, null);
            }
        }))),
        ($"{Prefix}/auto", m =>
        {
            if (m.Arguments.Count == 0 || Switch(m))
            {
                console.Release();
            }
        }),
        ($"{Prefix}/blackout", m => console.SetBlackout(Switch(m))),
        ($"{Prefix}/house", m => console.SetHouse(Switch(m))),
        ($"{Prefix}/master", m => console.SetMaster(Number(m, 0))),
        ($"{Prefix}/scene", Scene),
        ($"{Prefix}/preset", Preset),
    ];

    /// <summary>Runs the message at every matching address: the number of addresses matched (0 = none).</summary>
    /// <exception cref="ArgumentException">An argument is missing, of the wrong kind or out of range (nothing changed).</exception>
    /// <exception cref="OscFormatException">The address pattern is malformed.</exception>
    public int Dispatch(OscMessage message)
    {
        var matched = Table.Where(t => OscAddressPattern.Matches(message.Address, t.Address)).ToList();
        foreach (var (_, run) in matched)
        {
            run(message);
        }

        return matched.Count;
    }

    private void Scene(OscMessage m)
    {
        var name = m.Arguments.Count == 1 && m.Arguments[0] is string s ? s.Trim().ToLowerInvariant()
            : Number(m, 0) is var n && n == Math.Floor(n) && n >= 0 && n < SceneNumbers.Length ? SceneNumbers[(int)n]
            : throw new ArgumentException($"scene number must be 0..{SceneNumbers.Length - 1}");
        switch (name)
        {
            case "auto":
                console.SetHouse(false);
                console.Release();
                break;
            case "house":
                console.SetHouse(true);
                break;
            default:
                var mood = OperatorApi.ParseMood(name);
                console.SetHouse(false);
                console.Force(mood, null);
                break;
        }
    }

    /// <summary>Activates a show preset; a file that cannot be written is refused like a bad argument (nothing changed).</summary>
    private void Preset(OscMessage m)
    {
        try
        {
            show.ActivatePreset(Text(m, 0));
        }
        catch (ScenesNotSavedException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static string Text(OscMessage m, int i) =>
        m.Arguments.Count > i && m.Arguments[i] is string s ? s : throw new ArgumentException($"argument {i + 1} of {m.Address} must be a string");

    private static double Number(OscMessage m, int i) => m.Arguments.Count > i
        ? m.Arguments[i] switch
        {
            int v => v,
            long v => v,
            float v when float.IsFinite(v) => v,
            double v when double.IsFinite(v) => v,
            _ => throw new ArgumentException($"argument {i + 1} of {m.Address} must be a finite number"),
        }
        : throw new ArgumentException($"{m.Address} needs a number");

    private static bool Switch(OscMessage m) => m.Arguments.Count == 1
        ? m.Arguments[0] switch
        {
            bool b => b,
            OscImpulse => true,
            int v => v != 0,
            long v => v != 0,
            float v when float.IsFinite(v) => v != 0,
            double v when double.IsFinite(v) => v != 0,
            _ => throw new ArgumentException($"{m.Address} takes T/F, a number or an impulse"),
        }
        : throw new ArgumentException($"{m.Address} takes one argument (1 = on, 0 = off)");
}
