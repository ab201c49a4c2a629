using LightMood.Lighting.Scenes;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Engine;

/// <summary>
/// Renders the chosen look into fixture attributes and crossfades on a change: from what showed at the moment of the
/// change to the new look, over the silence fade (into or out of silence), the quick preview fade, the look's own fade
/// or the scenes' crossfade; at once for the first frame and for a safe look. It also smooths the valence/arousal
/// modulation (first-order low-pass) and advances the movement phase. Render thread only; allocation-free.
/// </summary>
internal sealed class LookMixer(Fixtures.Patch patch, TimeProvider time, double smoothingSeconds, ILogger logger)
{
    private readonly LookRenderer _renderer = new(patch);
    private readonly FixtureAttributes[] _from = new FixtureAttributes[patch.Fixtures.Count];
    private readonly FixtureAttributes[] _to = new FixtureAttributes[patch.Fixtures.Count];
    private readonly FixtureAttributes[] _out = new FixtureAttributes[patch.Fixtures.Count];
    private string _key = "";
    private MoodLook? _look;
    private long _fadeStart;
    private double _fadeSeconds;
    private double _movementPhase;
    private double _valence;
    private double _arousal;
    private long _lastFrameAt = long.MinValue;

    /// <summary>A frame was rendered (and written) before.</summary>
    public bool Rendered { get; private set; }

    /// <summary>The look showing now (null before the first).</summary>
    public MoodLook? Showing => _look;

    /// <summary>The attributes of the last mix, per patch fixture.</summary>
    public FixtureAttributes[] Output => _out;

    /// <summary>
    /// Starts a frame: the seconds since the previous one, and the modulation for it: the estimate's valence and
    /// arousal (a forced mood sits at its quadrant's centre, not at the analysis' opposite corner), smoothed.
    /// </summary>
    public (double Dt, double Valence, double Arousal) Advance(long now, MoodState? mood, Mood? forced)
    {
        var dt = _lastFrameAt == long.MinValue ? 0 : time.GetElapsedTime(_lastFrameAt, now).TotalSeconds;
        _lastFrameAt = now;
        var valence = mood?.Valence ?? 0;
        var arousal = mood?.Arousal ?? 0;
        if (forced is { } f && mood?.Mood != f)
        {
            valence = f.ValenceSign() * 0.5;
            arousal = f.ArousalSign() * 0.5;
        }

        // bursty estimates are smoothed (time constant ModulationSmoothingSeconds)
        if (Rendered && smoothingSeconds > 0 && double.IsFinite(_valence) && double.IsFinite(_arousal))
        {
            var k = 1 - Math.Exp(-dt / smoothingSeconds);
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
    /// Renders <paramref name="chosen"/> (its look not null) into <see cref="Output"/>, fading from what showed when
    /// it changed; returns the fade's progress 0..1.
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

            Array.Copy(_out, _from, _out.Length);
            _renderer.Bind(look);
            _look = look;
            _fadeStart = now;
            _fadeSeconds = fade;
            if (key != _key)
            {
                LightingLog.LookChanged(logger, key, fade);
            }

            _key = key;
        }

        var ctx = new RenderContext(valence, arousal, beat.Position, beat.Active, tempo, _movementPhase);
        _movementPhase += dt * _renderer.MovementSpeedHz(ctx, scenes.Modulation);
        if (_movementPhase > 1e6)
        {
            _movementPhase -= Math.Floor(_movementPhase);
        }

        _renderer.Render(ctx, scenes.Modulation, _to);
        var progress = _fadeSeconds <= 0 ? 1 : Math.Clamp(time.GetElapsedTime(_fadeStart, now).TotalSeconds / _fadeSeconds, 0, 1);
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

        return progress;
    }

    /// <summary>The mix reached the frames.</summary>
    public void MarkRendered() => Rendered = true;

    /// <summary>Nothing new is rendered this frame (hold): only the key is noted.</summary>
    public void Hold(string key) => _key = key;
}
