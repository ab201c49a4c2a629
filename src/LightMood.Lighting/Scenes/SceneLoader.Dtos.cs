using System.Text.Json.Serialization;

namespace LightMood.Lighting.Scenes;

/// <summary>The scenes file's JSON shape (the schema baseline test checks these against scenes.schema.json).</summary>
public static partial class SceneLoader
{
    private sealed class ScenesDto
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; set; }

        public double CrossfadeSeconds { get; set; } = 2;

        public double BeatTimeoutSeconds { get; set; } = 3;

        public ModulationDto? Modulation { get; set; }

        public SilenceDto? Silence { get; set; }

        public LookDto? House { get; set; }

        public Dictionary<string, LookDto>? Moods { get; set; }
    }

    private sealed class ModulationDto
    {
        public double ArousalIntensity { get; set; } = 0.25;

        public double ArousalSpeed { get; set; } = 0.5;

        public double ValenceWarmth { get; set; } = 0.3;
    }

    private sealed class SilenceDto
    {
        public double EnergyThreshold { get; set; } = 0.02;

        public double GraceSeconds { get; set; } = 4;

        public double FadeSeconds { get; set; } = 3;

        public LookDto? Look { get; set; }
    }

    private sealed class LookDto
    {
        public double Intensity { get; set; } = 1;

        public Dictionary<string, List<string>>? Palette { get; set; }

        public MovementDto? Movement { get; set; }

        public double PulseDepth { get; set; }

        public double ChaseStepsPerBeat { get; set; }

        public StrobeDto? Strobe { get; set; }

        public double Uv { get; set; }

        public double? FadeSeconds { get; set; }

        public SectionsDto? Sections { get; set; }
    }

    private sealed class SectionsDto
    {
        public int PaletteStep { get; set; } = 1;

        public List<double>? Chases { get; set; }

        public double? FadeSeconds { get; set; }

        public AccentDto? Accent { get; set; }
    }

    private sealed class AccentDto
    {
        public double Intensity { get; set; } = 1.0;

        public double Seconds { get; set; } = 0.3;
    }

    private sealed class MovementDto
    {
        public string? Pattern { get; set; } = "none";

        public double SpeedHz { get; set; } = 0.1;

        public double BeatsPerCycle { get; set; }

        public double Pan { get; set; } = 0.5;

        public double Tilt { get; set; } = 0.5;

        public double PanRange { get; set; } = 0.2;

        public double TiltRange { get; set; } = 0.1;

        public double Spread { get; set; } = 0.25;
    }

    private sealed class StrobeDto
    {
        public bool Allowed { get; set; }

        public double MaxRateHz { get; set; }

        public double ArousalAbove { get; set; } = 0.7;
    }
}
