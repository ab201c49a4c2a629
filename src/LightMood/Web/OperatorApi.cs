using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using LightMood.Analysis;
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

        var api = app.MapGroup("/api").AddEndpointFilter<AccessTokenFilter>();
        api.MapGet("/state", (StateReader reader) => TypedResults.Ok(reader.Read(LiveState.MelColumns)));
        api.MapGet("/events", StreamEvents);
        api.MapGet("/nodes", (LightingEngine engine) => TypedResults.Ok(ArtNetNodeView.Read(engine)));

        var mood = api.MapGroup("/mood");
        mood.MapPost("/force", (ForceRequest r, OperatorConsole op) =>
            Act(() => op.Force(ParseMood(r.Mood), r.Seconds)));
        mood.MapPost("/release", (OperatorConsole op) => Act(op.Release));
        mood.MapPost("/mode", (ModeRequest r, OperatorConsole op) => Act(() => op.SetMode(r.Mode ?? throw new ArgumentException("'mode' is required"))));
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
        scenes.MapGet("/{mood}", Results<ContentHttpResult, ProblemHttpResult> (string mood, OperatorConsole op) =>
            MoodNames.TryParse(mood, out var m)
                ? TypedResults.Text(op.GetLook(m), "application/json")
                : UnknownMood(mood));
        scenes.MapPut("/{mood}", async Task<Results<NoContent, ProblemHttpResult>> (string mood, HttpRequest request, OperatorConsole op) =>
        {
            if (!MoodNames.TryParse(mood, out var m))
            {
                return UnknownMood(mood);
            }

            string json;
            try
            {
                using var body = new StreamReader(request.Body);
                json = await body.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e)
            {
                return TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "Invalid request");
            }

            return Act(() => op.SetLook(m, json));
        });
        scenes.MapPost("/undo", Results<NoContent, ProblemHttpResult> (OperatorConsole op) =>
        {
            try
            {
                return op.Undo() ? TypedResults.NoContent() : TypedResults.Problem("there is no scene edit to undo", statusCode: 409);
            }
            catch (ScenesNotSavedException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "Scene not saved");
            }
        });
        return app;
    }

    private static Results<NoContent, ProblemHttpResult> Act(Action action)
    {
        try
        {
            action();
            return TypedResults.NoContent();
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
        }
        catch (ScenesNotSavedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "Scene not saved");
        }
    }

    /// <summary>A field the request must carry: a missing one never defaults (an empty master request is not master 0).</summary>
    private static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw new ArgumentException($"'{field}' is required");

    private static ProblemHttpResult UnknownMood(string mood) =>
        TypedResults.Problem($"'{mood}' is not a mood; expected happy, tense, sad or calm", statusCode: 400, title: "Invalid request");

    private static Mood ParseMood(string? text) =>
        text is null ? throw new ArgumentException("'mood' is required")
        : MoodNames.TryParse(text, out var mood)
            ? mood
            : throw new ArgumentException($"'{text}' is not a mood; expected happy, tense, sad or calm");

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

    /// <summary>Mutating requests need the bearer token when one is configured (it must be, off loopback).</summary>
    private sealed class AccessTokenFilter(IOptions<WebOptions> options) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var request = context.HttpContext.Request;
            var token = options.Value.AccessToken;
            if (!HttpMethods.IsGet(request.Method) && string.IsNullOrEmpty(token) &&
                context.HttpContext.Connection.LocalIpAddress is { } local && !WebOptions.IsLoopback(local))
            {
                // however Kestrel was bound (Web:Urls, Kestrel:Endpoints, ASPNETCORE_URLS), a request that reached a
                // non-loopback address needs the token; without one configured nothing off loopback may change the lights
                return TypedResults.Problem($"requests from the network need {WebOptions.SectionName}:AccessToken to be set",
                    statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            }

            if (!HttpMethods.IsGet(request.Method) && !string.IsNullOrEmpty(token))
            {
                var header = request.Headers.Authorization.ToString();
                var given = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
                if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                        System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(token)))
                {
                    return TypedResults.Problem("this request needs the access token (Authorization: Bearer …)",
                        statusCode: (int)HttpStatusCode.Unauthorized, title: "Unauthorized");
                }
            }

            return await next(context).ConfigureAwait(false);
        }
    }
}

public sealed record ForceRequest(string? Mood, double? Seconds);

public sealed record ModeRequest(string? Mode);

public sealed record CorrectionRequest(double? StartS, double? EndS, string? Mood);

public sealed record BlackoutRequest(bool? On);

public sealed record MasterRequest(double? Level);
