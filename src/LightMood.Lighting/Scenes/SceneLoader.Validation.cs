using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Scenes;

/// <summary>
/// A look checked against the patch and the ranges of <c>config/schemas/scenes.schema.json</c> (<see cref="SceneRanges"/>:
/// the schema is the one source of the ranges), every problem at once.
/// </summary>
public static partial class SceneLoader
{
    /// <summary>Checks a look built in code (scene edits from the web page) against the patch; throws with every problem.</summary>
    public static void Validate(MoodLook look, string where, Patch patch)
    {
        var errors = new List<string>();
        ValidateLook(look, where, patch, errors);
        if (errors.Count > 0)
        {
            throw new LightingConfigException(errors);
        }
    }

    private static void ValidateLook(MoodLook look, string where, Patch patch, List<string> errors)
    {
        SceneRanges.Check(errors, $"{where}.intensity", look.Intensity, "look.intensity");
        SceneRanges.Check(errors, $"{where}.pulseDepth", look.PulseDepth, "look.pulseDepth");
        SceneRanges.Check(errors, $"{where}.chaseStepsPerBeat", look.ChaseStepsPerBeat, "look.chaseStepsPerBeat");
        SceneRanges.Check(errors, $"{where}.uv", look.Uv, "look.uv");
        if (look.FadeSeconds is { } fade)
        {
            SceneRanges.Check(errors, $"{where}.fadeSeconds", fade, "look.fadeSeconds");
        }

        if (look.Sections is { } sections)
        {
            SceneRanges.Check(errors, $"{where}.sections.paletteStep", sections.PaletteStep, "look.sections.paletteStep");
            for (var i = 0; i < (sections.Chases?.Count ?? 0); i++)
            {
                // a chase speed: the range of the look's own chaseStepsPerBeat
                SceneRanges.Check(errors, $"{where}.sections.chases[{i}]", sections.Chases![i], "look.chaseStepsPerBeat");
            }

            if (sections.FadeSeconds is { } sectionFade)
            {
                SceneRanges.Check(errors, $"{where}.sections.fadeSeconds", sectionFade, "look.sections.fadeSeconds");
            }

            if (sections.Accent is { } accent)
            {
                SceneRanges.Check(errors, $"{where}.sections.accent.intensity", accent.Intensity, "look.sections.accent.intensity");
                SceneRanges.Check(errors, $"{where}.sections.accent.seconds", accent.Seconds, "look.sections.accent.seconds");
            }
        }

        var m = look.Movement;
        SceneRanges.Check(errors, $"{where}.movement.speedHz", m.SpeedHz, "look.movement.speedHz");
        SceneRanges.Check(errors, $"{where}.movement.beatsPerCycle", m.BeatsPerCycle, "look.movement.beatsPerCycle");
        SceneRanges.Check(errors, $"{where}.movement.pan", m.Pan, "look.movement.pan");
        SceneRanges.Check(errors, $"{where}.movement.tilt", m.Tilt, "look.movement.tilt");
        SceneRanges.Check(errors, $"{where}.movement.panRange", m.PanRange, "look.movement.panRange");
        SceneRanges.Check(errors, $"{where}.movement.tiltRange", m.TiltRange, "look.movement.tiltRange");
        SceneRanges.Check(errors, $"{where}.movement.spread", m.Spread, "look.movement.spread");
        var s = look.StrobeOrOff;
        SceneRanges.Check(errors, $"{where}.strobe.maxRateHz", s.MaxRateHz, "look.strobe.maxRateHz");
        SceneRanges.Check(errors, $"{where}.strobe.arousalAbove", s.ArousalAbove, "look.strobe.arousalAbove");
        if (s.Allowed && s.MaxRateHz <= 0)
        {
            errors.Add($"{where}.strobe.maxRateHz: must be > 0 when the strobe is allowed");
        }

        foreach (var (group, colours) in look.Palettes)
        {
            if (group != MoodLook.AnyGroup && !patch.Groups.Contains(group, StringComparer.Ordinal))
            {
                errors.Add($"{where}.palette.{group}: group '{group}' is not in the patch (groups: {string.Join(", ", patch.Groups)})");
            }

            if (colours.Count == 0)
            {
                errors.Add($"{where}.palette.{group}: needs at least one colour");
            }
        }
    }
}
