using System.Net;

namespace LightMood.Hosting;

/// <summary>The live audio sources the daemon runs (<c>Audio:Source</c>); their names are <see cref="AudioSourceNames"/>.</summary>
public enum AudioSourceKind
{
    /// <summary>The bundled demo track, looped.</summary>
    Demo,

    /// <summary>An audio file (<c>Audio:File</c>).</summary>
    File,

    /// <summary>Raw PCM on standard input.</summary>
    Stdin,

    /// <summary>Line-in through PortAudio.</summary>
    PortAudio,
}

/// <summary>The names of <see cref="AudioSourceKind"/> in settings, the API and the page: <c>demo</c>, <c>file</c>, <c>stdin</c>, <c>portaudio</c>.</summary>
public static class AudioSourceNames
{
    private static readonly string[] Names = ["demo", "file", "stdin", "portaudio"];

    /// <summary>"demo, file, stdin, portaudio".</summary>
    public static string List { get; } = string.Join(", ", Names);

    public static string ToName(this AudioSourceKind kind) => Names[(int)kind];

    /// <summary>A source by its name, case-insensitive (numbers are not names).</summary>
    public static bool TryParse(string? text, out AudioSourceKind kind)
    {
        var i = Array.FindIndex(Names, n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        kind = i < 0 ? default : (AudioSourceKind)i;
        return i >= 0;
    }
}

/// <summary>Where the live audio comes from (the <c>Audio</c> section of appsettings.json).</summary>
public sealed class AudioOptions
{
    public const string SectionName = "Audio";
    public const string DemoFile = "fixtures/demo/demo.ogg";

    /// <summary>The problem line for an <c>Audio:Source</c> that names no source.</summary>
    public static string SourceProblem(string given) => $"{SectionName}:Source '{given}' is not one of {AudioSourceNames.List}";

    /// <summary><c>demo</c> (the bundled track, looped), <c>file</c>, <c>stdin</c> (raw PCM) or <c>portaudio</c>.</summary>
    public AudioSourceKind Source { get; set; } = AudioSourceKind.Demo;

    /// <summary>The file for <c>file</c> (relative to the content root or absolute).</summary>
    public string? File { get; set; }

    /// <summary>Play files in real time (true) or as fast as the analysis reads (false).</summary>
    public bool Paced { get; set; } = true;

    /// <summary>Loop files forever.</summary>
    public bool Loop { get; set; } = true;

    /// <summary>PortAudio input device: index or part of its name; empty = the default input.</summary>
    public string? Device { get; set; }

    /// <summary>Capture or stdin sample rate in Hz.</summary>
    public int SampleRate { get; set; } = 48000;

    /// <summary>Capture or stdin channel count.</summary>
    public int Channels { get; set; } = 2;

    /// <summary>Which channel to analyse (0-based), or −1 to mix all channels.</summary>
    public int Channel { get; set; } = -1;

    /// <summary>Raw PCM sample format on stdin: <c>s16le</c> or <c>f32le</c>.</summary>
    public string StdinFormat { get; set; } = "s16le";

    /// <summary>Seconds without audio after which the capture counts as stalled.</summary>
    public double StallSeconds { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (!Enum.IsDefined(Source))
        {
            yield return SourceProblem(((int)Source).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Source == AudioSourceKind.File && string.IsNullOrWhiteSpace(File))
        {
            yield return $"{SectionName}:File is required when {SectionName}:Source is 'file'";
        }

        if (SampleRate is < 8000 or > 192000)
        {
            yield return $"{SectionName}:SampleRate {SampleRate} is outside 8000..192000";
        }

        if (Channels is < 1 or > 32)
        {
            yield return $"{SectionName}:Channels {Channels} is outside 1..32";
        }

        if (Channel < -1 || Channel >= Channels)
        {
            yield return $"{SectionName}:Channel {Channel} is outside -1..{Channels - 1}";
        }

        if (StdinFormat is not ("s16le" or "f32le"))
        {
            yield return $"{SectionName}:StdinFormat '{StdinFormat}' is not s16le or f32le";
        }

        if (!(StallSeconds is >= 0.5 and <= 60))
        {
            yield return $"{SectionName}:StallSeconds {StallSeconds} is outside 0.5..60";
        }
    }
}

/// <summary>The mood analysis (the <c>Analysis</c> section).</summary>
public sealed class AnalysisOptions
{
    public const string SectionName = "Analysis";

    /// <summary>Longest minimum hold of a mood that may be configured (seconds).</summary>
    public const double MaxMinHoldSeconds = 120;

    /// <summary>The CRNN model (relative to the content root or absolute); empty = models/crnn.onnx next to the program.</summary>
    public string? ModelFile { get; set; }

    /// <summary>
    /// Live: a mood is held at least this long before the section labels may change it again (no look flaps); 0..120 s
    /// (<c>SoftCutOptions.MinHoldSeconds</c>, docs/segmentation.md).
    /// </summary>
    public double MinHoldSeconds { get; set; } = 4;

    public IEnumerable<string> Validate()
    {
        if (ModelFile is { Length: > 0 } f && !f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{SectionName}:ModelFile '{f}' is not an .onnx file";
        }

        if (!(MinHoldSeconds >= 0 && MinHoldSeconds <= MaxMinHoldSeconds))
        {
            yield return $"{SectionName}:MinHoldSeconds {MinHoldSeconds} is outside 0..{MaxMinHoldSeconds}";
        }
    }
}

/// <summary>The operator page and API (the <c>Web</c> section).</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>Where the page listens; loopback by default.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Host names (besides loopback and the bound addresses) the page may be reached by, e.g. <c>lightmood.local</c> or
    /// a DNS name on the venue network; any other <c>Host</c> header is refused (DNS rebinding).
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Bearer token that every mutating request must carry; required when bound off loopback.</summary>
    public string? AccessToken { get; set; }

    /// <summary>How long a sign-in on the page lasts (the session cookie's lifetime), in hours.</summary>
    public double SessionHours { get; set; } = 168;

    /// <summary>Live updates per second on the event stream.</summary>
    public int UpdatesPerSecond { get; set; } = 15;

    /// <summary>The file operator corrections are appended to (relative to the state directory, <see cref="DaemonPaths"/>).</summary>
    public string FeedbackFile { get; set; } = "feedback.jsonl";

    public IEnumerable<string> Validate() => Validate([]);

    /// <summary>
    /// Every problem; <paramref name="otherBindings"/> are addresses configured for Kestrel elsewhere
    /// (<c>Kestrel:Endpoints:*:Url</c>, <c>urls</c>): the token rule holds for every address the page is served on.
    /// </summary>
    public IEnumerable<string> Validate(IEnumerable<(string Key, string Url)> otherBindings)
    {
        var urls = Urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (urls.Length == 0)
        {
            yield return $"{SectionName}:Urls is empty; give the address the page listens on (e.g. http://127.0.0.1:8080)";
        }

        foreach (var (key, url) in urls.Select(u => ($"{SectionName}:Urls", u)).Concat(otherBindings))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return $"{key} '{url}' is not an http(s) URL";
            }
            else if (!IsLoopback(uri) && string.IsNullOrWhiteSpace(AccessToken))
            {
                yield return $"{SectionName}:AccessToken is required when {key} binds '{uri.Host}', which is not loopback";
            }
        }

        foreach (var host in AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(host) || host.Contains('/', StringComparison.Ordinal) || host.Contains('*', StringComparison.Ordinal))
            {
                yield return $"{SectionName}:AllowedHosts '{host}' is not a host name or address (no wildcards)";
            }
        }

        if (AccessToken is { Length: > 0 and < 16 })
        {
            yield return $"{SectionName}:AccessToken is too short (at least 16 characters)";
        }

        if (!(SessionHours is >= 0.1 and <= 8760))
        {
            yield return $"{SectionName}:SessionHours {SessionHours} is outside 0.1..8760";
        }

        if (UpdatesPerSecond is < 1 or > 60)
        {
            yield return $"{SectionName}:UpdatesPerSecond {UpdatesPerSecond} is outside 1..60";
        }
    }

    /// <summary>Loopback by address (127.0.0.0/8, ::1, and ::ffff:127.x mapped) or the name localhost.</summary>
    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IsLoopback(ip));

    internal static bool IsLoopback(IPAddress ip) =>
        IPAddress.IsLoopback(ip) || (ip.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(ip.MapToIPv4()));
}
