using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LightMood.Web;

/// <summary>The desk's controls beyond mood, blackout and master: house lights, the crossfade, per-group overrides.</summary>
public static class DeskApi
{
    public static RouteGroupBuilder MapDeskApi(this RouteGroupBuilder api)
    {
        var output = api.MapGroup("/output");
        output.MapPost("/house", (HouseRequest r, OperatorConsole op) =>
            OperatorApi.Act(() => op.SetHouse(OperatorApi.Required(r.On, "on"))));
        output.MapPost("/fade", (FadeRequest r, ShowEditor show) =>
            OperatorApi.Act(() => show.SetFade(OperatorApi.Required(r.Seconds, "seconds"))));

        var groups = api.MapGroup("/groups");
        groups.MapPost("/{group}/override", (string group, GroupOverrideRequest r, OperatorConsole op) =>
            OperatorApi.Act(() => op.SetGroupOverride(group, r.Intensity, r.Colour)));
        groups.MapDelete("/{group}/override", (string group, OperatorConsole op) =>
            OperatorApi.Act(() => op.ClearGroupOverride(group)));
        return api;
    }
}

public sealed record HouseRequest(bool? On);

public sealed record FadeRequest(double? Seconds);

/// <param name="Intensity">0..1, replaces the look's intensity for the group; null leaves it to the look.</param>
/// <param name="Colour"><c>#rrggbb</c>, replaces the look's colour; null leaves it to the look.</param>
public sealed record GroupOverrideRequest(double? Intensity, string? Colour);
