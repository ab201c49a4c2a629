using Microsoft.Playwright;

namespace LightMood.EndToEnd.Tests;

/// <summary>Debian's Chromium driven by Playwright (never <c>playwright install</c>), headless, with no background networking.</summary>
internal static class DebianChromium
{
    public const string Path = "/usr/bin/chromium";

    public static bool Installed => File.Exists(Path);

    /// <param name="playwright">The driver.</param>
    /// <param name="extraArgs">More command-line switches (a host resolver rule, a feature switched off).</param>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", .. extraArgs],
        });
}
