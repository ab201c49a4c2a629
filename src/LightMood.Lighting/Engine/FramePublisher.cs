using LightMood.Lighting.Output;
using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// What the last frame showed, for readers on other threads (the page, OSC, tests): a copy of every universe's frame
/// and of the fixtures' attributes, the look, mood and fade, and the frame counter. The render thread publishes after
/// each frame (copies into pre-allocated buffers, no allocation); readers copy out under the same lock.
/// </summary>
internal sealed class FramePublisher
{
    private readonly Lock _gate = new();
    private readonly byte[][] _frames;
    private readonly FixtureAttributes[] _attributes;
    private long _count;
    private string _look = "";
    private string? _mood;
    private bool _silent;
    private double _fade = 1;
    private double? _tempo;

    public FramePublisher(int universes, int fixtures)
    {
        _frames = new byte[universes][];
        for (var i = 0; i < universes; i++)
        {
            _frames[i] = new byte[512];
        }

        _attributes = new FixtureAttributes[fixtures];
    }

    public long FrameCount
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Render thread: the frame just rendered.</summary>
    public void Publish(DmxFrameSet frames, FixtureAttributes[] attributes, string look, Mood? mood, bool silent, double fade, double? tempo)
    {
        lock (_gate)
        {
            for (var u = 0; u < frames.Frames.Length; u++)
            {
                frames.Frames[u].CopyTo(_frames[u], 0);
            }

            Array.Copy(attributes, _attributes, attributes.Length);
            _count++;
            _look = look;
            _mood = mood?.ToName();
            _silent = silent;
            _fade = fade;
            _tempo = tempo;
        }
    }

    /// <summary>Copies universe <paramref name="index"/>'s last frame (frame-set order) into <paramref name="destination"/>.</summary>
    public void CopyFrame(int index, Span<byte> destination)
    {
        lock (_gate)
        {
            _frames[index].CopyTo(destination);
        }
    }

    /// <summary>The state after the last frame (allocates; for the web page).</summary>
    public LightingSnapshot Snapshot(in SnapshotContext c)
    {
        lock (_gate)
        {
            var universes = new UniverseSnapshot[_frames.Length];
            for (var i = 0; i < universes.Length; i++)
            {
                var u = c.Universes[i];
                universes[i] = new UniverseSnapshot(u, Fixtures.Patch.FormatPortAddress(u + c.ArtNetOffset), c.SacnUniverses[i], (byte[])_frames[i].Clone());
            }

            var fixtures = new FixturePreview[c.Patch.Fixtures.Count];
            for (var i = 0; i < fixtures.Length; i++)
            {
                var f = c.Patch.Fixtures[i];
                var a = _attributes[i];
                var level = c.Blackout ? 0 : Math.Clamp(a.Intensity * c.Master, 0, 1);
                fixtures[i] = new FixturePreview(f.Name, f.Group, f.Universe, f.Address, new Rgb(a.R * level, a.G * level, a.B * level).ToString(), level, a.Pan, a.Tilt)
                {
                    Tint = new Rgb(a.R, a.G, a.B).ToString(),
                };
            }

            return new LightingSnapshot(_count, c.Time, _look, _mood, c.Forced, c.Blackout, c.Master, _silent, c.Fault is not null, c.Fault?.Reason, _fade, _tempo, universes, fixtures)
            {
                House = c.House,
                Preview = c.Preview,
                CrossfadeSeconds = c.CrossfadeSeconds,
                RateHz = c.RateHz,
                FaultStage = c.Fault?.Stage,
            };
        }
    }
}

/// <summary>What a snapshot needs besides the published frame: the rig, the desk's state and the fault.</summary>
internal readonly record struct SnapshotContext(
    Fixtures.Patch Patch,
    int[] Universes,
    int[] SacnUniverses,
    int ArtNetOffset,
    DateTimeOffset Time,
    bool Forced,
    bool Blackout,
    double Master,
    bool House,
    bool Preview,
    double CrossfadeSeconds,
    double RateHz,
    StageFault? Fault);
