using NAudio.Wave;

namespace LightMood.Audio.Live;

/// <summary>A device fault a reconnecting source recovers from.</summary>
public sealed class AudioFaultEventArgs(Exception error, int attempt, TimeSpan retryIn) : EventArgs
{
    /// <summary>What failed (a <c>PortAudioException</c> names the native call).</summary>
    public Exception Error { get; } = error;

    /// <summary>1 for the first failure in a row.</summary>
    public int Attempt { get; } = attempt;

    /// <summary>The back-off before the next open.</summary>
    public TimeSpan RetryIn { get; } = retryIn;
}

/// <summary>Exponential back-off between reopen attempts: <see cref="Initial"/>, doubling, at most <see cref="Max"/>.</summary>
public sealed record ReconnectPolicy(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>0.5 s doubling to 30 s.</summary>
    public static ReconnectPolicy Default { get; } = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));

    public TimeSpan Delay(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(30, Math.Max(0, attempt - 1)));
        return TimeSpan.FromTicks((long)Math.Min(Max.Ticks, Initial.Ticks * factor));
    }
}

/// <summary>
/// Keeps a device-backed <see cref="ISampleProvider"/> alive: opens it lazily, and when a read or an open throws
/// (device unplugged, sound server gone) disposes it, reports <see cref="Faulted"/>, waits the policy's back-off
/// (cancellable) and opens it again, reporting <see cref="Recovered"/> once reads succeed. While disconnected a
/// <see cref="Read"/> does not return (no samples are invented); it returns 0 only when cancelled. Errors that no
/// retry can fix (<see cref="DllNotFoundException"/>, <see cref="ArgumentException"/> from a bad configuration)
/// are thrown. Every opened provider must have <see cref="WaveFormat"/>'s format.
/// </summary>
public sealed class ReconnectingSampleProvider(
    WaveFormat format,
    Func<ISampleProvider> open,
    ReconnectPolicy policy,
    CancellationToken cancellation) : ISampleProvider, IDisposable
{
    private ISampleProvider? _current;
    private int _failures;
    private bool _faulted;

    public event EventHandler<AudioFaultEventArgs>? Faulted;

    public event EventHandler? Recovered;

    public WaveFormat WaveFormat { get; } = format;

    /// <summary>Successful opens (1 = never reconnected).</summary>
    public int Opens { get; private set; }

    public int Read(Span<float> buffer)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                _current ??= OpenChecked();
                var n = _current.Read(buffer);
                if (n > 0)
                {
                    if (_faulted)
                    {
                        _faulted = false;
                        _failures = 0;
                        Recovered?.Invoke(this, EventArgs.Empty);
                    }

                    return n;
                }

                throw new EndOfStreamException("the device delivered no samples");
            }
            catch (Exception e) when (e is not (DllNotFoundException or ArgumentException) && !cancellation.IsCancellationRequested)
            {
                DisposeCurrent();
                _faulted = true;
                _failures++;
                var delay = policy.Delay(_failures);
                Faulted?.Invoke(this, new AudioFaultEventArgs(e, _failures, delay));
                cancellation.WaitHandle.WaitOne(delay);
            }
        }

        return 0;
    }

    public void Dispose() => DisposeCurrent();

    private ISampleProvider OpenChecked()
    {
        var provider = open();
        var f = provider.WaveFormat;
        if (f.SampleRate != WaveFormat.SampleRate || f.Channels != WaveFormat.Channels)
        {
            (provider as IDisposable)?.Dispose();
            throw new ArgumentException($"reopened source delivers {f.Channels} ch at {f.SampleRate} Hz, expected {WaveFormat.Channels} ch at {WaveFormat.SampleRate} Hz");
        }

        Opens++;
        return provider;
    }

    private void DisposeCurrent()
    {
        (_current as IDisposable)?.Dispose();
        _current = null;
    }
}
