namespace LightMood.EndToEnd.Tests;

/// <summary>
/// How the daemon reaches olad in the OLA rig's network namespace: its Art-Net socket bound to 127.0.0.2 on port 6454
/// (shared with olad), unicast to olad on 127.0.0.1, its universe 0 sent as Port-Address 0:0:1, which olad's Art-Net
/// input patches to its universe 1.
/// </summary>
internal static class ArtNetToOlad
{
    /// <summary>olad's universe that receives the daemon's first universe.</summary>
    public const int Universe = 1;

    /// <summary>The daemon's settings for it, with <paramref name="more"/> of the test's own.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Lighting:ArtNet:ListenPort"] = "6454",
            ["Lighting:ArtNet:Nodes:0"] = "127.0.0.1",
            ["Lighting:ArtNet:BindAddress"] = "127.0.0.2",
            ["Lighting:ArtNet:ReuseAddress"] = "true",
            ["Lighting:ArtNet:UniverseOffset"] = "1",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}
