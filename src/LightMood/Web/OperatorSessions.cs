using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LightMood.Hosting;
using Microsoft.Extensions.Options;

namespace LightMood.Web;

/// <summary>
/// Sign-in on the page: the access token, entered once, buys an HttpOnly, SameSite=Strict session cookie. The cookie
/// is <c>nonce.expiry</c> signed with a key derived from the token (HMAC-SHA256), so it survives a daemon restart and
/// a changed token ends every session. Each session has a CSRF token (an HMAC of its nonce) that the page reads from
/// <c>GET /api/session</c> (same-origin only: the daemon answers no CORS) and sends as <c>X-CSRF-Token</c> on every
/// mutating request; a request that carries only the cookie is refused. Signing out revokes the session (in memory).
/// Failed sign-ins are limited per client address.
/// </summary>
public sealed class OperatorSessions(IOptions<WebOptions> options, TimeProvider time)
{
    public const string CookieName = "lightmood_session";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>Failed sign-ins allowed per client address within <see cref="FailureWindow"/>.</summary>
    public const int MaxFailures = 10;

    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(5);

    private const int NonceBytes = 16;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, Queue<DateTimeOffset>> _failures = new();
    private byte[]? _key;

    /// <summary>True when an access token is configured: changes need it, a session, or a bearer header.</summary>
    public bool Required => !string.IsNullOrEmpty(options.Value.AccessToken);

    public TimeSpan Lifetime => TimeSpan.FromHours(options.Value.SessionHours);

    private byte[] Key => _key ??= HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.AccessToken ?? ""), "lightmood session v1"u8);

    /// <summary>True when <paramref name="given"/> is the access token (constant time).</summary>
    public bool IsToken(string? given) =>
        Required && given is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(options.Value.AccessToken!));

    /// <summary>A new session: the cookie value and its expiry.</summary>
    public (string Cookie, DateTimeOffset Expires) Issue()
    {
        var expires = time.GetUtcNow() + Lifetime;
        Span<byte> payload = stackalloc byte[NonceBytes + 8];
        RandomNumberGenerator.Fill(payload[..NonceBytes]);
        BinaryPrimitives.WriteInt64BigEndian(payload[NonceBytes..], expires.ToUnixTimeSeconds());
        return (Base64Url(payload) + "." + Base64Url(Sign("s", payload)), DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The session a cookie value stands for, or null when it is forged, expired, revoked or from another token.</summary>
    public OperatorSession? Validate(string? cookie)
    {
        if (!Required || string.IsNullOrEmpty(cookie) || cookie.Length > 200)
        {
            return null;
        }

        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        byte[] payload, signature;
        try
        {
            payload = Convert.FromBase64String(Pad(cookie[..Math.Max(dot, 0)]));
            signature = Convert.FromBase64String(Pad(cookie[(dot + 1)..]));
        }
        catch (FormatException)
        {
            return null;
        }

        if (dot <= 0 || payload.Length != NonceBytes + 8 || !CryptographicOperations.FixedTimeEquals(signature, Sign("s", payload)))
        {
            return null;
        }

        var nonce = Base64Url(payload.AsSpan(0, NonceBytes));
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(NonceBytes)));
        if (expires <= time.GetUtcNow() || _revoked.ContainsKey(nonce))
        {
            return null;
        }

        return new OperatorSession(nonce, expires, Base64Url(Sign("c", payload.AsSpan(0, NonceBytes))));
    }

    /// <summary>True when <paramref name="header"/> is the session's CSRF token (constant time).</summary>
    public static bool CsrfMatches(OperatorSession session, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(header), Encoding.ASCII.GetBytes(session.Csrf));

    public void Revoke(OperatorSession session)
    {
        var now = time.GetUtcNow();
        foreach (var (nonce, expires) in _revoked)
        {
            if (expires <= now)
            {
                _revoked.TryRemove(nonce, out _);
            }
        }

        _revoked[session.Nonce] = session.Expires;
    }

    /// <summary>True while <paramref name="client"/> may try another sign-in (fewer than <see cref="MaxFailures"/> recent failures).</summary>
    public bool MayTry(IPAddress? client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (client is null || !_failures.TryGetValue(client, out var q))
        {
            return true;
        }

        lock (q)
        {
            Prune(q);
            if (q.Count < MaxFailures)
            {
                return true;
            }

            retryAfter = q.Peek() + FailureWindow - time.GetUtcNow();
            return false;
        }
    }

    public void Failed(IPAddress? client)
    {
        if (client is null)
        {
            return;
        }

        if (_failures.Count > 1000)
        {
            // many addresses: forget those with no recent failure
            foreach (var (ip, old) in _failures)
            {
                lock (old)
                {
                    Prune(old);
                    if (old.Count == 0)
                    {
                        _failures.TryRemove(ip, out _);
                    }
                }
            }
        }

        var q = _failures.GetOrAdd(client, _ => new Queue<DateTimeOffset>());
        lock (q)
        {
            Prune(q);
            q.Enqueue(time.GetUtcNow());
        }
    }

    private void Prune(Queue<DateTimeOffset> q)
    {
        var since = time.GetUtcNow() - FailureWindow;
        while (q.Count > 0 && q.Peek() <= since)
        {
            q.Dequeue();
        }
    }

    private byte[] Sign(string purpose, ReadOnlySpan<byte> data)
    {
        var message = new byte[1 + data.Length];
        message[0] = (byte)purpose[0];
        data.CopyTo(message.AsSpan(1));
        return HMACSHA256.HashData(Key, message);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pad(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}

/// <summary>A signed-in page: its nonce (revocation), expiry and CSRF token.</summary>
public sealed record OperatorSession(string Nonce, DateTimeOffset Expires, string Csrf);
