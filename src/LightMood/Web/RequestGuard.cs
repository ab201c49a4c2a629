using System.Net;
using System.Net.NetworkInformation;
using LightMood.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LightMood.Web;

/// <summary>
/// Keeps other web sites away from the lights. Every request must name this daemon in its <c>Host</c> header (a name
/// it is bound to, a loopback name, or one of <c>Web:AllowedHosts</c>): a page that rebinds its own DNS name to
/// 127.0.0.1 arrives with its own name and is refused, reads included. Every mutating request must also be one that
/// a browser never sends across sites without asking first: a JSON body type (a form or <c>text/plain</c> POST is
/// refused) and, when the browser says where it comes from (<c>Origin</c>, <c>Sec-Fetch-Site</c>), this very origin.
/// The daemon answers no CORS pre-flight, so a cross-site JSON request never leaves the browser. A declared body over
/// <see cref="OperatorApi.MaxBodyBytes"/> is refused first (413, connection closed), on every path.
/// </summary>
public sealed class RequestGuard(RequestDelegate next, IOptions<WebOptions> options, IServer server)
{
    private HashSet<string>? _hosts;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > OperatorApi.MaxBodyBytes)
        {
            // refused before anything reads it, whatever the endpoint: Kestrel would otherwise drain the unread body
            // after the answer, hit its limit and drop the connection the client still thinks it may reuse
            context.Response.Headers.Connection = "close";
            await Refuse(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"request bodies are limited to {OperatorApi.MaxBodyBytes} bytes").ConfigureAwait(false);
            return;
        }

        var host = request.Host.Host;
        if (string.IsNullOrEmpty(host) || !AllowedHosts().Contains(host.Trim('[', ']')))
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "Unknown host",
                $"Host '{request.Host}' is not a name of this daemon; add it to {WebOptions.SectionName}:AllowedHosts").ConfigureAwait(false);
            return;
        }

        if (!IsSafeMethod(request.Method) && CrossSiteReason(request) is { } reason)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "Cross-site request refused", reason).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Why a mutating request may come from another site, or null when it cannot.</summary>
    internal static string? CrossSiteReason(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
              type.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true))
        {
            return "a request that changes something must be sent with Content-Type: application/json";
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return $"the browser says this request comes from another site (Sec-Fetch-Site: {site})";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var o) ||
                !string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase) ||
                !string.Equals(o.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase))
            {
                return $"Origin '{origin}' is not this page ({request.Scheme}://{request.Host})";
            }
        }

        return null;
    }

    private static bool IsSafeMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);

    /// <summary>Loopback names, the names and addresses the server is bound to (every local address for a wildcard), and the configured ones.</summary>
    private HashSet<string> AllowedHosts()
    {
        if (_hosts is { } known)
        {
            return known;
        }

        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1" };
        foreach (var name in options.Value.AllowedHosts)
        {
            hosts.Add(name.Trim().Trim('[', ']'));
        }

        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in bound.Concat(options.Value.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var h = BindingHost(address);
            if (h is "0.0.0.0" or "::" or "*" or "+" or "")
            {
                AddEveryLocalName(hosts);
            }
            else
            {
                hosts.Add(h);
            }
        }

        if (bound.Count > 0)
        {
            _hosts = hosts; // complete once the server has started
        }

        return hosts;
    }

    private static string BindingHost(string address)
    {
        var rest = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        if (rest.StartsWith('['))
        {
            return rest[1..Math.Max(1, rest.IndexOf(']', StringComparison.Ordinal))];
        }

        var end = rest.IndexOfAny([':', '/']);
        return end < 0 ? rest : rest[..end];
    }

    private static void AddEveryLocalName(HashSet<string> hosts)
    {
        var name = Dns.GetHostName();
        hosts.Add(name);
        hosts.Add(name + ".local");
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                hosts.Add(a.Address.ToString().Split('%')[0]);
            }
        }
    }
}
