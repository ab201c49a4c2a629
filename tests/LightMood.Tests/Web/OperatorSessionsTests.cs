using System.Net;
using LightMood.Hosting;
using LightMood.Web;
using Microsoft.Extensions.Options;

namespace LightMood.Tests.Web;

/// <summary>The session cookie and CSRF token on their own: signed, expiring, revocable, bound to the token.</summary>
public sealed class OperatorSessionsTests
{
    private const string Token = "0123456789abcdef-token";
    private readonly MovableTime _time = new();

    private OperatorSessions Sessions(string? token = Token, double hours = 168) =>
        new(Options.Create(new WebOptions { AccessToken = token, SessionHours = hours }), _time);

    [Fact]
    public void A_cookie_it_issued_is_a_session_with_a_CSRF_token_of_its_own()
    {
        var sessions = Sessions();
        var (cookie, expires) = sessions.Issue();
        var s = sessions.Validate(cookie);
        Assert.NotNull(s);
        Assert.Equal(expires, s.Expires);
        Assert.InRange((expires - _time.GetUtcNow()).TotalHours, 167.9, 168);
        Assert.True(OperatorSessions.CsrfMatches(s, s.Csrf));
        Assert.False(OperatorSessions.CsrfMatches(s, sessions.Validate(sessions.Issue().Cookie)!.Csrf)); // another session's
        Assert.False(OperatorSessions.CsrfMatches(s, null));
        Assert.False(OperatorSessions.CsrfMatches(s, ""));
        Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_tampered_expired_revoked_or_other_token_cookie_is_no_session()
    {
        var sessions = Sessions();
        var (cookie, _) = sessions.Issue();
        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        var flipped = (cookie[0] == 'A' ? "B" : "A") + cookie[1..];
        Assert.Null(sessions.Validate(flipped));                                  // payload changed (e.g. a later expiry)
        Assert.Null(sessions.Validate(cookie[..dot] + ".AAAA"));                  // signature forged
        Assert.Null(sessions.Validate(cookie[..dot]));                            // no signature
        Assert.Null(sessions.Validate("%%%.###"));
        Assert.Null(sessions.Validate(""));
        Assert.Null(sessions.Validate(new string('a', 5000)));
        Assert.Null(Sessions("another-token-0123456789").Validate(cookie));      // the token was changed
        Assert.Null(Sessions(null).Validate(cookie));                             // no token: no sessions

        _time.Shift(TimeSpan.FromHours(167.9));
        var s = sessions.Validate(cookie);
        Assert.NotNull(s);
        _time.Shift(TimeSpan.FromHours(0.2));
        Assert.Null(sessions.Validate(cookie));                                   // expired

        var (second, _) = sessions.Issue();
        sessions.Revoke(sessions.Validate(second)!);
        Assert.Null(sessions.Validate(second));                                   // signed out
    }

    [Fact]
    public void Wrong_tokens_are_limited_per_client_address_for_a_while()
    {
        var sessions = Sessions();
        var phone = IPAddress.Parse("192.0.2.20");
        var other = IPAddress.Parse("192.0.2.21");
        for (var i = 0; i < OperatorSessions.MaxFailures; i++)
        {
            Assert.True(sessions.MayTry(phone, out _));
            sessions.Failed(phone);
        }

        Assert.False(sessions.MayTry(phone, out var wait));
        Assert.InRange(wait, TimeSpan.FromMinutes(4.9), OperatorSessions.FailureWindow);
        Assert.True(sessions.MayTry(other, out _));
        _time.Shift(OperatorSessions.FailureWindow);
        Assert.True(sessions.MayTry(phone, out _));
        Assert.True(sessions.IsToken(Token));
        Assert.False(sessions.IsToken(Token + "x"));
        Assert.False(sessions.IsToken(null));
        Assert.False(Sessions(null).IsToken(""));
    }

    [Fact]
    public void Signed_out_sessions_are_kept_in_the_state_directory_until_they_expire()
    {
        var state = Directory.CreateTempSubdirectory("lightmood-sessions-").FullName;
        var paths = new DaemonPaths(state, state, state);
        OperatorSessions Kept(double hours = 1) => new(Options.Create(new WebOptions { AccessToken = Token, SessionHours = hours }), _time, paths);

        var first = Kept();
        var (cookie, _) = first.Issue();
        var other = first.Issue().Cookie;
        first.Revoke(first.Validate(cookie)!);
        Assert.Null(first.Validate(cookie));

        // a new instance (a restarted daemon) reads the file: still refused; the other session still valid
        var restarted = Kept();
        Assert.Null(restarted.Validate(cookie));
        Assert.NotNull(restarted.Validate(other));

        // malformed lines are skipped, not fatal; an expired entry is dropped at the next start and the next save
        File.AppendAllText(restarted.RevokedFile!, "garbage\nnonce notanumber\n");
        Assert.Null(Kept().Validate(cookie));
        _time.Shift(TimeSpan.FromHours(2));
        var later = Kept();
        var (fresh, _) = later.Issue();
        later.Revoke(later.Validate(fresh)!);
        Assert.Single(File.ReadAllLines(later.RevokedFile!));

        // without a state directory nothing is written
        var memory = Sessions();
        memory.Revoke(memory.Validate(memory.Issue().Cookie)!);
        Assert.Null(memory.RevokedFile);
    }

    private sealed class MovableTime : TimeProvider
    {
        private TimeSpan _offset;

        public void Shift(TimeSpan by) => _offset += by;

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero) + _offset;
    }
}
