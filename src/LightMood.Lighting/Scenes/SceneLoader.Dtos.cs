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

        /// <summary>The old format (one look per mood): migrated on load to a library and the preset "default".</summary>
        public SilenceDto? Silence { get; set; }

        /// <summary>The old format's house look.</summary>
        public LookDto? House { get; set; }

        /// <summary>The old format's looks per mood.</summary>
        public Dictionary<string, LookDto>? Moods { get; set; }

        public Dictionary<string, LookDto>? Library { get; set; }

        public Dictionary<string, PresetDto>? Presets { get; set; }

        public string? ActivePreset { get; set; }
    }

    private sealed class PresetDto
    {
        public Dictionary<string, MoodMappingDto>? Moods { get; set; }

        public PresetSilenceDto? Silence { get; set; }

        public string? House { get; set; }
    }

    private sealed class MoodMappingDto
    {
        public List<string>? Scenes { get; set; }

        public ModulationChangeDto? Modulation { get; set; }
    }

    private sealed class ModulationChangeDto
    {
        public double? ArousalIntensity { get; set; }

        public double? ArousalSpeed { get; set; }

        public double? ValenceWarmth { get; set; }
    }

    private sealed class PresetSilenceDto
    {
        public string? Scene { get; set; }

        public double EnergyThreshold { get; set; } = 0.02;

        public double GraceSeconds { get; set; } = 4;

        public double FadeSeconds { get; set; } = 3;
    }

    private sealed class ChaseDto
    {
        public List<string>? Steps { get; set; }

        public double HoldSeconds { get; set; } = 1;

        public double FadeSeconds { get; set; }

        public double StepsPerBeat { get; set; }
    }

    /// <summary>The scenes file as a save writes it (the library's scenes each as their own kind).</summary>
    private sealed class ShowFileDto
    {
        [JsonPropertyName("$schema")]
        public string Schema { get; set; } = "schemas/scenes.schema.json";

        public double CrossfadeSeconds { get; set; }

        public double BeatTimeoutSeconds { get; set; }

        public ModulationDto? Modulation { get; set; }

        public Dictionary<string, object>? Library { get; set; }

        public Dictionary<string, PresetDto>? Presets { get; set; }

        public string? ActivePreset { get; set; }
    }

    /// <summary>A static channel scene as written (its look fields would be noise).</summary>
    private sealed class ChannelSceneDto
    {
        public double? FadeSeconds { get; set; }

        public Dictionary<string, Dictionary<string, double>>? Channels { get; set; }
    }

    /// <summary>A chase as written.</summary>
    private sealed class ChaseSceneDto
    {
        public double? FadeSeconds { get; set; }

        public ChaseDto? Chase { get; set; }
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

        /// <summary>A static channel scene: fixture name → 1-based channel → 0..255.</summary>
        public Dictionary<string, Dictionary<string, double>>? Channels { get; set; }

        /// <summary>A chase through other library scenes.</summary>
        public ChaseDto? Chase { get; set; }
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
