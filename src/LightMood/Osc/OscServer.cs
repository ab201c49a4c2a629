using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LightMood.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightMood.Osc;

/// <summary>
/// The OSC 1.0 server: one UDP socket (bound when the daemon is built, so a bad address is a configuration error
/// before any DMX), one receive loop. Each datagram is parsed whole (<see cref="OscPacket"/>) and only then
/// dispatched (<see cref="OscCommands"/>): a malformed packet changes nothing. Bundles time-tagged in the future run
/// when due (up to <see cref="MaxScheduleAhead"/>). Every outcome is counted (<see cref="Counters"/>, on the page and
/// in <c>/api/state</c>); bad packets are logged at most every 10 s.
/// </summary>
public sealed class OscServer(IOptions<OscOptions> options, OscCommands commands, TimeProvider time, ILogger<OscServer> logger) : BackgroundService
{
    /// <summary>The furthest ahead a bundle may be scheduled; later ones are rejected.</summary>
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromMinutes(1);

    private const int MaxPending = 256;
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);
    private readonly OscOptions _options = options.Value;
    private readonly HashSet<IPAddress> _allowed = [.. options.Value.AllowedSenders.Select(s => IPAddress.Parse(s).MapToIPv6())];
    private readonly ConcurrentDictionary<ITimer, byte> _pending = new();
    private readonly OscCounters _counters = new();
    private Socket? _socket;
    private long _lastLogged = long.MinValue;

    /// <summary>Where it listens, once bound (null when OSC is off).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public OscCountersSnapshot Counters => _counters.Snapshot(_options.Enabled, LocalEndPoint?.ToString());

    /// <summary>Opens the socket when OSC is enabled; throws <see cref="SocketException"/> when the address cannot be bound.</summary>
    public void Bind()
    {
        if (!_options.Enabled || _socket is not null)
        {
            return;
        }

        var address = IPAddress.Parse(_options.BindAddress);
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, _options.Port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        logger.OscListening(LocalEndPoint.ToString(), _allowed.Count == 0 ? "local senders" : string.Join(", ", _options.AllowedSenders));
    }

    /// <summary>One datagram from <paramref name="sender"/>: checked, parsed whole, then dispatched or scheduled.</summary>
    public void Handle(ReadOnlySpan<byte> datagram, IPAddress sender)
    {
        _counters.Add(ref _counters.Packets);
        if (_allowed.Count > 0 ? !_allowed.Contains(sender.MapToIPv6()) : !IPAddress.IsLoopback(sender.IsIPv4MappedToIPv6 ? sender.MapToIPv4() : sender))
        {
            _counters.Add(ref _counters.Refused);
            Bad($"a packet from {sender}, which is not an allowed sender");
            return;
        }

        IReadOnlyList<OscTimedMessage> messages;
        try
        {
            messages = OscPacket.Parse(datagram);
        }
        catch (OscFormatException e)
        {
            _counters.Add(ref _counters.Malformed);
            Bad($"a malformed packet from {sender} ({e.Message})");
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (when, message) in messages)
        {
            var due = when.IsImmediate ? now : when.ToDateTimeOffset();
            if (due <= now)
            {
                Run(message);
            }
            else if (due - now > MaxScheduleAhead || _pending.Count >= MaxPending)
            {
                _counters.Add(ref _counters.Rejected);
                Bad($"a bundle for {due:O}, more than {MaxScheduleAhead.TotalSeconds} s ahead or too many pending");
            }
            else
            {
                ITimer? timer = null;
                timer = time.CreateTimer(_ =>
                {
                    _pending.TryRemove(timer!, out byte _);
                    Run(message);
                }, null, due - now, Timeout.InfiniteTimeSpan);
                _pending[timer] = 0;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_socket is null)
        {
            return;
        }

        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stoppingToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.ConnectionReset)
            {
                _counters.Add(ref _counters.Malformed);
                continue;
            }

            Handle(buffer.AsSpan(0, received.ReceivedBytes), ((IPEndPoint)received.RemoteEndPoint).Address);
        }
    }

    public override void Dispose()
    {
        foreach (var t in _pending.Keys)
        {
            t.Dispose();
        }

        _socket?.Dispose();
        base.Dispose();
    }

    private void Run(OscMessage message)
    {
        try
        {
            if (commands.Dispatch(message) == 0)
            {
                _counters.Add(ref _counters.Unmatched);
                Bad($"no address matches '{message.Address}'");
            }
            else
            {
                _counters.Add(ref _counters.Messages);
            }
        }
        catch (OscFormatException e)
        {
            _counters.Add(ref _counters.Malformed);
            Bad(e.Message);
        }
        catch (ArgumentException e)
        {
            _counters.Add(ref _counters.Rejected);
            Bad($"{message.Address} ,{message.Tags}: {e.Message}");
        }
    }

    private void Bad(string what)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLogged);
        if ((last == long.MinValue || time.GetElapsedTime(last, now) >= LogEvery) && Interlocked.CompareExchange(ref _lastLogged, now, last) == last)
        {
            logger.OscIgnored(what, Counters.ToString());
        }
    }
}

/// <summary>What the OSC server has received and done with it.</summary>
public sealed class OscCounters
{
    public long Packets;
    public long Messages;
    public long Malformed;
    public long Unmatched;
    public long Rejected;
    public long Refused;

    public void Add(ref long counter) => Interlocked.Increment(ref counter);

    public OscCountersSnapshot Snapshot(bool enabled, string? endpoint) => new(enabled, endpoint,
        Interlocked.Read(ref Packets), Interlocked.Read(ref Messages), Interlocked.Read(ref Malformed),
        Interlocked.Read(ref Unmatched), Interlocked.Read(ref Rejected), Interlocked.Read(ref Refused));
}

/// <param name="Packets">Datagrams received.</param>
/// <param name="Messages">Messages that ran a command.</param>
/// <param name="Malformed">Datagrams (or patterns) that are not OSC 1.0: ignored whole.</param>
/// <param name="Unmatched">Messages whose address matches nothing.</param>
/// <param name="Rejected">Messages with missing, wrong or out-of-range arguments (nothing changed).</param>
/// <param name="Refused">Datagrams from senders not allowed.</param>
public sealed record OscCountersSnapshot(bool Enabled, string? Endpoint, long Packets, long Messages, long Malformed, long Unmatched, long Rejected, long Refused);
