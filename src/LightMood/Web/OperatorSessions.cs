using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LightMood.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Web;

/// <summary>
/// Sign-in on the page: the access token, entered once, buys an HttpOnly, SameSite=Strict session cookie. The cookie
/// is <c>nonce.expiry</c> signed with a key derived from the token (HMAC-SHA256), so it survives a daemon restart and
/// a changed token ends every session. Each session has a CSRF token (an HMAC of its nonce) that the page reads from
/// <c>GET /api/session</c> (same-origin only: the daemon answers no CORS) and sends as <c>X-CSRF-Token</c> on every
/// mutating request; a request that carries only the cookie is refused. Signing out revokes the session: its nonce
/// and expiry go to <see cref="RevokedFileName"/> in the state directory (written atomically, read back at start,
/// expired ones dropped), so a restarted daemon refuses a signed-out cookie as the running one did. Failed sign-ins are
/// limited per client address.
/// </summary>
public sealed class OperatorSessions
{
    /// <summary>The signed-out sessions, one <c>nonce expiry-unix-seconds</c> line each, in the state directory.</summary>
    public const string RevokedFileName = "revoked-sessions";

    /// <summary>Most signed-out sessions kept (those expiring soonest are dropped first; each needed a valid sign-in).</summary>
    public const int MaxRevoked = 10_000;

    private readonly IOptions<WebOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Lock _save = new();

    /// <param name="options">The access token and session lifetime.</param>
    /// <param name="time">The clock.</param>
    /// <param name="paths">The state directory, where signed-out sessions are kept; null keeps them in memory only.</param>
    /// <param name="logger">Where a revocation that cannot be saved is reported.</param>
    public OperatorSessions(IOptions<WebOptions> options, TimeProvider time, DaemonPaths? paths = null, ILogger<OperatorSessions>? logger = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        RevokedFile = paths is null ? null : Path.Combine(paths.State, RevokedFileName);
        LoadRevoked();
    }

    /// <summary>The file signed-out sessions are kept in, or null (in memory only).</summary>
    public string? RevokedFile { get; }

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
    public bool Required => !string.IsNullOrEmpty(_options.Value.AccessToken);

    public TimeSpan Lifetime => TimeSpan.FromHours(_options.Value.SessionHours);

    private byte[] Key => _key ??= HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.Value.AccessToken ?? ""), "lightmood session v1"u8);

    /// <summary>True when <paramref name="given"/> is the access token (constant time).</summary>
    public bool IsToken(string? given) =>
        Required && given is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(_options.Value.AccessToken!));

    /// <summary>A new session: the cookie value and its expiry.</summary>
    public (string Cookie, DateTimeOffset Expires) Issue()
    {
        var expires = _time.GetUtcNow() + Lifetime;
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
        if (expires <= _time.GetUtcNow() || _revoked.ContainsKey(nonce))
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
        var now = _time.GetUtcNow();
        foreach (var (nonce, expires) in _revoked)
        {
            if (expires <= now)
            {
                _revoked.TryRemove(nonce, out _);
            }
        }

        _revoked[session.Nonce] = session.Expires;
        if (_revoked.Count > MaxRevoked)
        {
            foreach (var (nonce, _) in _revoked.OrderBy(kv => kv.Value).Take(_revoked.Count - MaxRevoked))
            {
                _revoked.TryRemove(nonce, out _);
            }
        }

        SaveRevoked();
    }

    private void SaveRevoked()
    {
        if (RevokedFile is null)
        {
            return;
        }

        lock (_save)
        {
            var text = new StringBuilder();
            foreach (var (nonce, expires) in _revoked)
            {
                text.Append(nonce).Append(' ').Append(expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(RevokedFile)!);
                AtomicFile.WriteAllText(RevokedFile, text.ToString());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger?.RevokedSessionsNotSaved(RevokedFile, e.Message);
            }
        }
    }

    private void LoadRevoked()
    {
        if (RevokedFile is null || !File.Exists(RevokedFile))
        {
            return;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(RevokedFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger?.RevokedSessionsFileIgnored(RevokedFile, e.Message);
            return;
        }

        var now = _time.GetUtcNow();
        var bad = 0;
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length is 0 or > 64 ||
                !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var unix) || unix > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                bad++;
                continue;
            }

            var expires = DateTimeOffset.FromUnixTimeSeconds(unix);
            if (expires > now)
            {
                _revoked[parts[0]] = expires;
            }
        }

        if (bad > 0)
        {
            _logger?.RevokedSessionsFileIgnored(RevokedFile, $"{bad} malformed line(s) skipped");
        }
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

            retryAfter = q.Peek() + FailureWindow - _time.GetUtcNow();
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
            q.Enqueue(_time.GetUtcNow());
        }
    }

    private void Prune(Queue<DateTimeOffset> q)
    {
        var since = _time.GetUtcNow() - FailureWindow;
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
