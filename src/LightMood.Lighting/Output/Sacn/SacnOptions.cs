namespace LightMood.Lighting.Output.Sacn;

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
                Ipv4Endpoint.Check(Destinations[i], $"{p}:Destinations:{i}", errors, allowPort: true);
            }
        }

        Ipv4Endpoint.Check(BindAddress, $"{p}:BindAddress", errors, allowPort: false);
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
                Ipv4Endpoint.Check(ListenAddress, $"{p}:ListenAddress", errors, allowPort: false);
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
