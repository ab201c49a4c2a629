using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Engine;

/// <summary>
/// Renders the chosen look into fixture attributes and crossfades on a change: from what showed at the moment of the
/// change to the new look, over the silence fade (into or out of silence), the quick preview fade, the look's own fade
/// or the scenes' crossfade; at once for the first frame and for a safe look. A static channel scene is a layer of raw
/// levels over the attributes (<see cref="Levels"/>, <see cref="Weights"/>), faded slot by slot, so any two scenes
/// crossfade; a chase shows its steps in turn (by the beat, or by time), each fading into the next over the chase's
/// fade. It also smooths the valence/arousal modulation (first-order low-pass) and advances the movement phase.
/// Render thread only; allocation-free.
/// </summary>
internal sealed class LookMixer
{
    private static readonly MoodLook Dark = MoodLook.Static(0, Rgb.Black);
    private readonly Fixtures.Patch _patch;
    private readonly TimeProvider _time;
    private readonly double _smoothingSeconds;
    private readonly ILogger _logger;
    private readonly LookRenderer _renderer;
    private readonly FixtureAttributes[] _from;
    private readonly FixtureAttributes[] _to;
    private readonly FixtureAttributes[] _out;
    private readonly double[] _fromLevels;
    private readonly double[] _fromWeights;
    private readonly double[] _toLevels;
    private readonly double[] _toWeights;
    private readonly double[] _levels;
    private readonly double[] _weights;
    private readonly bool[] _fromCovered;
    private readonly FixtureAttributes[] _shown;
    private string _key = "";
    private MoodLook? _look;
    private MoodLook? _step;
    private int _stepIndex;
    private long _lookStart;
    private long _fadeStart;
    private double _fadeSeconds;
    private double _movementPhase;
    private double _valence;
    private double _arousal;
    private long _lastFrameAt = long.MinValue;

    public LookMixer(Fixtures.Patch patch, TimeProvider time, double smoothingSeconds, ILogger logger)
    {
        _patch = patch;
        _time = time;
        _smoothingSeconds = smoothingSeconds;
        _logger = logger;
        _renderer = new LookRenderer(patch);
        var n = patch.Fixtures.Count;
        _from = new FixtureAttributes[n];
        _to = new FixtureAttributes[n];
        _out = new FixtureAttributes[n];
        _fromCovered = new bool[n];
        _shown = new FixtureAttributes[n];
        var slots = patch.Fixtures.Sum(f => f.Footprint);
        _fromLevels = new double[slots];
        _fromWeights = new double[slots];
        _toLevels = new double[slots];
        _toWeights = new double[slots];
        _levels = new double[slots];
        _weights = new double[slots];
    }

    /// <summary>A frame was rendered (and written) before.</summary>
    public bool Rendered { get; private set; }

    /// <summary>The look showing now (null before the first).</summary>
    public MoodLook? Showing => _look;

    /// <summary>The attributes of the last mix, per patch fixture.</summary>
    public FixtureAttributes[] Output => _out;

    /// <summary>Raw DMX levels (0..255) per slot of the rig in patch order, over <see cref="Output"/> by <see cref="Weights"/>.</summary>
    public double[] Levels => _levels;

    /// <summary>Per slot, how much of <see cref="Levels"/> replaces what <see cref="Output"/> renders (0..1).</summary>
    public double[] Weights => _weights;

    /// <summary>
    /// What each fixture shows, for the page's preview: <see cref="Output"/> (after the group overrides), blended with
    /// the raw <see cref="Levels"/> read back as attributes (dimmer, colour emitters, pan and tilt) by their weight.
    /// </summary>
    public FixtureAttributes[] Shown()
    {
        var offset = 0;
        for (var i = 0; i < _shown.Length; i++)
        {
            var mode = _patch.Fixtures[i].Mode;
            var footprint = mode.Footprint;
            var weight = 0.0;
            for (var c = 0; c < footprint; c++)
            {
                weight += _weights[offset + c];
            }

            weight = footprint > 0 ? weight / footprint : 0;
            _shown[i] = weight <= 0 ? _out[i] : FixtureAttributes.Lerp(_out[i], ReadBack(mode, _levels.AsSpan(offset, footprint)), Math.Min(weight, 1));
            offset += footprint;
        }

        return _shown;
    }

    /// <summary>
    /// Starts a frame: the seconds since the previous one, and the modulation for it: the estimate's valence and
    /// arousal (a forced mood sits at its quadrant's centre, not at the analysis' opposite corner), smoothed.
    /// </summary>
    public (double Dt, double Valence, double Arousal) Advance(long now, MoodState? mood, Mood? forced)
    {
        var dt = _lastFrameAt == long.MinValue ? 0 : _time.GetElapsedTime(_lastFrameAt, now).TotalSeconds;
        _lastFrameAt = now;
        var valence = mood?.Valence ?? 0;
        var arousal = mood?.Arousal ?? 0;
        if (forced is { } f && mood?.Mood != f)
        {
            valence = f.ValenceSign() * 0.5;
            arousal = f.ArousalSign() * 0.5;
        }

        // bursty estimates are smoothed (time constant ModulationSmoothingSeconds)
        if (Rendered && _smoothingSeconds > 0 && double.IsFinite(_valence) && double.IsFinite(_arousal))
        {
            var k = 1 - Math.Exp(-dt / _smoothingSeconds);
            _valence += (valence - _valence) * k;
            _arousal += (arousal - _arousal) * k;
        }
        else
        {
            _valence = valence;
            _arousal = arousal;
        }

        return (dt, _valence, _arousal);
    }

    /// <summary>
    /// Renders <paramref name="chosen"/> (its look not null) into <see cref="Output"/>, <see cref="Levels"/> and
    /// <see cref="Weights"/>, fading from what showed when it changed; returns the fade's progress 0..1.
    /// </summary>
    public double Mix(long now, double dt, in ChosenLook chosen, SceneBook scenes, bool safeMode, double valence, double arousal, in BeatReading beat, double tempo)
    {
        var look = chosen.Look!;
        var key = chosen.Key;
        if (!ReferenceEquals(look, _look) || key != _key)
        {
            var fade = key == LookChooser.SilenceKey || _key == LookChooser.SilenceKey ? scenes.Silence.FadeSeconds
                : key == LookChooser.PreviewKey ? LightingEngine.PreviewFadeSeconds
                : look.FadeSeconds ?? scenes.CrossfadeSeconds;
            if (!Rendered || safeMode)
            {
                fade = 0;
            }

            _look = look;
            _lookStart = now;
            _stepIndex = ChaseStep(look, now, beat);
            BeginFade(StepLook(look, _stepIndex), now, fade);
            if (key != _key)
            {
                LightingLog.LookChanged(_logger, key, fade);
            }

            _key = key;
        }
        else if (look.Chase is { } chase && ChaseStep(look, now, beat) is var step && step != _stepIndex)
        {
            // the chase moves on: fade from what shows into the next step
            _stepIndex = step;
            BeginFade(StepLook(look, step), now, safeMode ? 0 : chase.FadeSeconds);
        }

        var modulation = chosen.Modulation ?? scenes.Modulation;
        var progress = _fadeSeconds <= 0 ? 1 : Math.Clamp(_time.GetElapsedTime(_fadeStart, now).TotalSeconds / _fadeSeconds, 0, 1);
        if (_step!.Channels is { } channels)
        {
            // raw DMX: the attributes stay as they were (the levels cover every slot), no modulation
            Array.Copy(_from, _to, _to.Length);
            var levels = channels.Levels;
            for (var i = 0; i < _toLevels.Length; i++)
            {
                _toLevels[i] = i < levels.Length ? levels[i] : 0;
                _toWeights[i] = i < levels.Length ? 1 : 0;
            }
        }
        else
        {
            var ctx = new RenderContext(valence, arousal, beat.Position, beat.Active, tempo, _movementPhase);
            _movementPhase += dt * _renderer.MovementSpeedHz(ctx, modulation);
            if (_movementPhase > 1e6)
            {
                _movementPhase -= Math.Floor(_movementPhase);
            }

            _renderer.Render(ctx, modulation, _to);
            Array.Clear(_toWeights);
        }

        for (var i = 0; i < _out.Length; i++)
        {
            _out[i] = progress >= 1 || _fromCovered[i] ? _to[i] : FixtureAttributes.Lerp(_from[i], _to[i], progress);
        }

        for (var i = 0; i < _levels.Length; i++)
        {
            var wFrom = _fromWeights[i] * (1 - progress);
            var wTo = _toWeights[i] * progress;
            var w = wFrom + wTo;
            _weights[i] = w;
            _levels[i] = w > 0 ? ((wFrom * _fromLevels[i]) + (wTo * _toLevels[i])) / w : 0;
        }

        return progress;
    }

    /// <summary>The mix reached the frames.</summary>
    public void MarkRendered() => Rendered = true;

    /// <summary>Nothing new is rendered this frame (hold): only the key is noted.</summary>
    public void Hold(string key) => _key = key;

    /// <summary>Starts fading from what shows now into <paramref name="step"/> over <paramref name="seconds"/>.</summary>
    private void BeginFade(MoodLook step, long now, double seconds)
    {
        Array.Copy(_out, _from, _out.Length);
        Array.Copy(_levels, _fromLevels, _levels.Length);
        Array.Copy(_weights, _fromWeights, _weights.Length);
        var offset = 0;
        for (var i = 0; i < _fromCovered.Length; i++)
        {
            // a fixture wholly under raw levels: its attributes show nothing, so the new look's come in as they are
            var footprint = _patch.Fixtures[i].Footprint;
            var covered = footprint > 0;
            for (var c = 0; c < footprint && covered; c++)
            {
                covered = _fromWeights[offset + c] >= 1;
            }

            _fromCovered[i] = covered;
            offset += footprint;
        }

        _step = step;
        if (step.Channels is null)
        {
            _renderer.Bind(step);
        }

        _fadeStart = now;
        _fadeSeconds = seconds;
    }

    /// <summary>The step of a chase showing at <paramref name="now"/>: by the beat while it runs and the chase locks to it, else by its hold time.</summary>
    private int ChaseStep(MoodLook look, long now, in BeatReading beat)
    {
        if (look.Chase is not { Looks.Count: > 0 } chase)
        {
            return 0;
        }

        var position = chase.StepsPerBeat > 0 && beat.Active
            ? beat.Position * chase.StepsPerBeat
            : _time.GetElapsedTime(_lookStart, now).TotalSeconds / Math.Max(chase.HoldSeconds, 1e-3);
        var step = (long)Math.Floor(position + 1e-9) % chase.Looks.Count;
        return (int)(step < 0 ? step + chase.Looks.Count : step);
    }

    /// <summary>Raw levels as attributes: the dimmer (or the brightest emitter) as intensity, the emitters (white added) as the colour, 16-bit pan and tilt.</summary>
    private static FixtureAttributes ReadBack(Fixtures.FixtureMode mode, ReadOnlySpan<double> levels)
    {
        double dimmer = -1, r = 0, g = 0, b = 0, w = 0, pan = 0.5, tilt = 0.5, panFine = 0, tiltFine = 0;
        var channels = mode.Channels;
        for (var c = 0; c < channels.Count; c++)
        {
            var v = levels[c] / 255;
            switch (channels[c].Kind)
            {
                case Fixtures.ChannelKind.Intensity: dimmer = Math.Max(dimmer, v); break;
                case Fixtures.ChannelKind.Red: r = v; break;
                case Fixtures.ChannelKind.Green: g = v; break;
                case Fixtures.ChannelKind.Blue: b = v; break;
                case Fixtures.ChannelKind.White: w = v; break;
                case Fixtures.ChannelKind.Pan: pan = v; break;
                case Fixtures.ChannelKind.PanFine: panFine = v / 256; break;
                case Fixtures.ChannelKind.Tilt: tilt = v; break;
                case Fixtures.ChannelKind.TiltFine: tiltFine = v / 256; break;
                default: break;
            }
        }

        r = Math.Min(1, r + w);
        g = Math.Min(1, g + w);
        b = Math.Min(1, b + w);
        var brightest = Math.Max(r, Math.Max(g, b));
        var intensity = dimmer >= 0 ? dimmer : brightest;
        var scale = dimmer >= 0 || brightest <= 0 ? 1 : 1 / brightest;   // without a dimmer the emitters carry the level
        return new FixtureAttributes { Intensity = intensity, R = r * scale, G = g * scale, B = b * scale, Pan = Math.Min(1, pan + panFine), Tilt = Math.Min(1, tilt + tiltFine) };
    }

    private static MoodLook StepLook(MoodLook look, int step) =>
        look.Chase is { } chase ? (chase.Looks.Count > 0 ? chase.Looks[step] : Dark) : look;
}
