
namespace LightMood.Hosting;

/// <summary>
/// The state hub: what the analysis has heard lately, for the web page. Written by the analysis stage, read by the
/// web page; it never reaches back into a stage. Thread-safe; readers get copies. The stages' faults are not kept
/// here but in the one <see cref="StageHealth"/> (the view copies them); the hub keeps only notices that do not
/// put the lights on the safe look (e.g. no audio for a while).
/// </summary>
public sealed class LiveState(TimeProvider time, StageHealth health)
{
    public const int MelBands = 96;
    public const int MelColumns = 256;
    public const int TrailLength = 40;
    public const int RecentRegions = 24;

    private readonly Lock _lock = new();
    private readonly byte[] _mel = new byte[MelColumns * MelBands];
    private readonly Queue<(double Valence, double Arousal)> _trail = new();
    private readonly List<MoodRegion> _regions = [];
    private long _melWritten;
    private MoodState? _current;
    private long _lastAudioTicks = time.GetTimestamp();
    private readonly Dictionary<string, string> _notices = [];

    private long _inputLevel; // the last captured block's RMS and peak as two floats

    public long Heartbeats { get; private set; }

    /// <summary>The last captured block's RMS and peak (0..1 full scale), for the page's input meter.</summary>
    public (float Rms, float Peak) InputLevel
    {
        get
        {
            var v = Interlocked.Read(ref _inputLevel);
            return (BitConverter.Int32BitsToSingle((int)(v >> 32)), BitConverter.Int32BitsToSingle((int)v));
        }
    }

    /// <summary>Called on the capture thread for every captured block (allocation-free; one atomic write).</summary>
    public void OnInputLevel(ReadOnlySpan<float> block)
    {
        var sum = 0.0;
        var peak = 0f;
        foreach (var x in block)
        {
            sum += x * x;
            peak = Math.Max(peak, Math.Abs(x));
        }

        var rms = block.Length == 0 ? 0f : (float)Math.Sqrt(sum / block.Length);
        Interlocked.Exchange(ref _inputLevel, ((long)BitConverter.SingleToInt32Bits(rms) << 32) | (uint)BitConverter.SingleToInt32Bits(peak));
    }

    public MoodState? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Seconds since the analysis last consumed audio.</summary>
    public double SecondsSinceAudio => time.GetElapsedTime(Interlocked.Read(ref _lastAudioTicks)).TotalSeconds;

    public void OnAudio()
    {
        Interlocked.Exchange(ref _lastAudioTicks, time.GetTimestamp());
        Heartbeats++;
    }

    public void OnState(MoodState state)
    {
        lock (_lock)
        {
            _current = state;
            _trail.Enqueue((state.Valence, state.Arousal));
            while (_trail.Count > TrailLength)
            {
                _trail.Dequeue();
            }
        }
    }

    public void OnRegionClosed(MoodRegion region)
    {
        lock (_lock)
        {
            _regions.Add(region);
            if (_regions.Count > RecentRegions)
            {
                _regions.RemoveAt(0);
            }
        }
    }

    /// <summary>One mel column in dB, stored as bytes (−100..+20 dB mapped to 0..255).</summary>
    public void OnMelColumn(ReadOnlySpan<float> melDb)
    {
        lock (_lock)
        {
            var row = _mel.AsSpan((int)(_melWritten % MelColumns) * MelBands, MelBands);
            for (var b = 0; b < MelBands && b < melDb.Length; b++)
            {
                row[b] = (byte)Math.Clamp((melDb[b] + 100f) * (255f / 120f), 0f, 255f);
            }

            _melWritten++;
        }
    }

    /// <summary>The stages' fault state (the host's one owner of it).</summary>
    public StageHealth Health => health;

    /// <summary>
    /// Sets (or, with null, removes) a notice for the page: something the operator should see that is not a stage
    /// fault, so the lights keep following the music (a stall: no audio for <c>Audio:StallSeconds</c>).
    /// </summary>
    public void SetNotice(string topic, string? text)
    {
        lock (_lock)
        {
            if (text is null)
            {
                _notices.Remove(topic);
            }
            else
            {
                _notices[topic] = text;
            }
        }
    }

    /// <summary>A copy for the page: the regions closed so far plus the open one, the trail, the newest mel columns.</summary>
    public LiveView View(int melColumns)
    {
        lock (_lock)
        {
            var regions = new List<MoodRegion>(_regions);
            if (_current is { } c)
            {
                regions.Add(new MoodRegion(c.RegionStartSeconds, c.TimeSeconds, c.Mood, c.Confidence, c.Valence, c.Arousal, c.Silent));
            }

            var count = (int)Math.Min(Math.Min(melColumns, MelColumns), _melWritten);
            var mel = new byte[count * MelBands];
            for (var i = 0; i < count; i++)
            {
                var column = (_melWritten - count + i) % MelColumns;
                _mel.AsSpan((int)column * MelBands, MelBands).CopyTo(mel.AsSpan(i * MelBands));
            }

            return new LiveView(_current, regions, [.. _trail], mel, count, _melWritten, health.Faults)
            {
                Notices = new Dictionary<string, string>(_notices),
            };
        }
    }
}

/// <summary>A consistent copy of <see cref="LiveState"/>.</summary>
public sealed record LiveView(
    MoodState? Current,
    IReadOnlyList<MoodRegion> Regions,
    IReadOnlyList<(double Valence, double Arousal)> Trail,
    byte[] Mel,
    int MelColumns,
    long MelColumnsTotal,
    IReadOnlyList<StageFault> Faults)
{
    /// <summary>Notices that are not faults (the lights keep following the music): topic → text.</summary>
    public IReadOnlyDictionary<string, string> Notices { get; init; } = new Dictionary<string, string>();
}
