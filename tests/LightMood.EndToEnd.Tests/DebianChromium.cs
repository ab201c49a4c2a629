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

/// <summary>
/// One headless Debian Chromium shared by a test class's tests (an xunit class fixture: launched once, each test opens its
/// own page, which Playwright gives a context of its own); none where Chromium is not installed.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser; skips the calling test where Chromium is not installed.</summary>
    public IBrowser Require()
    {
        Skip.If(_browser is null, $"{DebianChromium.Path} is not installed");
        return _browser!;
    }

    public async Task InitializeAsync()
    {
        if (!DebianChromium.Installed)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await DebianChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
