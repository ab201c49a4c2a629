using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Output;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Output.Sacn;
using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightMood.Lighting.Engine;

/// <summary>
/// The lighting engine: takes the analysis' estimates and beats and the operator's desk, and renders every universe at
/// a steady rate to the outputs. Each frame: the inputs are read, <see cref="LookChooser"/> picks the look (safe look
/// while a stage is faulted, preview, house, silence, forced or analysed mood), <see cref="LookMixer"/> renders and
/// crossfades it with the <see cref="BeatClock"/> and the valence/arousal modulation, a new section's accent flashes
/// (<see cref="SectionAccentFlash"/>), the group overrides apply, the
/// <see cref="DmxWriter"/> writes 512-slot frames, the <see cref="OverrideTable"/> merges the channel overrides (HTP
/// for intensity, LTP otherwise) and blackout, the frame set goes to every output and the
/// <see cref="FramePublisher"/> keeps a copy for readers. The <see cref="RenderLoop"/> paces it on its own thread.
/// Per frame it allocates nothing. Inputs are thread-safe and may come from any thread. The faults it observes are
/// the host's (<see cref="StageHealth"/>).
/// </summary>
public sealed partial class LightingEngine : IDisposable
{
    /// <summary>The stage name under which the engine reports its own render failures to <see cref="StageHealth"/>.</summary>
    public const string RenderStage = "render";

    private readonly Lock _gate = new();
    private readonly LightingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDmxOutput[] _outputs;
    private readonly DmxFrameSet _frames;
    private readonly byte[][] _work;
    private readonly DmxWriter _writer;
    private readonly int[] _sacnUniverses;
    private readonly StageHealth _health;
    private readonly BeatClock _beats;
    private readonly OverrideTable _overrides;
    private readonly GroupOverrides _groups;
    private readonly LookMixer _mixer;
    private readonly SectionLooks _sections = new();
    private readonly SectionAccentFlash _accent;
    private readonly FramePublisher _publisher;
    private readonly RenderLoop _loop;

    // inputs (guarded by _gate)
    private SceneBook _scenes;
    private MoodState? _mood;
    private Mood? _forced;
    private long _silentSince = long.MinValue;
    private bool _stopping;

    // render thread only
    private StageFault? _shownFault;
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
        _work = new byte[_frames.Universes.Length][];
        for (var i = 0; i < _work.Length; i++)
        {
            _work[i] = new byte[512];
        }

        _writer = new DmxWriter(patch, [.. patch.Fixtures.Select(f => _frames.IndexOf(f.Universe))]);
        _sacnUniverses = [.. _frames.Universes.Select(options.Sacn.Map)];
        _beats = new BeatClock(_time, options.BeatOffsetSeconds);
        _overrides = new OverrideTable(patch, _frames);
        _groups = new GroupOverrides(patch);
        _mixer = new LookMixer(patch, _time, options.ModulationSmoothingSeconds, _logger);
        _accent = new SectionAccentFlash(_time);
        _publisher = new FramePublisher(_frames.Universes.Length, patch.Fixtures.Count);
        _loop = new RenderLoop(RenderFrame, _time, options.RateHz, options.RealtimePriority, _logger);
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

    public long FrameCount => _publisher.FrameCount;

    // ---------------------------------------------------------------- the analysis' inputs

    /// <summary>A new estimate from the analysis (mood, valence, arousal, energy, tempo).</summary>
    public void UpdateMood(MoodState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state = FiniteEstimate.Of(state);
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _mood = state;
            _sections.Update(state, _scenes);
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
    public void OnBeat(Beat beat, TimeSpan age = default) => _beats.OnBeat(beat, age);

    // ---------------------------------------------------------------- loop

    /// <summary>Starts the render thread.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_stopping)
        {
            throw new InvalidOperationException("the engine was stopped (its sACN streams are terminated); create a new one");
        }

        if (_loop.Started)
        {
            return;
        }

        _loop.Start();
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
        _loop.Stop();
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

        LightingLog.EngineStopped(_logger, SafeLookNow.ToString().ToLowerInvariant());
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

        _publisher.CopyFrame(i, destination);
        return true;
    }

    /// <summary>The state after the last frame: frames per universe and the per-fixture preview (allocates; for the web page).</summary>
    public LightingSnapshot GetSnapshot()
    {
        SnapshotContext context;
        lock (_gate)
        {
            context = new SnapshotContext(
                Patch, _frames.Universes, _sacnUniverses, _options.ArtNet.UniverseOffset, _time.GetUtcNow(), _forced is not null, _blackout, _master,
                _house, _preview is not null, _scenes.CrossfadeSeconds, _options.RateHz, _health.First);
        }

        return _publisher.Snapshot(context);
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

    private void RenderCore(long now)
    {
        // 1. inputs
        var standing = _health.First;
        if (!ReferenceEquals(standing, _shownFault))
        {
            NoteFault(standing, _shownFault);
            _shownFault = standing;
        }

        LookRequest request;
        SectionAccent? newAccent;
        bool blackout;
        double master;
        lock (_gate)
        {
            var (house, preview) = ReadDeskInputs(now);
            var scenes = _scenes;
            var silent = _forced is null && (_mood is null || (_silentSince != long.MinValue && _time.GetElapsedTime(_silentSince, now).TotalSeconds >= scenes.Silence.GraceSeconds));
            // an operator's explicit choice beats an analysis fault: a forced mood renders while a stage is faulted
            var safeMode = (standing is not null && _forced is null) || _stopping;
            var sectionLook = _forced is null && _mood is { } m ? _sections.LookFor(m.Mood, scenes) : null;
            request = new LookRequest(scenes, _mood, _forced, silent, safeMode, _safeLook, _mixer.Rendered, _mixer.Showing, preview, house, sectionLook);
            newAccent = _sections.TakeAccent();
            blackout = _blackout;
            master = _master;
        }

        _groups.TakeFrame();
        var beat = _beats.Read(now, request.Scenes.BeatTimeoutSeconds);
        // the beat clock's tempo; without beats the analysis' tempo still sets beat-locked movement speed
        var tempo = beat.Active ? beat.TempoBpm : request.Mood?.TempoBpm ?? 0;

        // 2. which look
        var chosen = LookChooser.Choose(request);
        var (dt, valence, arousal) = _mixer.Advance(now, request.Mood, request.Forced);
        var mood = request.Forced ?? request.Mood?.Mood;
        if (chosen.Look is null)
        {
            _mixer.Hold(chosen.Key);
            _accent.Cancel();
            Array.Clear(_frames.Changed);
            _publisher.Publish(_frames, _mixer.Shown(), chosen.Key, mood, false, 1, beat.Active ? tempo : null);
            SendAll(now);
            return;
        }

        // 3. render and crossfade, then the group overrides
        var progress = _mixer.Mix(now, dt, chosen, request.Scenes, request.SafeMode, valence, arousal, beat, tempo);
        // a new section within the mood: the accent flashes on its first beat while the section's look shows
        if (request.SafeMode || request.SectionLook is null || !ReferenceEquals(chosen.Look, request.SectionLook))
        {
            _accent.Cancel();
        }
        else if (newAccent is not null)
        {
            _accent.Arm(newAccent, beat);
        }

        _accent.Apply(now, beat, _mixer.Output);
        _groups.Apply(_mixer.Output);

        // 4. frames: the writer, the channel overrides, blackout
        for (var u = 0; u < _work.Length; u++)
        {
            Array.Clear(_work[u]);
        }

        _writer.Write(_mixer.Output, _mixer.Levels, _mixer.Weights, master, _work);
        _overrides.MergeInto(_work);
        if (blackout || chosen.Blackout)
        {
            _overrides.Blackout(_work);
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

        _mixer.MarkRendered();
        _publisher.Publish(_frames, _mixer.Shown(), chosen.Key, mood, request.Silent && chosen.Key == LookChooser.SilenceKey, progress, beat.Active ? tempo : null);
        SendAll(now);
    }

    /// <summary>Logs the safe look going up or coming down (render thread; only when the fault state changed).</summary>
    private void NoteFault(StageFault? now, StageFault? before)
    {
        if (now is not null && (before is null || now.Stage != before.Stage || now.Reason != before.Reason))
        {
            LightingLog.Fault(_logger, SafeLookNow.ToString().ToLowerInvariant(), $"{now.Stage}: {now.Reason}");
        }
        else if (now is null && before is not null)
        {
            LightingLog.FaultCleared(_logger, before.Stage);
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
}
