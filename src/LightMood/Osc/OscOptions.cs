using System.Net;

namespace LightMood.Osc;

/// <summary>The OSC server (the <c>Osc</c> section): off by default; bound like the page, to loopback unless told otherwise.</summary>
public sealed class OscOptions
{
    public const string SectionName = "Osc";

    /// <summary>Listen for OSC 1.0 over UDP.</summary>
    public bool Enabled { get; set; }

    /// <summary>The address to listen on: loopback by default; 0.0.0.0 or a LAN address for a desk or tablet.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>UDP port (0 = any free port, for tests).</summary>
    public int Port { get; set; } = 9000;

    /// <summary>
    /// Senders (IP addresses) whose packets are acted on. OSC has no authentication: off loopback this list is
    /// required, and packets from anyone else are dropped and counted.
    /// </summary>
    public string[] AllowedSenders { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!IPAddress.TryParse(BindAddress, out var bind))
        {
            yield return $"{SectionName}:BindAddress '{BindAddress}' is not an IP address";
        }
        else if (!IPAddress.IsLoopback(bind) && AllowedSenders.Length == 0)
        {
            yield return $"{SectionName}:AllowedSenders is required when {SectionName}:BindAddress is '{BindAddress}', which is not loopback (OSC has no password: name the desks that may send)";
        }

        if (Port is < 0 or > 65535)
        {
            yield return $"{SectionName}:Port {Port} is outside 0..65535";
        }

        foreach (var s in AllowedSenders)
        {
            if (!IPAddress.TryParse(s, out _))
            {
                yield return $"{SectionName}:AllowedSenders '{s}' is not an IP address";
            }
        }
    }
}
