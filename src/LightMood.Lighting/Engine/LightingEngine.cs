using System.Diagnostics;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Output;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Output.Sacn;
using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The render loop: every universe at a steady rate (default 40 Hz, at most 44 Hz) on a dedicated thread. Each frame it
/// picks the look (forced mood, analysed mood, silence, or the safe look after a fault), crossfades on a change,
/// renders it with the beat clock and valence/arousal modulation, writes 512-slot frames, merges operator overrides
/// (HTP for intensity channels, LTP otherwise), applies the master and blackout (HTP channels only), sends the frame set
/// to every output and publishes a snapshot. Per frame it allocates nothing (pre-allocated frames and buffers).
/// Inputs are thread-safe and may come from any thread.
/// </summary>
public sealed partial class LightingEngine : IDisposable
{
    private const string SilenceKey = "silence";
    private const string HouseKey = "house";

    /// <summary>The stage name under which the engine reports its own render failures to <see cref="StageHealth"/>.</summary>
    public const string RenderStage = "render";

    private readonly Lock _gate = new();
    private readonly Lock _snapshotGate = new();
    private readonly LightingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDmxOutput[] _outputs;
    private readonly DmxFrameSet _frames;
    private readonly byte[][] _work;
    private readonly bool[][] _htp;
    private readonly short[][] _overrides;
    private readonly byte[][] _published;
    private readonly FixtureAttributes[] _from;
    private readonly FixtureAttributes[] _to;
    private readonly FixtureAttributes[] _out;
    private readonly FixtureAttributes[] _publishedAttributes;
    private readonly LookRenderer _renderer;
    private readonly DmxWriter _writer;
    private readonly long _start;
    private readonly int[] _sacnUniverses;
    private readonly StageHealth _health;

    // inputs (guarded by _gate)
    private SceneBook _scenes;
    private MoodState? _mood;
    private Mood? _forced;
    private long _silentSince = long.MinValue;
    private long _lastBeatAt = long.MinValue;
    private double _beatPeriod;
    private long _beatCount;
    private bool _blackout;
    private double _master;
    private SafeLook _safeLook;
    private bool _stopping;
    private int _overrideCount;

    // render state (render thread only)
    private string _lookKey = "";
    private MoodLook? _look;
    private long _fadeStart;
    private double _fadeSeconds;
    private double _movementPhase;
    private double _valence;
    private double _arousal;
    private long _lastFrameAt = long.MinValue;
    private bool _rendered;
    private StageFault? _shownFault;

    // published state (guarded by _snapshotGate)
    private long _frameCount;
    private string _pubLook = "";
    private string? _pubMood;
    private bool _pubSilent;
    private double _pubFade = 1;
    private double? _pubTempo;

    private Thread? _thread;
    private volatile bool _run;
    private bool _disposed;

    /// <param name="patch">The validated rig.</param>
    /// <param name="scenes">The validated looks (checked against <paramref name="patch"/>).</param>
    /// <param name="options">Rate, safe look, master and the sACN universe mapping for snapshots.</param>
    /// <param name="outputs">Transports; the engine disposes them.</param>
    /// <param name="time">Clock (inject a fake one in tests and drive <see cref="RenderFrame"/>).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="health">
    /// The pipeline's fault state, owned by the host: while any stage is faulted the engine shows the safe look (a
    /// forced mood excepted). The engine reports only its own render failures there (<see cref="RenderStage"/>).
    /// </param>
    public LightingEngine(Patch patch, SceneBook scenes, LightingOptions options, IReadOnlyList<IDmxOutput> outputs, TimeProvider? time = null, ILogger? logger = null, StageHealth? health = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        Patch = patch;
        _scenes = scenes;
        _options = options;
        _outputs = [.. outputs];
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _health = health ?? new StageHealth();
        _master = options.Master;
        _safeLook = options.SafeLook;
        _frames = new DmxFrameSet(patch.Universes);
        var u = _frames.Universes.Length;
        _work = new byte[u][];
        _htp = new bool[u][];
        _overrides = new short[u][];
        _published = new byte[u][];
        for (var i = 0; i < u; i++)
        {
            _work[i] = new byte[512];
            _htp[i] = new bool[512];
            _overrides[i] = new short[512];
            Array.Fill(_overrides[i], (short)-1);
            _published[i] = new byte[512];
        }

        var universeOfFixture = new int[patch.Fixtures.Count];
        for (var f = 0; f < patch.Fixtures.Count; f++)
        {
            var fx = patch.Fixtures[f];
            var ui = _frames.IndexOf(fx.Universe);
            universeOfFixture[f] = ui;
            for (var c = 0; c < fx.Footprint; c++)
            {
                _htp[ui][fx.Address - 1 + c] = fx.Mode.Channels[c].Kind.IsHtp();
            }
        }

        _sacnUniverses = _frames.Universes.Select(options.Sacn.Map).ToArray();
        _from = new FixtureAttributes[patch.Fixtures.Count];
        _to = new FixtureAttributes[patch.Fixtures.Count];
        _out = new FixtureAttributes[patch.Fixtures.Count];
        _publishedAttributes = new FixtureAttributes[patch.Fixtures.Count];
        _renderer = new LookRenderer(patch);
        _writer = new DmxWriter(patch, universeOfFixture);
        _start = _time.GetTimestamp();
        InitDesk();
    }

    /// <summary>
    /// Builds an engine from the daemon's options: loads and validates the patch and scenes files (relative to
    /// <paramref name="contentRoot"/>; every error at once in a <see cref="LightingConfigException"/>) and opens the
    /// Art-Net and sACN outputs the options enable. <paramref name="library"/> holds profiles from outside the patch's
    /// own folders (the daemon's imported fixtures); a profile in the patch's folders replaces one of the same name.
    /// </summary>
    public static LightingEngine Create(LightingOptions options, string contentRoot, TimeProvider? time = null, ILoggerFactory? loggers = null, FixtureLibrary? library = null, StageHealth? health = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }

        loggers ??= NullLoggerFactory.Instance;
        time ??= TimeProvider.System;
        var patch = PatchLoader.Load(Path.Combine(contentRoot, options.PatchFile), library);
        var scenes = SceneLoader.Load(Path.Combine(contentRoot, options.ScenesFile), patch);
        var outputs = new List<IDmxOutput>();
        try
        {
            if (options.ArtNet.Enabled)
            {
                outputs.Add(new ArtNetOutput(options.ArtNet, patch.Universes, time, loggers.CreateLogger<ArtNetOutput>()));
            }

            if (options.Sacn.Enabled)
            {
                outputs.Add(new SacnOutput(options.Sacn, patch.Universes, SacnCid.Resolve(options.Sacn, contentRoot), time, loggers.CreateLogger<SacnOutput>()));
            }
        }
        catch
        {
            foreach (var o in outputs)
            {
                o.Dispose();
            }

            throw;
        }

        return new LightingEngine(patch, scenes, options, outputs, time, loggers.CreateLogger<LightingEngine>(), health);
    }

    public Patch Patch { get; }

    /// <summary>The fault state the engine observes (the host's; a fresh one when none was given).</summary>
    public StageHealth Health => _health;

    public SceneBook Scenes
    {
        get
        {
            lock (_gate)
            {
                return _scenes;
            }
        }
    }

    public IReadOnlyList<IDmxOutput> Outputs => _outputs;

    /// <summary>Called at the start of every frame with its timestamp (benchmarks measure jitter with it).</summary>
    public Action<long>? FrameStarted { get; set; }

    public long FrameCount
    {
        get
        {
            lock (_snapshotGate)
            {
                return _frameCount;
            }
        }
    }

    // ---------------------------------------------------------------- inputs

    /// <summary>A new estimate from the analysis (mood, valence, arousal, energy, tempo).</summary>
    public void UpdateMood(MoodState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state = Finite(state);
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _mood = state;
            // the analysis' silence gate (MoodState.Silent), or a frame quieter than the scenes' own threshold
            if (state.Silent || state.Energy < _scenes.Silence.EnergyThreshold)
            {
                if (_silentSince == long.MinValue)
                {
                    _silentSince = now;
                }
            }
            else
            {
                _silentSince = long.MinValue;
            }
        }
    }

    /// <summary>
    /// A detected beat: the beat clock re-locks to it (phase 0 at the beat, period from its tempo), so the following
    /// beats are rendered when they are due rather than when the analysis reports them. <paramref name="age"/> is how
    /// long ago the beat was in the audio as it reached the analysis (the analysis position minus the beat's time):
    /// the lock is set that far back, which removes the detection delay from every predicted beat.
    /// </summary>
    public void OnBeat(Beat beat, TimeSpan age = default)
    {
        if (!(beat.TempoBpm > 0) || !double.IsFinite(beat.TempoBpm))
        {
            return;
        }

        var now = _time.GetTimestamp();
        var ageSeconds = double.IsFinite(age.TotalSeconds) ? Math.Clamp(age.TotalSeconds, 0, 2) : 0;
        var at = now - (long)(ageSeconds * _time.TimestampFrequency);
        lock (_gate)
        {
            _beatCount = _lastBeatAt == long.MinValue ? 0 : (long)Math.Round(BeatPositionAt(at));
            _lastBeatAt = at;
            _beatPeriod = 60.0 / beat.TempoBpm;
        }
    }

    /// <summary>Operator: show <paramref name="mood"/> whatever the analysis says (and through silence).</summary>
    public void ForceMood(Mood mood)
    {
        lock (_gate)
        {
            _forced = mood;
        }
    }

    /// <summary>Operator: follow the analysis again.</summary>
    public void ReleaseMood()
    {
        lock (_gate)
        {
            _forced = null;
        }
    }

    /// <summary>Operator blackout: zeroes intensity (HTP) channels only; pan/tilt and other LTP channels keep values.</summary>
    public void SetBlackout(bool on)
    {
        lock (_gate)
        {
            _blackout = on;
        }
    }

    /// <summary>Grand master 0..1 (scales intensity).</summary>
    public void SetMaster(double level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 1);
        lock (_gate)
        {
            _master = level;
        }
    }

    /// <summary>
    /// Scene edit: replaces one mood's look (validated against the patch; a bad look throws and changes nothing). New
    /// looks clear a render failure: the next frame tries them.
    /// </summary>
    public void SetLook(Mood mood, MoodLook look)
    {
        SceneLoader.Validate(look, $"moods.{mood.ToName()}", Patch);
        lock (_gate)
        {
            _scenes = _scenes.WithLook(mood, look);
        }

        _health.Clear(RenderStage);
    }

    /// <summary>
    /// Scene edit: replaces every look (e.g. a reloaded scenes file, already validated against this patch). New looks
    /// clear a render failure: the next frame tries them.
    /// </summary>
    public void ReplaceScenes(SceneBook scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        lock (_gate)
        {
            _scenes = scenes;
        }

        _health.Clear(RenderStage);
    }

    /// <summary>Which look shutdown and faults leave on the outputs.</summary>
    public void SetSafeLook(SafeLook look)
    {
        lock (_gate)
        {
            _safeLook = look;
        }
    }

    /// <summary>Operator channel override (1-based address). Intensity channels merge HTP, others LTP.</summary>
    public void SetOverride(int universe, int address, byte value)
    {
        var u = UniverseIndex(universe);
        ArgumentOutOfRangeException.ThrowIfLessThan(address, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(address, 512);
        lock (_gate)
        {
            if (_overrides[u][address - 1] < 0)
            {
                _overrideCount++;
            }

            _overrides[u][address - 1] = value;
        }
    }

    /// <summary>Overrides one channel of a patched fixture (the first channel of <paramref name="kind"/>).</summary>
    public void SetFixtureOverride(string fixture, ChannelKind kind, byte value)
    {
        var f = Patch.Fixtures.FirstOrDefault(x => string.Equals(x.Name, fixture, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"no fixture named '{fixture}' in the patch", nameof(fixture));
        var offset = f.Mode.OffsetOf(kind);
        if (offset < 0)
        {
            throw new ArgumentException($"fixture '{fixture}' ({f.Profile.Key}, mode {f.Mode.Name}) has no {kind.ToName()} channel", nameof(kind));
        }

        SetOverride(f.Universe, f.Address + offset, value);
    }

    public void ClearOverride(int universe, int address)
    {
        var u = UniverseIndex(universe);
        lock (_gate)
        {
            if (address is >= 1 and <= 512 && _overrides[u][address - 1] >= 0)
            {
                _overrides[u][address - 1] = -1;
                _overrideCount--;
            }
        }
    }

    public void ClearOverrides()
    {
        lock (_gate)
        {
            foreach (var o in _overrides)
            {
                Array.Fill(o, (short)-1);
            }

            _overrideCount = 0;
        }
    }

    // ---------------------------------------------------------------- loop

    /// <summary>Starts the render thread.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_stopping)
        {
            throw new InvalidOperationException("the engine was stopped (its sACN streams are terminated); create a new one");
        }

        if (_thread is not null)
        {
            return;
        }

        _run = true;
        _thread = new Thread(Loop) { IsBackground = true, Name = "LightMood render", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
        LightingLog.EngineStarted(_logger, Patch.Fixtures.Count, Patch.Universes.Count, _options.RateHz);
    }

    /// <summary>
    /// Stops the loop, ends the sACN streams at once (three Stream_Terminated packets carrying the look that was
    /// showing: receivers go to a backup source, or to their own loss behaviour, without a frame of the safe look at
    /// this source's priority first), then sends the safe look a few times to the outputs that have no stream
    /// termination (Art-Net, whose nodes hold the last frame). An engine that never sent a frame sends nothing. Safe
    /// to call twice.
    /// </summary>
    public void Stop()
    {
        var thread = _thread;
        _run = false;
        thread?.Join();
        _thread = null;
        if (_stopping)
        {
            return;
        }

        lock (_gate)
        {
            _stopping = true;
        }

        if (FrameCount == 0)
        {
            // never sent a frame (a start-up that failed, e.g. on a busy web port): nothing to hold or terminate, and
            // a failed start must not put DMX on the wire
            return;
        }

        // streams end first, with what is showing: a dark safe look sent at this source's priority before the
        // termination would black out a stage whose backup is about to take over (sACN ignores Send afterwards)
        foreach (var o in _outputs)
        {
            o.Terminate(_frames);
        }

        // the safe look, rendered and sent where streams do not end (three frames so the last reaches a node that lost one)
        for (var i = 0; i < 3; i++)
        {
            RenderFrame();
        }

        LightingLog.EngineStopped(_logger, _safeLook.ToString().ToLowerInvariant());
    }

    /// <summary>Renders and sends one frame at the time provider's now. The loop calls it; tests may call it directly.</summary>
    public void RenderFrame()
    {
        var now = _time.GetTimestamp();
        FrameStarted?.Invoke(now);
        try
        {
            RenderCore(now);
        }
#pragma warning disable CA1031 // the loop must survive any render fault: it goes to the safe look instead
        catch (Exception e)
#pragma warning restore CA1031
        {
            // reported once (the exception logged with it); it stands until new looks arrive (SetLook, ReplaceScenes)
            if (!_health.IsStageFaulted(RenderStage))
            {
                LightingLog.RenderFailed(_logger, e);
                _health.Fault(RenderStage, "render failed: " + e.Message);
            }

            // the path that cannot fail: resend what was sent last
            Array.Clear(_frames.Changed);
            SendAll(now);
        }
    }

    /// <summary>Copies a universe's last frame into <paramref name="destination"/> (≥ 512 bytes); false when not patched. Allocation-free.</summary>
    public bool CopyFrame(int universe, Span<byte> destination)
    {
        var i = _frames.IndexOf(universe);
        if (i < 0)
        {
            return false;
        }

        lock (_snapshotGate)
        {
            _published[i].CopyTo(destination);
        }

        return true;
    }

    /// <summary>The state after the last frame: frames per universe and the per-fixture preview (allocates; for the web page).</summary>
    public LightingSnapshot GetSnapshot()
    {
        bool forced, blackout, house, preview;
        double master, crossfade;
        lock (_gate)
        {
            house = _house;
            preview = _preview is not null;
            crossfade = _scenes.CrossfadeSeconds;
            forced = _forced is not null;
            blackout = _blackout;
            master = _master;
        }

        var standing = _health.First;
        lock (_snapshotGate)
        {
            var universes = new UniverseSnapshot[_frames.Universes.Length];
            for (var i = 0; i < universes.Length; i++)
            {
                var u = _frames.Universes[i];
                universes[i] = new UniverseSnapshot(u, Fixtures.Patch.FormatPortAddress(u + _options.ArtNet.UniverseOffset), _sacnUniverses[i], (byte[])_published[i].Clone());
            }

            var fixtures = new FixturePreview[Patch.Fixtures.Count];
            for (var i = 0; i < fixtures.Length; i++)
            {
                var f = Patch.Fixtures[i];
                var a = _publishedAttributes[i];
                var level = blackout ? 0 : Math.Clamp(a.Intensity * master, 0, 1);
                fixtures[i] = new FixturePreview(f.Name, f.Group, f.Universe, f.Address, new Rgb(a.R * level, a.G * level, a.B * level).ToString(), level, a.Pan, a.Tilt)
                {
                    Tint = new Rgb(a.R, a.G, a.B).ToString(),
                };
            }

            return new LightingSnapshot(_frameCount, _time.GetUtcNow(), _pubLook, _pubMood, forced, blackout, master, _pubSilent, standing is not null, standing?.Reason, _pubFade, _pubTempo, universes, fixtures)
            {
                House = house,
                Preview = preview,
                CrossfadeSeconds = crossfade,
                RateHz = _options.RateHz,
                FaultStage = standing?.Stage,
            };
        }
    }

    /// <summary>The Art-Net nodes discovery has found, with what each outputs (a copy; empty without Art-Net or discovery).</summary>
    public IReadOnlyList<ArtNetNode> GetArtNetNodes() => [.. _outputs.OfType<ArtNetOutput>().SelectMany(o => o.Nodes.Snapshot())];

    /// <summary>The other sACN sources heard (empty unless <c>Sacn:ListenForSources</c>), and LightMood's own sACN priority (null without sACN).</summary>
    public (IReadOnlyList<SacnSource> Sources, int? OwnPriority) GetSacnSources()
    {
        var sacn = _outputs.OfType<SacnOutput>().FirstOrDefault();
        return (sacn?.Listener?.Sources.Snapshot() ?? [], sacn?.Priority);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop();
        _disposed = true;
        foreach (var o in _outputs)
        {
            o.Dispose();
        }
    }

    private int UniverseIndex(int universe)
    {
        var u = _frames.IndexOf(universe);
        return u >= 0 ? u : throw new ArgumentOutOfRangeException(nameof(universe), universe, "universe is not in the patch");
    }

    /// <summary>
    /// An estimate with every number finite and in range: a NaN valence would stick in the modulation low-pass for
    /// good (and NaN cannot be written to the page as JSON), so a non-finite value counts as neutral.
    /// </summary>
    private static MoodState Finite(MoodState s)
    {
        static double Clean(double v, double min, double max, double fallback) => double.IsFinite(v) ? Math.Clamp(v, min, max) : fallback;
        var clean = s with
        {
            Confidence = Clean(s.Confidence, 0, 1, 0),
            Valence = Clean(s.Valence, -1, 1, 0),
            Arousal = Clean(s.Arousal, -1, 1, 0),
            Energy = Clean(s.Energy, 0, 1, 0),
            TempoBpm = s.TempoBpm is { } t && double.IsFinite(t) && t > 0 ? t : null,
            TimeSeconds = Clean(s.TimeSeconds, 0, double.MaxValue, 0),
            RegionStartSeconds = Clean(s.RegionStartSeconds, 0, double.MaxValue, 0),
        };
        return clean == s ? s : clean;
    }

    private double BeatPositionAt(long now) =>
        _beatCount + ((_time.GetElapsedTime(_lastBeatAt, now).TotalSeconds + _options.BeatOffsetSeconds) / _beatPeriod);

    private void RenderCore(long now)
    {
        // 1. inputs
        SceneBook scenes;
        MoodState? mood;
        Mood? forced;
        bool silent, blackout, beatActive;
        double master, beatPosition, tempo;
        SafeLook safe;
        bool safeMode, house;
        MoodLook? preview;
        var standing = _health.First;
        if (!ReferenceEquals(standing, _shownFault))
        {
            NoteFault(standing, _shownFault);
            _shownFault = standing;
        }

        lock (_gate)
        {
            (house, preview) = ReadDeskInputs(now);
            scenes = _scenes;
            mood = _mood;
            forced = _forced;
            silent = forced is null && (mood is null || (_silentSince != long.MinValue && _time.GetElapsedTime(_silentSince, now).TotalSeconds >= scenes.Silence.GraceSeconds));
            blackout = _blackout;
            master = _master;
            safe = _safeLook;
            // an operator's explicit choice beats an analysis fault: a forced mood renders while a stage is faulted
            safeMode = (standing is not null && forced is null) || _stopping;
            beatActive = _lastBeatAt != long.MinValue && _time.GetElapsedTime(_lastBeatAt, now).TotalSeconds < scenes.BeatTimeoutSeconds;
            beatPosition = beatActive ? BeatPositionAt(now) : 0;
            // the beat clock's tempo; without beats the analysis' tempo still sets beat-locked movement speed
            tempo = beatActive ? 60.0 / _beatPeriod : mood?.TempoBpm ?? 0;
        }

        // 2. which look
        string key;
        MoodLook? look;
        if (safeMode && safe == SafeLook.Hold && _rendered)
        {
            key = "hold";
            look = null;
        }
        else if (safeMode && safe == SafeLook.House)
        {
            key = HouseKey;
            look = scenes.House;
        }
        else if (safeMode && safe == SafeLook.Blackout)
        {
            key = "blackout";
            look = _look;
            blackout = true;
        }
        else if (preview is not null && !safeMode)
        {
            key = PreviewKey;
            look = preview;
        }
        else if (house && !safeMode)
        {
            key = HouseKey;
            look = scenes.House;
        }
        else if (silent)
        {
            key = SilenceKey;
            look = scenes.Silence.Look;
        }
        else
        {
            var m = forced ?? mood!.Mood;
            key = m.ToName();
            look = scenes.LookFor(m);
        }

        var dt = _lastFrameAt == long.MinValue ? 0 : _time.GetElapsedTime(_lastFrameAt, now).TotalSeconds;
        _lastFrameAt = now;
        var valence = mood?.Valence ?? 0;
        var arousal = mood?.Arousal ?? 0;
        if (forced is { } f && mood?.Mood != f)
        {
            // a forced mood sits at its quadrant's centre, not at the analysis' opposite corner
            valence = f.ValenceSign() * 0.5;
            arousal = f.ArousalSign() * 0.5;
        }

        // bursty estimates are smoothed (first-order low-pass, time constant ModulationSmoothingSeconds)
        if (_rendered && _options.ModulationSmoothingSeconds > 0 && double.IsFinite(_valence) && double.IsFinite(_arousal))
        {
            var k = 1 - Math.Exp(-dt / _options.ModulationSmoothingSeconds);
            _valence += (valence - _valence) * k;
            _arousal += (arousal - _arousal) * k;
        }
        else
        {
            _valence = valence;
            _arousal = arousal;
        }

        valence = _valence;
        arousal = _arousal;

        if (look is not null)
        {
            if (!ReferenceEquals(look, _look) || key != _lookKey)
            {
                // 3. a change: fade from what is showing now
                // into or out of silence: the silence fade; into a preview: quick; else the look's own fade or the crossfade
                var fade = key == SilenceKey || _lookKey == SilenceKey ? scenes.Silence.FadeSeconds
                    : key == PreviewKey ? PreviewFadeSeconds
                    : look.FadeSeconds ?? scenes.CrossfadeSeconds;
                if (!_rendered || safeMode)
                {
                    fade = 0;
                }

                Array.Copy(_out, _from, _out.Length);
                _renderer.Bind(look);
                _look = look;
                _fadeStart = now;
                _fadeSeconds = fade;
                if (key != _lookKey)
                {
                    LightingLog.LookChanged(_logger, key, fade);
                }

                _lookKey = key;
            }

            var ctx = new RenderContext(valence, arousal, beatPosition, beatActive, tempo, _movementPhase);
            _movementPhase += dt * _renderer.MovementSpeedHz(ctx, scenes.Modulation);
            if (_movementPhase > 1e6)
            {
                _movementPhase -= Math.Floor(_movementPhase);
            }

            // 4. render and blend
            _renderer.Render(ctx, scenes.Modulation, _to);
            var progress = _fadeSeconds <= 0 ? 1 : Math.Clamp(_time.GetElapsedTime(_fadeStart, now).TotalSeconds / _fadeSeconds, 0, 1);
            if (progress >= 1)
            {
                Array.Copy(_to, _out, _to.Length);
            }
            else
            {
                for (var i = 0; i < _out.Length; i++)
                {
                    _out[i] = FixtureAttributes.Lerp(_from[i], _to[i], progress);
                }
            }

            ApplyGroupOverrides(_out);

            // 5. frames
            for (var u = 0; u < _work.Length; u++)
            {
                Array.Clear(_work[u]);
            }

            _writer.Write(_out, master, _work);
            MergeOverrides();
            if (blackout)
            {
                for (var u = 0; u < _work.Length; u++)
                {
                    var frame = _work[u];
                    var htp = _htp[u];
                    for (var s = 0; s < 512; s++)
                    {
                        if (htp[s])
                        {
                            frame[s] = 0;
                        }
                    }
                }
            }

            for (var u = 0; u < _work.Length; u++)
            {
                var changed = !_work[u].AsSpan().SequenceEqual(_frames.Frames[u]);
                _frames.Changed[u] = changed;
                if (changed)
                {
                    _work[u].CopyTo(_frames.Frames[u].AsSpan());
                }
            }

            _rendered = true;
            Publish(key, forced ?? mood?.Mood, silent && key == SilenceKey, progress, beatActive ? tempo : null);
        }
        else
        {
            _lookKey = key;
            Array.Clear(_frames.Changed);
            Publish(key, forced ?? mood?.Mood, false, 1, beatActive ? tempo : null);
        }

        SendAll(now);
    }

    /// <summary>Logs the safe look going up or coming down (render thread; only when the fault state changed).</summary>
    private void NoteFault(StageFault? now, StageFault? before)
    {
        if (now is not null && (before is null || now.Stage != before.Stage || now.Reason != before.Reason))
        {
            LightingLog.Fault(_logger, _safeLook.ToString().ToLowerInvariant(), $"{now.Stage}: {now.Reason}");
        }
        else if (now is null && before is not null)
        {
            LightingLog.FaultCleared(_logger, before.Stage);
        }
    }

    private void MergeOverrides()
    {
        lock (_gate)
        {
            if (_overrideCount == 0)
            {
                return;
            }

            for (var u = 0; u < _work.Length; u++)
            {
                var o = _overrides[u];
                var frame = _work[u];
                var htp = _htp[u];
                for (var s = 0; s < 512; s++)
                {
                    var v = o[s];
                    if (v >= 0)
                    {
                        // HTP: highest takes precedence; LTP: the override is the latest value
                        frame[s] = htp[s] ? Math.Max(frame[s], (byte)v) : (byte)v;
                    }
                }
            }
        }
    }

    private void Publish(string key, Mood? mood, bool silent, double fade, double? tempo)
    {
        lock (_snapshotGate)
        {
            for (var u = 0; u < _frames.Frames.Length; u++)
            {
                _frames.Frames[u].CopyTo(_published[u], 0);
            }

            Array.Copy(_out, _publishedAttributes, _out.Length);
            _frameCount++;
            _pubLook = key;
            _pubMood = mood?.ToName();
            _pubSilent = silent;
            _pubFade = fade;
            _pubTempo = tempo;
        }
    }

    private void SendAll(long now)
    {
        // a for loop over the array: foreach over an interface would allocate an enumerator every frame
        for (var i = 0; i < _outputs.Length; i++)
        {
            _outputs[i].Send(_frames, now);
        }
    }

    private void Loop()
    {
        if (_options.RealtimePriority > 0)
        {
            if (RealtimeScheduling.TryEnterFifo(_options.RealtimePriority) is { } refused)
            {
                LightingLog.RealtimeRefused(_logger, _options.RealtimePriority, refused);
            }
            else
            {
                LightingLog.RealtimeGranted(_logger, _options.RealtimePriority);
            }
        }

        var freq = (double)_time.TimestampFrequency;
        var period = (long)(freq / _options.RateHz);

        // the first frame compiles the render path (20-40 ms of JIT measured at start-up): the clock starts after it,
        // so that one-off cost is not reported as the loop falling behind
        RenderFrame();
        var next = _time.GetTimestamp() + period;
        var lastLate = long.MinValue;
        while (_run)
        {
            var now = _time.GetTimestamp();
            var remaining = next - now;
            if (remaining > 0)
            {
                WaitUntil(next);
            }
            else if (-remaining > period)
            {
                // fell behind by more than a frame: skip to the next slot rather than burst
                if (lastLate == long.MinValue || _time.GetElapsedTime(lastLate, now) > TimeSpan.FromSeconds(10))
                {
                    LightingLog.FellBehind(_logger, -remaining * 1000.0 / freq);
                    lastLate = now;
                }

                next = now;
            }

            if (!_run)
            {
                break;
            }

            RenderFrame();
            next += period;
        }

        Debug.Assert(!_run || _disposed, "loop left while running");
    }

    /// <summary>
    /// Waits for a timestamp of the engine's clock. On Linux a relative nanosleep (sub-millisecond, no spinning: the
    /// kernel's default timer slack is 50 µs); elsewhere Thread.Sleep to within a millisecond, then yielding.
    /// </summary>
    private void WaitUntil(long next)
    {
        var freq = _time.TimestampFrequency;
        while (true)
        {
            var remaining = next - _time.GetTimestamp();
            if (remaining <= 0 || !_run)
            {
                return;
            }

            if (OperatingSystem.IsLinux())
            {
                var ns = (long)(remaining * (1e9 / freq));
                var ts = new TimeSpec { Seconds = (nint)(ns / 1_000_000_000), Nanoseconds = (nint)(ns % 1_000_000_000) };
                _ = NanoSleep(in ts, IntPtr.Zero);
                continue;
            }

            var ms = (int)(remaining * 1000 / freq) - 1;
            if (ms > 0)
            {
                Thread.Sleep(ms);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, IntPtr remaining);

    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }
}
