using Microsoft.Playwright;

namespace LightMood.EndToEnd.Tests;

/// <summary>Inputs Playwright cannot fill (a range slider): set the value and send the events a drag sends.</summary>
internal static class PageInput
{
    public static Task SetAsync(IPage page, string selector, string value) =>
        page.Locator(selector).EvaluateAsync(
            "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); e.dispatchEvent(new Event('change', { bubbles: true })); }",
            value);
}
