using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Hosting;

/// <summary>
/// Which audio input the capture stage runs: the <c>Audio</c> settings, overridden by the operator's choice from the
/// page (source, device, channel), which is kept in <see cref="FileName"/> in the state directory
/// (<see cref="DaemonPaths.State"/>) and read back at start, as long as <c>Audio:Source</c> is still what it was when the choice
/// was made (a daemon started with <c>--stdin</c>, or with edited settings, follows its settings). A new choice is saved
/// atomically first, then the capture stage is told to reopen its source (<see cref="Changed"/>); the daemon keeps running.
/// </summary>
public sealed class AudioInputSelection
{
    public const string FileName = "audio-input.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    private readonly Lock _lock = new();
    private readonly AudioOptions _configured;
    private readonly ILogger<AudioInputSelection> _logger;
    private AudioOptions _current;
    private CancellationTokenSource _changed = new();

    public AudioInputSelection(IOptions<AudioOptions> audio, DaemonPaths paths, ILogger<AudioInputSelection> logger)
    {
        _configured = audio.Value;
        _logger = logger;
        FilePath = Path.Combine(paths.State, FileName);
        _current = Load() ?? _configured;
    }

    /// <summary>The last device listing and when it was made (the page's API reuses it for a few seconds).</summary>
    public (DateTime At, IReadOnlyList<Audio.PortAudio.AudioInputDevice> Devices)? Listing { get; set; }

    /// <summary>Where the choice is kept.</summary>
    public string FilePath { get; }

    /// <summary>The settings the capture stage opens its source with now.</summary>
    public AudioOptions Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>The sources the page may choose: the bundled demo, line-in, and the configured one (a file or stdin).</summary>
    public IReadOnlyList<string> Sources =>
        _configured.Source is AudioSourceKind.File or AudioSourceKind.Stdin ? ["demo", "portaudio", _configured.Source.ToName()] : ["demo", "portaudio"];

    /// <summary>Cancelled when the choice changes (the capture stage reopens its source).</summary>
    public CancellationToken Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Token;
            }
        }
    }

    /// <summary>
    /// Saves and applies a choice (already checked against the device list by the caller); throws
    /// <see cref="ArgumentException"/> for settings that cannot run and <see cref="IOException"/> when the file cannot be written.
    /// </summary>
    public void Select(AudioSourceKind source, string? device, int channels, int channel)
    {
        var next = Clone(_configured);
        next.Source = source;
        next.Device = device;
        next.Channels = channels;
        next.Channel = channel;
        var problems = next.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }

        CancellationTokenSource old;
        lock (_lock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            AtomicFile.WriteAllText(FilePath, JsonSerializer.Serialize(new ChoiceDto(source.ToName(), device, channels, channel, _configured.Source.ToName()), Json) + "\n");
            _current = next;
            old = _changed;
            _changed = new CancellationTokenSource();
        }

        _logger.AudioInputChosen(source.ToName() + (device is null ? "" : $" '{device}'"), channel);
        old.Cancel();
        old.Dispose();
    }

    private AudioOptions? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        try
        {
            var dto = JsonSerializer.Deserialize<ChoiceDto>(File.ReadAllText(FilePath), Json) ?? throw new JsonException("empty");
            if (!AudioSourceNames.TryParse(dto.ConfiguredSource, out var configuredThen) || configuredThen != _configured.Source)
            {
                throw new JsonException($"it was chosen while {AudioOptions.SectionName}:Source was '{dto.ConfiguredSource}'; it is '{_configured.Source.ToName()}' now");
            }

            var chosen = Clone(_configured);
            chosen.Source = AudioSourceNames.TryParse(dto.Source ?? throw new JsonException("'source' is missing"), out var source)
                ? source
                : throw new JsonException($"'{dto.Source}' is not one of {AudioSourceNames.List}");
            chosen.Device = dto.Device;
            chosen.Channels = dto.Channels ?? _configured.Channels;
            chosen.Channel = dto.Channel ?? -1;
            var problems = chosen.Validate().ToList();
            if (problems.Count > 0 || !Sources.Contains(chosen.Source.ToName()))
            {
                throw new JsonException(problems.Count > 0 ? string.Join("; ", problems) : $"source '{chosen.Source.ToName()}' cannot be chosen here");
            }

            _logger.AudioInputRestored(FilePath, chosen.Source.ToName() + (chosen.Device is null ? "" : $" '{chosen.Device}'"));
            return chosen;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            _logger.AudioInputFileIgnored(FilePath, e.Message);
            return null;
        }
    }

    private static AudioOptions Clone(AudioOptions o) => new()
    {
        Source = o.Source,
        File = o.File,
        Paced = o.Paced,
        Loop = o.Loop,
        Device = o.Device,
        SampleRate = o.SampleRate,
        Channels = o.Channels,
        Channel = o.Channel,
        StdinFormat = o.StdinFormat,
        StallSeconds = o.StallSeconds,
    };

    /// <param name="ConfiguredSource">The <c>Audio:Source</c> setting when the choice was made.</param>
    private sealed record ChoiceDto(string? Source, string? Device, int? Channels, int? Channel, string? ConfiguredSource);
}
