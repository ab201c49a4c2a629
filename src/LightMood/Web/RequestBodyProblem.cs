using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace LightMood.Web;

/// <summary>
/// Turns a request body the API could not bind into a 400 that names the field: a JSON value of the wrong type
/// (<c>{"on": "yes"}</c>, <c>{"seconds": "x"}</c>) or a member the request does not have answers validation problem
/// details with <c>errors</c> keyed by the field as the request names it (<c>on</c>, <c>seconds</c>,
/// <c>intensity</c>), like a missing field does; other unreadable bodies (not JSON, cut off, too large) answer
/// their own status with the reason. Minimal APIs throw these (<c>RouteHandlerOptions.ThrowOnBadRequest</c>) so that
/// this is the one place that answers them.
/// </summary>
public sealed class RequestBodyProblem(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var details = bad.InnerException is JsonException { Path: { Length: > 2 } path } json && path.StartsWith("$.", StringComparison.Ordinal)
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [path[2..]] = [FieldMessage(path[2..], json)] })
            {
                Title = "Invalid request",
                Status = bad.StatusCode,
                Detail = $"{path[2..]}: {FieldMessage(path[2..], json)}",
            }
            : new Microsoft.AspNetCore.Mvc.ProblemDetails { Title = "Invalid request", Status = bad.StatusCode, Detail = Reason(bad) };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception }).ConfigureAwait(false);
    }

    private static string FieldMessage(string field, JsonException json) =>
        json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"'{field}' is not a field of this request"
            : $"'{field}' has the wrong JSON type (see the API description for its type)";

    private static string Reason(BadHttpRequestException bad) =>
        bad.InnerException is JsonException json ? "the body is not valid JSON: " + json.Message.Split(" Path:", 2)[0]
        : bad.Message.Contains("no body was provided", StringComparison.Ordinal) ? "the request needs a JSON body"
        : bad.Message;
}
