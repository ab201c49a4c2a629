using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Output;

/// <summary>
/// Logs send failures (no route, interface down...) per destination at most once per interval, with the count since
/// the last report, and a recovery when that destination works again. One bad node among good ones reports once per
/// interval; it never floods the log. Allocation-free on the send path.
/// </summary>
internal sealed class SendFailureGate
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly string[] _names;
    private readonly long[] _failures;
    private readonly long[] _lastLogged;

    /// <param name="logger">Where reports go.</param>
    /// <param name="destinations">A name per destination index (e.g. "Art-Net → 10.0.0.5:6454").</param>
    /// <param name="time">Clock.</param>
    /// <param name="interval">At most one report per destination per interval.</param>
    public SendFailureGate(ILogger logger, IReadOnlyList<string> destinations, TimeProvider time, TimeSpan interval)
    {
        _logger = logger;
        _time = time;
        _interval = interval;
        _names = [.. destinations];
        _failures = new long[_names.Length];
        _lastLogged = new long[_names.Length];
        Array.Fill(_lastLogged, long.MinValue);
    }

    public long TotalFailures { get; private set; }

    public void Failed(int destination, SocketException e)
    {
        _failures[destination]++;
        TotalFailures++;
        var now = _time.GetTimestamp();
        if (_lastLogged[destination] == long.MinValue || _time.GetElapsedTime(_lastLogged[destination], now) >= _interval)
        {
            _lastLogged[destination] = now;
            LightingLog.SendFailed(_logger, _names[destination], _failures[destination], e.SocketErrorCode.ToString());
            _failures[destination] = 0;
        }
    }

    public void Succeeded(int destination)
    {
        if (_lastLogged[destination] != long.MinValue)
        {
            LightingLog.SendRecovered(_logger, _names[destination], _failures[destination]);
            _failures[destination] = 0;
            _lastLogged[destination] = long.MinValue;
        }
    }
}
