using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LightMood.Web;

/// <summary>
/// The scene library and the show presets (<see cref="ShowEditor"/>). Scene and mapping bodies are the scenes file's own
/// camelCase format (config/schemas/scenes.schema.json), so a scene or a preset copied from the file is a valid body;
/// the preset list and the activation are snake_case like the rest of the API. Every change is saved atomically and
/// undone by <c>POST /api/scenes/undo</c>.
/// </summary>
public static class ShowApi
{
    public static RouteGroupBuilder MapShowApi(this RouteGroupBuilder api)
    {
        var library = api.MapGroup("/library");
        library.MapGet("/", (ShowEditor show) =>
        {
            var scenes = new JsonObject();
            foreach (var name in show.Show.Library.Keys.Order(StringComparer.Ordinal))
            {
                scenes[name] = JsonNode.Parse(show.GetScene(name) ?? "{}");
            }

            return TypedResults.Text(scenes.ToJsonString(), "application/json");
        });
        library.MapGet("/{name}", Results<ContentHttpResult, ProblemHttpResult> (string name, ShowEditor show) =>
            show.GetScene(name) is { } json ? TypedResults.Text(json, "application/json") : NotFound($"there is no scene '{name}' in the library"));
        library.MapPut("/{name}", async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> (string name, HttpRequest request, ShowEditor show) =>
        {
            var (json, problem) = await OperatorApi.ReadBodyAsync(request).ConfigureAwait(false);
            return problem ?? OperatorApi.Act(() => show.PutScene(name, json));
        });
        library.MapDelete("/{name}", (string name, ShowEditor show) => OperatorApi.Act(() => show.DeleteScene(name)));

        var presets = api.MapGroup("/presets");
        presets.MapGet("/", (ShowEditor show) =>
        {
            var s = show.Show;
            return TypedResults.Ok(new PresetList(s.ActivePreset, [.. s.Presets.Keys]));
        });
        presets.MapGet("/{name}", Results<ContentHttpResult, ProblemHttpResult> (string name, ShowEditor show) =>
            show.GetPreset(name) is { } json ? TypedResults.Text(json, "application/json") : NotFound($"there is no preset '{name}'"));
        presets.MapPut("/{name}", async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> (string name, HttpRequest request, ShowEditor show) =>
        {
            var (json, problem) = await OperatorApi.ReadBodyAsync(request).ConfigureAwait(false);
            return problem ?? OperatorApi.Act(() => show.PutPreset(name, json));
        });
        presets.MapDelete("/{name}", (string name, ShowEditor show) => OperatorApi.Act(() => show.DeletePreset(name)));
        presets.MapPost("/{name}/activate", (string name, ShowEditor show) => OperatorApi.Act(() =>
        {
            if (!show.Show.Presets.ContainsKey(name))
            {
                throw new KeyNotFoundException($"there is no preset '{name}'");
            }

            show.ActivatePreset(name);
        }));
        return api;
    }

    private static ProblemHttpResult NotFound(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>The presets: the active one and every name.</summary>
public sealed record PresetList(string Active, IReadOnlyList<string> Presets);
