using System.Diagnostics;
using NAudio.Wave;

namespace LightMood.Audio.Live;

/// <summary>Why a <see cref="LiveAudioSource"/> stopped.</summary>
public enum LiveAudioStopReason
{
    /// <summary><see cref="LiveAudioSource.Stop"/> was called.</summary>
    Requested,

    /// <summary>The source ended (stdin closed, a file played once).</summary>
    EndOfStream,

    /// <summary>An error the source could not recover from; see <see cref="LiveAudioStoppedEventArgs.Error"/>.</summary>
    Faulted,
}

/// <summary>The end of a live source's capture thread.</summary>
public sealed class LiveAudioStoppedEventArgs(LiveAudioStopReason reason, Exception? error) : EventArgs
{
    public LiveAudioStopReason Reason { get; } = reason;

    public Exception? Error { get; } = error;
}

/// <summary>What a live source needs from its owner; everything has a default.</summary>
public sealed record LiveAudioSourceOptions
{
    /// <summary>Samples per block handed over (see <see cref="AudioBlockRing"/>).</summary>
    public int BlockSamples { get; init; } = AudioBlockRing.DefaultBlockSamples;

    /// <summary>Blocks the ring holds before dropping the oldest.</summary>
    public int CapacityBlocks { get; init; } = AudioBlockRing.DefaultCapacity;

    /// <summary>Wait for the reader instead of dropping (only for sources that may wait: files played as fast as possible).</summary>
    public bool WaitWhenFull { get; init; }

    /// <summary>How long <see cref="LiveAudioSource.Stop"/> waits for the capture thread to end.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Called on the capture thread with every block (mono, analysis rate) before it enters the ring, e.g. for a level
    /// meter that works whether or not anyone reads the ring. Must be quick and must not allocate or throw.
    /// </summary>
    public CapturedBlockObserver? BlockCaptured { get; init; }
}

/// <summary>Sees one captured block on the capture thread (see <see cref="LiveAudioSourceOptions.BlockCaptured"/>).</summary>
public delegate void CapturedBlockObserver(ReadOnlySpan<float> block);

/// <summary>
/// A live audio source: a dedicated, named capture thread pulls mono samples from the chain that
/// <c>open</c> builds (on that thread: PortAudio, a raw PCM stream, a paced file...), converts them to the analysis
/// format (mono float32 at 22 050 Hz, band-limited by <see cref="SincResamplingSampleProvider"/>) and hands them over
/// through a pre-allocated <see cref="AudioBlockRing"/> (drop oldest, counted). The consumer pulls with
/// <see cref="Read(Span{float})"/> like any <see cref="ISampleProvider"/>: it blocks until samples arrive and returns
/// 0 once the source has stopped and the ring is drained. <see cref="Stopped"/> is raised once, on the capture thread,
/// with the reason and error; <see cref="Stop"/> may be called any number of times from any thread (it joins the
/// thread outside every lock). Recoverable device faults of a reconnecting chain are reported by
/// <see cref="Faulted"/> and <see cref="Recovered"/> while the source keeps running.
/// </summary>
public sealed class LiveAudioSource : ISampleProvider, IDisposable
{
    /// <summary>The analysis rate every live source delivers (<see cref="AnalysisFormat.SampleRate"/>).</summary>
    public const int SampleRate = AnalysisFormat.SampleRate;

    private readonly Func<CancellationToken, ISampleProvider> _open;
    private readonly LiveAudioSourceOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _stateGate = new();
    private Thread? _thread;
    private int _stoppedRaised;

    /// <param name="name">Shown in logs and used for the thread name.</param>
    /// <param name="open">
    /// Builds the mono chain on the capture thread; the token is cancelled by <see cref="Stop"/> (pass it to anything
    /// that sleeps). A chain that is <see cref="IDisposable"/> is disposed on the capture thread at the end.
    /// </param>
    /// <param name="options">Block size, ring capacity, full-ring behaviour.</param>
    public LiveAudioSource(string name, Func<CancellationToken, ISampleProvider> open, LiveAudioSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(open);
        Name = name;
        _open = open;
        _options = options ?? new LiveAudioSourceOptions();
        Blocks = new AudioBlockRing(_options.BlockSamples, _options.CapacityBlocks, _options.WaitWhenFull);
    }

    /// <summary>Raised once when the capture thread ends (on that thread).</summary>
    public event EventHandler<LiveAudioStoppedEventArgs>? Stopped;

    /// <summary>A recoverable fault (device lost, reopen failed); the source keeps trying (on the capture thread).</summary>
    public event EventHandler<AudioFaultEventArgs>? Faulted;

    /// <summary>The device is back after <see cref="Faulted"/> (on the capture thread).</summary>
    public event EventHandler? Recovered;

    public string Name { get; }

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(SampleRate, 1);

    /// <summary>The hand-over ring (drop and write counters).</summary>
    public AudioBlockRing Blocks { get; }

    /// <summary>Blocks dropped because the consumer was behind.</summary>
    public long DroppedBlocks => Blocks.Dropped;

    public bool IsRunning
    {
        get
        {
            lock (_stateGate)
            {
                return _thread is not null && Volatile.Read(ref _stoppedRaised) == 0;
            }
        }
    }

    /// <summary>Starts the capture thread. Once only.</summary>
    public void Start()
    {
        lock (_stateGate)
        {
            if (_thread is not null)
            {
                throw new InvalidOperationException($"live source '{Name}' was already started");
            }

            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _thread = new Thread(Capture)
            {
                Name = $"lightmood-capture {Name}",
                IsBackground = true,
            };
            _thread.Start();
        }
    }

    /// <summary>
    /// Stops capture: cancels the chain, releases a waiting reader, and waits (up to the join timeout) for the thread.
    /// Safe to call twice, before <see cref="Start"/>, or from a <see cref="Stopped"/> handler. Returns false when the
    /// thread is still blocked in a read it cannot leave (a stdin pipe with no writer) after the timeout.
    /// </summary>
    public bool Stop()
    {
        Thread? thread;
        lock (_stateGate)
        {
            thread = _thread;
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
            }
        }

        Blocks.Complete();
        if (thread is null || thread == Thread.CurrentThread)
        {
            return true;
        }

        return thread.Join(_options.JoinTimeout); // outside every lock
    }

    /// <summary>Blocks until samples arrive; 0 once the source has stopped and everything was read.</summary>
    public int Read(Span<float> buffer) => Blocks.Read(buffer, Timeout.InfiniteTimeSpan);

    /// <summary>As <see cref="Read(Span{float})"/>, giving up after <paramref name="timeout"/> (0 then; see <see cref="AudioBlockRing.IsCompleted"/>).</summary>
    public int Read(Span<float> buffer, TimeSpan timeout) => Blocks.Read(buffer, timeout);

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    internal void OnFaulted(AudioFaultEventArgs e) => Faulted?.Invoke(this, e);

    internal void OnRecovered() => Recovered?.Invoke(this, EventArgs.Empty);

    /// <summary>Wraps a mono chain so that it delivers the analysis rate.</summary>
    internal static ISampleProvider ToAnalysisRate(ISampleProvider mono)
    {
        if (mono.WaveFormat.Channels != 1)
        {
            throw new ArgumentException($"a live chain must be mono; it has {mono.WaveFormat.Channels} channels", nameof(mono));
        }

        return mono.WaveFormat.SampleRate == SampleRate ? mono : new SincResamplingSampleProvider(mono, SampleRate);
    }

    private void Capture()
    {
        var token = _stop.Token;
        var reason = LiveAudioStopReason.Requested;
        Exception? error = null;
        ISampleProvider? chain = null;
        try
        {
            chain = _open(token);
            var pump = new CapturePump(ToAnalysisRate(chain), Blocks, _options.BlockCaptured);
            while (!token.IsCancellationRequested)
            {
                if (pump.Step() == 0)
                {
                    reason = token.IsCancellationRequested ? LiveAudioStopReason.Requested : LiveAudioStopReason.EndOfStream;
                    break;
                }
            }
        }
        catch (Exception e) when (token.IsCancellationRequested)
        {
            Debug.WriteLine($"live source '{Name}' ended by Stop: {e.Message}");
        }
        catch (Exception e)
        {
            reason = LiveAudioStopReason.Faulted;
            error = e;
        }
        finally
        {
            (chain as IDisposable)?.Dispose();
            Blocks.Complete();
            if (Interlocked.Exchange(ref _stoppedRaised, 1) == 0)
            {
                Stopped?.Invoke(this, new LiveAudioStoppedEventArgs(reason, error));
            }
        }
    }
}

/// <summary>One block from a chain into a ring: the capture thread's whole hot path, with one reused buffer.</summary>
internal sealed class CapturePump(ISampleProvider chain, AudioBlockRing ring, CapturedBlockObserver? observer = null)
{
    private readonly float[] _block = new float[ring.BlockSamples];

    /// <summary>Moves up to one block; returns the samples moved (0 = the chain ended).</summary>
    public int Step()
    {
        var n = chain.Read(_block);
        if (n > 0)
        {
            observer?.Invoke(_block.AsSpan(0, n));
            ring.Write(_block.AsSpan(0, n));
        }

        return n;
    }
}
