using System.Net;

namespace LightMood.Lighting.Output;

/// <summary>An IPv4 address with an optional port, as the options write one: <c>a.b.c.d</c> or <c>a.b.c.d:port</c>.</summary>
public static class Ipv4Endpoint
{
    /// <summary>Parses <paramref name="text"/>; a missing port (or port 0) becomes <paramref name="defaultPort"/>. IPv4 only.</summary>
    public static bool TryParse(string? text, int defaultPort, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Any, 0);
        if (IPEndPoint.TryParse(text ?? "", out var ep) && ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            endpoint = ep.Port == 0 ? new IPEndPoint(ep.Address, defaultPort) : ep;
            return true;
        }

        return false;
    }

    /// <summary>Adds an error naming <paramref name="key"/> unless <paramref name="text"/> is an IPv4 address (with a port when <paramref name="allowPort"/>).</summary>
    internal static void Check(string? text, string key, List<string> errors, bool allowPort)
    {
        if (string.IsNullOrWhiteSpace(text) || !TryParse(text, 0, out _) || (!allowPort && !IPAddress.TryParse(text, out _)))
        {
            errors.Add($"{key} '{text}' is not an IPv4 address{(allowPort ? " (optionally :port)" : "")}");
        }
    }
}
