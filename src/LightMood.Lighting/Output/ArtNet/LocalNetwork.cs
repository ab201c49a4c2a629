using System.Net;
using System.Net.NetworkInformation;

namespace LightMood.Lighting.Output.ArtNet;

/// <summary>Facts about the host's own network that Art-Net addressing needs.</summary>
public static class LocalNetwork
{
    /// <summary>
    /// The directed broadcast address of the network <paramref name="bind"/> is on: 127.255.255.255 for loopback, the
    /// interface's address | ~mask otherwise; <paramref name="fallback"/> when bound to 0.0.0.0 or not found.
    /// </summary>
    public static IPAddress DirectedBroadcast(IPAddress bind, IPAddress fallback)
    {
        if (IPAddress.IsLoopback(bind))
        {
            return IPAddress.Parse("127.255.255.255");
        }

        if (!bind.Equals(IPAddress.Any))
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var ua in nic.GetIPProperties().UnicastAddresses)
                {
                    if (ua.Address.Equals(bind) && ua.IPv4Mask is { } mask)
                    {
                        var a = bind.GetAddressBytes();
                        var m = mask.GetAddressBytes();
                        for (var i = 0; i < 4; i++)
                        {
                            a[i] |= (byte)~m[i];
                        }

                        return new IPAddress(a);
                    }
                }
            }
        }

        return fallback;
    }
}
