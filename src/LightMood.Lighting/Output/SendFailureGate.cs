using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LightMood.Lighting.Output;

/// <summary>Logs send failures (no route, interface down...) at most once per interval, with a count, and a recovery.</summary>
internal sealed class SendFailureGate(ILogger logger, string output, TimeProvider time, TimeSpan interval)
{
    private long _failures;
    private long _lastLogged = long.MinValue;

    public long TotalFailures { get; private set; }

    public void Failed(SocketException e)
    {
        _failures++;
        TotalFailures++;
        var now = time.GetTimestamp();
        if (_lastLogged == long.MinValue || time.GetElapsedTime(_lastLogged, now) >= interval)
        {
            _lastLogged = now;
            LightingLog.SendFailed(logger, output, _failures, e.SocketErrorCode.ToString());
            _failures = 0;
        }
    }

    public void Succeeded()
    {
        if (_lastLogged != long.MinValue)
        {
            LightingLog.SendRecovered(logger, output, _failures);
            _failures = 0;
            _lastLogged = long.MinValue;
        }
    }
}
