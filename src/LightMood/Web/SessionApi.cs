using System.Net;
using LightMood.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace LightMood.Web;

/// <summary>
/// <c>/api/session</c>: sign in with the access token (a session cookie and a CSRF token), ask whether signed in (and
/// get the CSRF token again after a reload), sign out. The <see cref="RequestGuard"/> rules hold here too: a sign-in
/// is a same-origin JSON POST.
/// </summary>
public static class SessionApi
{
    public static RouteGroupBuilder MapSessionApi(this RouteGroupBuilder api)
    {
        var session = api.MapGroup("/session");
        session.MapGet("/", (HttpContext context, OperatorSessions sessions) =>
        {
            var s = sessions.Validate(context.Request.Cookies[OperatorSessions.CookieName]);
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(new SessionDto(sessions.Required, s is not null || !sessions.Required, s?.Csrf, s?.Expires));
        });
        session.MapPost("/", Results<Ok<SessionDto>, ProblemHttpResult> (SignInRequest r, HttpContext context, OperatorSessions sessions, ILogger<OperatorSessions> logger) =>
        {
            var client = context.Connection.RemoteIpAddress;
            if (!sessions.Required)
            {
                return TypedResults.Problem($"no {WebOptions.SectionName}:AccessToken is configured: changes need no sign-in here",
                    statusCode: StatusCodes.Status409Conflict, title: "Nothing to sign in to");
            }

            if (!sessions.MayTry(client, out var retry))
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem($"too many wrong tokens from {client}; try again in {Math.Ceiling(retry.TotalSeconds)} s",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts");
            }

            if (!sessions.IsToken(r.Token))
            {
                sessions.Failed(client);
                logger.SignInFailed(client?.ToString() ?? "?");
                return TypedResults.Problem("that is not the access token", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                    extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["token"] = ["that is not the access token"] } });
            }

            var (cookie, expires) = sessions.Issue();
            context.Response.Cookies.Append(OperatorSessions.CookieName, cookie, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                Expires = expires,
                IsEssential = true,
            });
            context.Response.Headers.CacheControl = "no-store";
            logger.SignedIn(client?.ToString() ?? "?");
            var issued = sessions.Validate(cookie)!;
            return TypedResults.Ok(new SessionDto(true, true, issued.Csrf, expires));
        });
        session.MapDelete("/", (HttpContext context, OperatorSessions sessions) =>
        {
            if (sessions.Validate(context.Request.Cookies[OperatorSessions.CookieName]) is { } s)
            {
                sessions.Revoke(s);
            }

            context.Response.Cookies.Delete(OperatorSessions.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
            return TypedResults.NoContent();
        });
        return api;
    }
}

/// <summary>Mutating requests need the access token when one is configured (it must be, off loopback): a bearer header, or a session cookie with its CSRF header.</summary>
internal sealed class AccessFilter(OperatorSessions sessions) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return await next(context).ConfigureAwait(false);
        }

        if (!sessions.Required)
        {
            if (http.Connection.LocalIpAddress is { } local && !WebOptions.IsLoopback(local))
            {
                // however Kestrel was bound (Web:Urls, Kestrel:Endpoints, ASPNETCORE_URLS), a request that reached a
                // non-loopback address needs the token; without one configured nothing off loopback may change the lights
                return TypedResults.Problem($"requests from the network need {WebOptions.SectionName}:AccessToken to be set",
                    statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            }

            return await next(context).ConfigureAwait(false);
        }

        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal) && sessions.IsToken(header[7..]))
        {
            return await next(context).ConfigureAwait(false);
        }

        if (sessions.Validate(request.Cookies[OperatorSessions.CookieName]) is { } session)
        {
            return OperatorSessions.CsrfMatches(session, request.Headers[OperatorSessions.CsrfHeader].ToString())
                ? await next(context).ConfigureAwait(false)
                : TypedResults.Problem($"a signed-in change needs the session's {OperatorSessions.CsrfHeader} header (reload the page)",
                    statusCode: StatusCodes.Status403Forbidden, title: "CSRF token missing or wrong");
        }

        return TypedResults.Problem("this request needs the access token: sign in on the page, or send Authorization: Bearer …",
            statusCode: (int)HttpStatusCode.Unauthorized, title: "Unauthorized");
    }
}

public sealed record SignInRequest(string? Token);

/// <param name="Required">An access token is configured: changes need a sign-in (or a bearer token).</param>
/// <param name="SignedIn">This browser may change things (signed in, or no token is required).</param>
/// <param name="Csrf">The value for the <c>X-CSRF-Token</c> header, when signed in.</param>
/// <param name="Expires">When the sign-in ends.</param>
public sealed record SessionDto(bool Required, bool SignedIn, string? Csrf, DateTimeOffset? Expires);
