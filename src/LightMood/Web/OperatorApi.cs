using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using LightMood.Hosting;
using LightMood.Lighting.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightMood.Web;

/// <summary>The operator page's HTTP API under <c>/api</c> (OpenAPI at <c>/openapi/v1.json</c>) and the static page.</summary>
public static class OperatorApi
{
    /// <summary>Largest request body accepted (a scene is a few KB).</summary>
    public const long MaxBodyBytes = 64 * 1024;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new FiniteDoubleConverter() },
    };

    public static IServiceCollection AddOperatorApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<RequestBodyProblem>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);   // answered by RequestBodyProblem
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.Converters.Add(new FiniteDoubleConverter());
        });
        return services;
    }

    public static WebApplication MapOperatorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestGuard>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();

        app.MapGroup("/api").MapSessionApi();
        var api = app.MapGroup("/api").AddEndpointFilter<AccessFilter>();
        api.MapGet("/state", (StateReader reader) => TypedResults.Ok(reader.Read(LiveState.MelColumns)));
        api.MapGet("/events", StreamEvents);
        api.MapGet("/nodes", (LightingEngine engine) => TypedResults.Ok(ArtNetNodeView.Read(engine)));
        api.MapGet("/sacn/sources", (LightingEngine engine, IOptions<Lighting.Engine.LightingOptions> lighting) => TypedResults.Ok(SacnSourceView.Read(engine, lighting.Value)));

        var mood = api.MapGroup("/mood");
        mood.MapPost("/force", (ForceRequest r, OperatorConsole op) =>
            Act(() => op.Force(ParseMood(r.Mood), r.Seconds)));
        mood.MapPost("/release", (OperatorConsole op) => Act(op.Release));
        mood.MapPost("/mode", (ModeRequest r, OperatorConsole op) => Act(() => op.SetMode(r.Mode ?? throw new FieldValidationException("mode", "'mode' is required"))));
        mood.MapPost("/correct", (CorrectionRequest r, OperatorConsole op) =>
        {
            try
            {
                return Act(() => op.Correct(Required(r.StartS, "start_s"), Required(r.EndS, "end_s"), ParseMood(r.Mood)));
            }
            catch (InvalidOperationException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Corrections unavailable");
            }
        });

        var output = api.MapGroup("/output");
        output.MapPost("/blackout", (BlackoutRequest r, OperatorConsole op) => Act(() => op.SetBlackout(Required(r.On, "on"))));
        output.MapPost("/master", (MasterRequest r, OperatorConsole op) => Act(() => op.SetMaster(Required(r.Level, "level"))));

        var scenes = api.MapGroup("/scenes");
        // a mood's scene: the library scene the active preset shows first for it (the page's editor)
        scenes.MapGet("/{mood}", Results<ContentHttpResult, ProblemHttpResult> (string mood, ShowEditor show) =>
            MoodNames.TryParse(mood, out var m)
                ? TypedResults.Text(show.GetLook(m), "application/json")
                : UnknownMood(mood));
        scenes.MapPut("/{mood}", async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> (string mood, HttpRequest request, ShowEditor show) =>
        {
            if (!MoodNames.TryParse(mood, out var m))
            {
                return UnknownMood(mood);
            }

            var (json, problem) = await ReadBodyAsync(request).ConfigureAwait(false);
            return problem ?? Act(() => show.SetLook(m, json));
        });
        scenes.MapPost("/preview", async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> (HttpRequest request, OperatorConsole op) =>
        {
            var (json, problem) = await ReadBodyAsync(request).ConfigureAwait(false);
            return problem ?? Act(() => op.Preview(json));
        });
        scenes.MapDelete("/preview", (OperatorConsole op) => Act(op.EndPreview));
        // undoes the newest show change: a scene, a mapping, a preset created, deleted or activated
        scenes.MapPost("/undo", Results<NoContent, ProblemHttpResult> (ShowEditor show) =>
        {
            try
            {
                return show.Undo() ? TypedResults.NoContent() : TypedResults.Problem("there is no scene edit to undo", statusCode: 409);
            }
            catch (ShowConflictException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Cannot undo");
            }
            catch (ScenesNotSavedException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "Scene not saved");
            }
        });
        api.MapShowApi();
        api.MapDeskApi();
        api.MapAudioApi();
        return app;
    }

    /// <summary>
    /// Runs a command: 204, or 400 problem details (with <c>errors</c> by field when the command names them), 404 for a
    /// scene or preset that does not exist, 409 for a show change that conflicts (a scene in use, the active preset), or
    /// 500 when the scenes file cannot be written.
    /// </summary>
    internal static Results<NoContent, ProblemHttpResult, ValidationProblem> Act(Action action)
    {
        try
        {
            action();
            return TypedResults.NoContent();
        }
        catch (FieldValidationException e)
        {
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(), detail: e.Message, title: "Invalid request");
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
        catch (ShowConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        catch (ScenesNotSavedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "Scene not saved");
        }
    }

    /// <summary>A field the request must carry: a missing one never defaults (an empty master request is not master 0).</summary>
    internal static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw new FieldValidationException(field, $"'{field}' is required");

    private static ProblemHttpResult UnknownMood(string mood) =>
        TypedResults.Problem($"'{mood}' is not a mood; expected happy, tense, sad or calm", statusCode: 400, title: "Invalid request");

    internal static Mood ParseMood(string? text) =>
        text is null ? throw new FieldValidationException("mood", "'mood' is required")
        : MoodNames.TryParse(text, out var mood)
            ? mood
            : throw new FieldValidationException("mood", $"'{text}' is not a mood; expected happy, tense, sad or calm");

    /// <summary>The request body as text, or the problem reading it (too large, cut off).</summary>
    internal static async Task<(string Json, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            using var body = new StreamReader(request.Body);
            return (await body.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false), null);
        }
        catch (BadHttpRequestException e)
        {
            return ("", TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "Invalid request"));
        }
    }

    /// <summary>Server-Sent Events: the state at <c>Web:UpdatesPerSecond</c>; EventSource reconnects by itself.</summary>
    private static async Task StreamEvents(HttpContext context, StateReader reader, IOptions<WebOptions> options, TimeProvider time)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var token = context.RequestAborted;
        var interval = TimeSpan.FromSeconds(1.0 / options.Value.UpdatesPerSecond);
        long sentColumns = -1;
        await context.Response.WriteAsync("retry: 1000\n\n", token).ConfigureAwait(false);
        try
        {
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                var view = reader.Read(sentColumns < 0 ? LiveState.MelColumns : 64, sentColumns);
                sentColumns = view.Mel.Total;
                await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(view, Json) + "\n\n", token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the page went away
        }
    }
}

public sealed record ForceRequest(string? Mood, double? Seconds);

public sealed record ModeRequest(string? Mode);

public sealed record CorrectionRequest(double? StartS, double? EndS, string? Mood);

public sealed record BlackoutRequest(bool? On);

public sealed record MasterRequest(double? Level);
