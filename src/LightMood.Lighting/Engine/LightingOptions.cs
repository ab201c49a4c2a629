using System.Net;
using LightMood.Lighting.Output.Sacn;

namespace LightMood.Lighting.Engine;

/// <summary>What the outputs show on shutdown and on a fault.</summary>
public enum SafeLook
{
    /// <summary>Keep sending the last frame.</summary>
    Hold,

    /// <summary>Intensity (HTP) channels to zero; pan/tilt and other LTP channels keep their values.</summary>
    Blackout,

    /// <summary>The scenes file's house-light look.</summary>
    House,
}

/// <summary>
/// The <c>Lighting</c> section of appsettings.json. Ranges are named constants; <see cref="Validate"/> reports every
/// failure at once (the daemon wires it into <c>IValidateOptions</c> with <c>ValidateOnStart</c>).
/// </summary>
public sealed class LightingOptions
{
    public const string SectionName = "Lighting";
    public const double MinRateHz = 1;
    public const double MaxRateHz = 44;
    public const double DefaultRateHz = 40;

    /// <summary>Frames per second for every universe (1..44; DMX512's practical refresh limit is 44).</summary>
    public double RateHz { get; set; } = DefaultRateHz;

    /// <summary>Patch file (relative to the content root).</summary>
    public string PatchFile { get; set; } = "config/patch.json";

    /// <summary>Scenes file (relative to the content root; the daemon resolves it in its state directory and seeds it from config/scenes.json).</summary>
    public string ScenesFile { get; set; } = "config/scenes.json";

    /// <summary>
    /// Look on shutdown and on a fault: hold (the default: keep the last look, as consoles and nodes do, so a fault
    /// never darkens a show), blackout (intensity to 0, positions kept) or house (the house look).
    /// </summary>
    public SafeLook SafeLook { get; set; } = SafeLook.Hold;

    /// <summary>
    /// SCHED_FIFO priority (1..99) the render thread asks for on Linux, 0 = none (the default). Only that thread: the
    /// thread pool, GC, ONNX Runtime and Kestrel stay at normal priority. Needs <c>LimitRTPRIO=</c> (systemd) or
    /// CAP_SYS_NICE; refused, it is logged once and the thread renders at normal priority.
    /// </summary>
    public int RealtimePriority { get; set; }

    /// <summary>Grand master 0..1 at start.</summary>
    public double Master { get; set; } = 1.0;

    /// <summary>Seconds added to beat times (compensates audio→light latency), −1..1.</summary>
    public double BeatOffsetSeconds { get; set; }

    /// <summary>Time constant (s) of the low-pass on valence and arousal (0 = none, up to 30): bursty estimates do not flicker the rig.</summary>
    public double ModulationSmoothingSeconds { get; set; } = 1.0;

    public ArtNetOptions ArtNet { get; set; } = new();

    public SacnOptions Sacn { get; set; } = new();

    /// <summary>Every problem, each naming its key (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var p = SectionName;
        if (!(RateHz >= MinRateHz && RateHz <= MaxRateHz))
        {
            errors.Add($"{p}:RateHz {RateHz} is outside {MinRateHz}..{MaxRateHz}");
        }

        if (string.IsNullOrWhiteSpace(PatchFile))
        {
            errors.Add($"{p}:PatchFile is empty");
        }

        if (string.IsNullOrWhiteSpace(ScenesFile))
        {
            errors.Add($"{p}:ScenesFile is empty");
        }

        if (!Enum.IsDefined(SafeLook))
        {
            errors.Add($"{p}:SafeLook '{SafeLook}' is not hold, blackout or house");
        }

        if (RealtimePriority is < 0 or > 99)
        {
            errors.Add($"{p}:RealtimePriority {RealtimePriority} is outside 0..99 (0 = normal priority)");
        }

        if (!(Master is >= 0 and <= 1))
        {
            errors.Add($"{p}:Master {Master} is outside 0..1");
        }

        if (!(BeatOffsetSeconds is >= -1 and <= 1))
        {
            errors.Add($"{p}:BeatOffsetSeconds {BeatOffsetSeconds} is outside -1..1");
        }

        if (!(ModulationSmoothingSeconds is >= 0 and <= 30))
        {
            errors.Add($"{p}:ModulationSmoothingSeconds {ModulationSmoothingSeconds} is outside 0..30");
        }

        ArtNet.Validate($"{p}:ArtNet", errors);
        Sacn.Validate($"{p}:Sacn", errors);
        return errors;
    }

    internal static void CheckAddress(string? text, string key, List<string> errors, bool allowPort)
    {
        if (string.IsNullOrWhiteSpace(text) || !TryParseEndpoint(text, 0, out _) || (!allowPort && !IPAddress.TryParse(text, out _)))
        {
            errors.Add($"{key} '{text}' is not an IPv4 address{(allowPort ? " (optionally :port)" : "")}");
        }
    }

    /// <summary>Parses <c>a.b.c.d</c> or <c>a.b.c.d:port</c> (IPv4 only).</summary>
    public static bool TryParseEndpoint(string text, int defaultPort, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Any, 0);
        if (IPEndPoint.TryParse(text, out var ep) && ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            endpoint = ep.Port == 0 ? new IPEndPoint(ep.Address, defaultPort) : ep;
            return true;
        }

        return false;
    }
}

/// <summary>The <c>Lighting:ArtNet</c> section.</summary>
public sealed class ArtNetOptions
{
    public const double MinKeepAliveSeconds = 0.1;
    public const double MaxKeepAliveSeconds = 4.0;

    public bool Enabled { get; set; } = true;

    public const double MinPollIntervalSeconds = 2.5;
    public const double MaxPollIntervalSeconds = 3.0;
    public const double MaxNodeTimeoutSeconds = 60;

    /// <summary>
    /// Nodes that get every universe by unicast (<c>ip</c> or <c>ip:port</c>, port 6454 by default), besides the nodes
    /// discovery finds. Empty (the default): discovered nodes (and the broadcast fallback), or 127.0.0.1 when
    /// discovery, broadcast and the fallback are all off. (Empty rather than pre-filled: configuration binding appends to a list.)
    /// </summary>
    public List<string> Nodes { get; set; } = [];

    /// <summary>The configured unicast destinations in effect: <see cref="Nodes"/>, or 127.0.0.1 when none, no discovery and no broadcast.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> EffectiveNodes => Nodes.Count > 0 ? Nodes : Broadcast || Discovery || BroadcastFallback ? [] : ["127.0.0.1"];

    /// <summary>
    /// Art-Net 4 discovery: ArtPoll every <see cref="PollIntervalSeconds"/>; each node that answers gets, by unicast,
    /// the universes its ArtPollReply lists as outputs.
    /// </summary>
    public bool Discovery { get; set; } = true;

    /// <summary>Seconds between ArtPolls (Art-Net 4: 2.5..3 s).</summary>
    public double PollIntervalSeconds { get; set; } = 2.75;

    /// <summary>A node that has not answered for this long is dropped from the node table (at least two poll intervals).</summary>
    public double NodeTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Where ArtPoll goes. Empty (the default): the directed broadcast of <see cref="BindAddress"/>'s network
    /// (127.255.255.255 on loopback), or <see cref="BroadcastAddress"/> when bound to 0.0.0.0.
    /// </summary>
    public string PollAddress { get; set; } = "";

    /// <summary>Also broadcast every ArtDmx to <see cref="BroadcastAddress"/>.</summary>
    public bool Broadcast { get; set; }

    /// <summary>
    /// A universe that no configured or discovered node takes goes to the directed broadcast of
    /// <see cref="BindAddress"/>'s network (127.255.255.255 on loopback) until a node asks for it; then to that node
    /// alone. On by default, so a local receiver that does not answer ArtPoll still gets the rig.
    /// </summary>
    public bool BroadcastFallback { get; set; } = true;

    /// <summary>Directed broadcast address of the lighting network (e.g. 2.255.255.255).</summary>
    public string BroadcastAddress { get; set; } = "2.255.255.255";

    /// <summary>Send ArtSync after each frame set.</summary>
    public bool Sync { get; set; }

    /// <summary>Local address to send from and listen for ArtPoll on.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Port to listen for ArtPoll on (6454; 0 = ephemeral, polls only reach it directly).</summary>
    public int ListenPort { get; set; } = 6454;

    /// <summary>
    /// Share port 6454 with another Art-Net program on the host (SO_REUSEADDR on LightMood's sockets; OLA's olad sets
    /// it too), so either can start first. On by default.
    /// </summary>
    public bool ReuseAddress { get; set; } = true;

    /// <summary>Answer ArtPoll with ArtPollReply.</summary>
    public bool AnswerPolls { get; set; } = true;

    /// <summary>An unchanged universe is re-sent after this long (0.1..4 s; Art-Net requires at least every 4 s).</summary>
    public double KeepAliveSeconds { get; set; } = 1.0;

    /// <summary>Added to a patch universe to get its Port-Address.</summary>
    public int UniverseOffset { get; set; }

    public string ShortName { get; set; } = "LightMood";

    public string LongName { get; set; } = "LightMood music-driven lighting controller";

    internal void Validate(string p, List<string> errors)
    {
        if (!Enabled)
        {
            return;
        }

        for (var i = 0; i < Nodes.Count; i++)
        {
            LightingOptions.CheckAddress(Nodes[i], $"{p}:Nodes:{i}", errors, allowPort: true);
        }

        if (Broadcast)
        {
            LightingOptions.CheckAddress(BroadcastAddress, $"{p}:BroadcastAddress", errors, allowPort: false);
        }

        LightingOptions.CheckAddress(BindAddress, $"{p}:BindAddress", errors, allowPort: false);
        if (!string.IsNullOrEmpty(PollAddress))
        {
            LightingOptions.CheckAddress(PollAddress, $"{p}:PollAddress", errors, allowPort: false);
        }

        if (!(PollIntervalSeconds >= MinPollIntervalSeconds && PollIntervalSeconds <= MaxPollIntervalSeconds))
        {
            errors.Add($"{p}:PollIntervalSeconds {PollIntervalSeconds} is outside {MinPollIntervalSeconds}..{MaxPollIntervalSeconds} (Art-Net 4)");
        }

        if (!(NodeTimeoutSeconds >= 2 * PollIntervalSeconds && NodeTimeoutSeconds <= MaxNodeTimeoutSeconds))
        {
            errors.Add($"{p}:NodeTimeoutSeconds {NodeTimeoutSeconds} is outside {2 * PollIntervalSeconds}..{MaxNodeTimeoutSeconds} (at least two poll intervals)");
        }

        if (ListenPort is < 0 or > 65535)
        {
            errors.Add($"{p}:ListenPort {ListenPort} is outside 0..65535");
        }

        if (!(KeepAliveSeconds >= MinKeepAliveSeconds && KeepAliveSeconds <= MaxKeepAliveSeconds))
        {
            errors.Add($"{p}:KeepAliveSeconds {KeepAliveSeconds} is outside {MinKeepAliveSeconds}..{MaxKeepAliveSeconds}");
        }

        if (UniverseOffset is < 0 or > 32767)
        {
            errors.Add($"{p}:UniverseOffset {UniverseOffset} is outside 0..32767");
        }

        if (string.IsNullOrWhiteSpace(ShortName) || ShortName.Length > 17)
        {
            errors.Add($"{p}:ShortName must be 1..17 characters");
        }

        if (LongName.Length > 63)
        {
            errors.Add($"{p}:LongName must be at most 63 characters");
        }
    }
}

/// <summary>The <c>Lighting:Sacn</c> section.</summary>
public sealed class SacnOptions
{
    public const double MinKeepAliveSeconds = 0.1;
    public const double MaxKeepAliveSeconds = 2.0;

    public bool Enabled { get; set; }

    /// <summary>True: multicast to 239.255.hi.lo; false: unicast to <see cref="Destinations"/>.</summary>
    public bool Multicast { get; set; }

    /// <summary>Unicast receivers (<c>ip</c> or <c>ip:port</c>, port 5568 by default); empty (the default) means 127.0.0.1.</summary>
    public List<string> Destinations { get; set; } = [];

    /// <summary>The unicast receivers in effect: <see cref="Destinations"/>, or 127.0.0.1 when none.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> EffectiveDestinations => Destinations.Count > 0 ? Destinations : ["127.0.0.1"];

    /// <summary>Local address to send from (also the multicast interface).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>0..200; a console at a higher priority takes over, a backup LightMood runs lower.</summary>
    public int Priority { get; set; } = E131DataPacket.DefaultPriority;

    public string SourceName { get; set; } = "LightMood";

    /// <summary>Component identifier (UUID). Empty: read from <see cref="CidFile"/>, created there on first start.</summary>
    public string? Cid { get; set; }

    /// <summary>
    /// Where a generated CID is persisted so it stays stable across restarts (the daemon resolves it in its state
    /// directory: each instance has its own state, so two daemons from one install never share a CID).
    /// </summary>
    public string CidFile { get; set; } = "state/sacn-cid.txt";

    /// <summary>Added to a patch universe to get the sACN universe (default 1: Port-Address 0 → sACN 1).</summary>
    public int UniverseOffset { get; set; } = 1;

    /// <summary>Explicit patch universe → sACN universe entries, overriding the offset.</summary>
    public Dictionary<string, int> UniverseMap { get; set; } = [];

    /// <summary>An unchanged universe is re-sent after this long (receivers time out after 2.5 s).</summary>
    public double KeepAliveSeconds { get; set; } = 1.0;

    /// <summary>
    /// This source is a hot backup for a primary at a higher priority: every universe is sent every frame (at
    /// <c>RateHz</c>, 40 Hz by default), changed or not, instead of re-sending unchanged data after
    /// <see cref="KeepAliveSeconds"/>. A receiver drops a silent primary after sACN's 2.5 s source timeout and
    /// switches on the next backup packet, so the failover after a primary dies is 2.5 s + at most one frame period
    /// (2.525 s at 40 Hz) from the primary's last packet, instead of up to 3.5 s with a 1 s keep-alive.
    /// </summary>
    public bool Backup { get; set; }

    /// <summary>The keep-alive in effect: 0 (every frame) for a backup, else <see cref="KeepAliveSeconds"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double EffectiveKeepAliveSeconds => Backup ? 0 : KeepAliveSeconds;

    /// <summary>Announce the universes every 10 s by E1.31 universe discovery (universe 64214).</summary>
    public bool UniverseDiscovery { get; set; } = true;

    public const double MinSourceForgetSeconds = 5;
    public const double MaxSourceForgetSeconds = 3600;

    /// <summary>
    /// Listen for other sACN sources (a console, a backup) on UDP <see cref="ListenPort"/>: their data and universe
    /// discovery packets are listed with their state in <c>GET /api/sacn/sources</c> and on the page. Off by default:
    /// on one host, a unicast datagram reaches only one of the sockets sharing its port, so listening on the address
    /// a local receiver (olad) is sent to would take its packets; with multicast every socket gets them.
    /// </summary>
    public bool ListenForSources { get; set; }

    /// <summary>Where to listen for unicast sources; empty = <see cref="BindAddress"/>. With multicast the listener
    /// binds 0.0.0.0 and joins the groups on <see cref="BindAddress"/>'s interface.</summary>
    public string ListenAddress { get; set; } = "";

    /// <summary>The port sources send to (E1.31: 5568).</summary>
    public int ListenPort { get; set; } = E131DataPacket.Port;

    /// <summary>A source silent this long is taken off the list (it shows as timed out after 2.5 s).</summary>
    public double SourceForgetSeconds { get; set; } = 60;

    /// <summary>The sACN universe of a patch universe.</summary>
    public int Map(int patchUniverse) =>
        UniverseMap.TryGetValue(patchUniverse.ToString(System.Globalization.CultureInfo.InvariantCulture), out var u) ? u : patchUniverse + UniverseOffset;

    internal void Validate(string p, List<string> errors)
    {
        if (!Enabled)
        {
            return;
        }

        if (!Multicast)
        {
            for (var i = 0; i < Destinations.Count; i++)
            {
                LightingOptions.CheckAddress(Destinations[i], $"{p}:Destinations:{i}", errors, allowPort: true);
            }
        }

        LightingOptions.CheckAddress(BindAddress, $"{p}:BindAddress", errors, allowPort: false);
        if (Priority is < 0 or > 200)
        {
            errors.Add($"{p}:Priority {Priority} is outside 0..200");
        }

        if (string.IsNullOrWhiteSpace(SourceName) || System.Text.Encoding.UTF8.GetByteCount(SourceName) > 63)
        {
            errors.Add($"{p}:SourceName must be 1..63 bytes of UTF-8");
        }

        if (!string.IsNullOrWhiteSpace(Cid) && !Guid.TryParse(Cid, out _))
        {
            errors.Add($"{p}:Cid '{Cid}' is not a UUID");
        }

        if (string.IsNullOrWhiteSpace(Cid) && string.IsNullOrWhiteSpace(CidFile))
        {
            errors.Add($"{p}:CidFile is empty and no Cid is given");
        }

        if (UniverseOffset is < 0 or > E131DataPacket.MaxUniverse)
        {
            errors.Add($"{p}:UniverseOffset {UniverseOffset} is outside 0..{E131DataPacket.MaxUniverse}");
        }

        foreach (var (key, value) in UniverseMap)
        {
            if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                errors.Add($"{p}:UniverseMap:{key}: key is not a patch universe number");
            }

            if (value is < 1 or > E131DataPacket.MaxUniverse)
            {
                errors.Add($"{p}:UniverseMap:{key}: {value} is outside 1..{E131DataPacket.MaxUniverse}");
            }
        }

        if (!(KeepAliveSeconds >= MinKeepAliveSeconds && KeepAliveSeconds <= MaxKeepAliveSeconds))
        {
            errors.Add($"{p}:KeepAliveSeconds {KeepAliveSeconds} is outside {MinKeepAliveSeconds}..{MaxKeepAliveSeconds}");
        }

        if (ListenForSources)
        {
            if (!string.IsNullOrEmpty(ListenAddress))
            {
                LightingOptions.CheckAddress(ListenAddress, $"{p}:ListenAddress", errors, allowPort: false);
            }

            if (ListenPort is < 0 or > 65535)
            {
                errors.Add($"{p}:ListenPort {ListenPort} is outside 0..65535");
            }

            if (!(SourceForgetSeconds >= MinSourceForgetSeconds && SourceForgetSeconds <= MaxSourceForgetSeconds))
            {
                errors.Add($"{p}:SourceForgetSeconds {SourceForgetSeconds} is outside {MinSourceForgetSeconds}..{MaxSourceForgetSeconds}");
            }
        }
    }
}
