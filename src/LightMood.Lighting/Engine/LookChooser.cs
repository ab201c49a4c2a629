using LightMood.Lighting.Scenes;

namespace LightMood.Lighting.Engine;

/// <summary>
/// Which look a frame shows: the one place the look is chosen (a new kind of look, e.g. a variation per section of the
/// music, goes here). Precedence, highest first: the safe look while a stage is faulted or the engine stops (hold the
/// last frame, the house look, or blackout of what shows) unless an operator forces a mood; a preview; house lights;
/// silence (after the scenes' grace time); the forced mood; the analysed mood, varied for the current section of the
/// music (<see cref="SectionLooks"/>). Pure and allocation-free.
/// </summary>
internal static class LookChooser
{
    public const string SilenceKey = "silence";
    public const string HouseKey = "house";
    public const string PreviewKey = "preview";
    public const string HoldKey = "hold";
    public const string BlackoutKey = "blackout";

    public static ChosenLook Choose(in LookRequest r)
    {
        if (r.SafeMode && r.SafeLook == SafeLook.Hold && r.Rendered)
        {
            return new ChosenLook(HoldKey, null, false);     // nothing new is rendered: the last frames are resent
        }

        if (r.SafeMode && r.SafeLook == SafeLook.House)
        {
            return new ChosenLook(HouseKey, r.Scenes.House, false);
        }

        if (r.SafeMode && r.SafeLook == SafeLook.Blackout)
        {
            return new ChosenLook(BlackoutKey, r.Showing, true); // positions kept: only intensity goes to zero
        }

        if (r.Preview is not null && !r.SafeMode)
        {
            return new ChosenLook(PreviewKey, r.Preview, false);
        }

        if (r.House && !r.SafeMode)
        {
            return new ChosenLook(HouseKey, r.Scenes.House, false);
        }

        if (r.Silent)
        {
            return new ChosenLook(SilenceKey, r.Scenes.Silence.Look, false);
        }

        // not silent means a forced mood or an estimate; a new section of the music within its mood varies the look
        var mood = r.Forced ?? r.Mood!.Mood;
        return new ChosenLook(mood.ToName(), r.Forced is null && r.SectionLook is { } varied ? varied : r.Scenes.LookFor(mood), false, r.Scenes.MoodModulation is { } own && own.TryGetValue(mood, out var m) ? m : null);
    }
}

/// <summary>What the look choice reads for one frame.</summary>
/// <param name="Scenes">The looks.</param>
/// <param name="Mood">The latest estimate, null before the first.</param>
/// <param name="Forced">The operator's forced mood, if any.</param>
/// <param name="Silent">Silent for longer than the grace time (never while a mood is forced).</param>
/// <param name="SafeMode">A stage is faulted and no mood is forced, or the engine is stopping.</param>
/// <param name="SafeLook">Which safe look.</param>
/// <param name="Rendered">A frame was rendered before (hold needs one to hold).</param>
/// <param name="Showing">The look showing now (blackout keeps its positions).</param>
/// <param name="Preview">An unsaved look under preview, if any.</param>
/// <param name="House">House lights on.</param>
/// <param name="SectionLook">The analysed mood's look varied for the current section of the music (<see cref="SectionLooks"/>), if any.</param>
internal readonly record struct LookRequest(
    SceneBook Scenes, MoodState? Mood, Mood? Forced, bool Silent, bool SafeMode, SafeLook SafeLook, bool Rendered, MoodLook? Showing, MoodLook? Preview, bool House, MoodLook? SectionLook = null);

/// <summary>The look chosen for a frame.</summary>
/// <param name="Key">Its name on the page and in the log: a mood, <c>silence</c>, <c>house</c>, <c>preview</c>, <c>hold</c> or <c>blackout</c>.</param>
/// <param name="Look">The look to render, or null to resend the last frames.</param>
/// <param name="Blackout">Zero the intensity channels (the blackout safe look).</param>
/// <param name="Modulation">The mood mapping's own modulation; null: the scenes' (silence, house, preview, safe looks).</param>
internal readonly record struct ChosenLook(string Key, MoodLook? Look, bool Blackout, Modulation? Modulation = null);
