namespace LightMood.Lighting.Output.ArtNet;

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
            Ipv4Endpoint.Check(Nodes[i], $"{p}:Nodes:{i}", errors, allowPort: true);
        }

        if (Broadcast)
        {
            Ipv4Endpoint.Check(BroadcastAddress, $"{p}:BroadcastAddress", errors, allowPort: false);
        }

        Ipv4Endpoint.Check(BindAddress, $"{p}:BindAddress", errors, allowPort: false);
        if (!string.IsNullOrEmpty(PollAddress))
        {
            Ipv4Endpoint.Check(PollAddress, $"{p}:PollAddress", errors, allowPort: false);
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
