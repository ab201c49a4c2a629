using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightMood.Hosting;

/// <summary>
/// A pipeline stage run under supervision: when it throws, the fault is logged and reported to the host's
/// <see cref="StageHealth"/> under the stage's name (the lighting engine, which observes it, shows the safe look), and
/// the stage is restarted after a back-off (0.5 s doubling to 30 s, reset after a minute of healthy running). The
/// process and the other stages keep running. A stage clears only its own fault (<see cref="Healthy"/>). A failure is
/// logged with its stack once; the same failure again on a retry is logged in one line.
/// </summary>
public abstract class SupervisedStage(
    string name, LiveState state, TimeProvider time, ILogger logger, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HealthyAfter = TimeSpan.FromMinutes(1);

    public string Name => name;

    /// <summary>How many times the stage has been restarted after a fault.</summary>
    public int Restarts { get; private set; }

    protected ILogger Logger => logger;

    protected LiveState State => state;

    /// <summary>The fault state this stage reports into (the host's one owner).</summary>
    protected StageHealth Health => state.Health;

    protected TimeProvider Time => time;

    /// <summary>Runs the stage until <paramref name="stoppingToken"/> fires; throwing counts as a fault.</summary>
    protected abstract Task RunStageAsync(CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // nothing runs (no model loads, no device opens) until the whole host has started: a start-up that fails,
        // e.g. on a busy port, then ends without native work in flight on another thread
        var hostStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => hostStarted.TrySetResult()))
        using (stoppingToken.Register(() => hostStarted.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await hostStarted.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var delay = FirstDelay;
        string? lastFailure = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                logger.StageRunning(name);
                await RunStageAsync(stoppingToken).ConfigureAwait(false);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                throw new InvalidOperationException($"stage {name} ended on its own");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (time.GetElapsedTime(started) > HealthyAfter)
                {
                    delay = FirstDelay;
                }

                Restarts++;
                var failure = e.GetType().FullName + ": " + e.Message;
                if (failure == lastFailure)
                {
                    logger.StageFailedAgain(name, e.Message, Restarts, delay.TotalSeconds);
                }
                else
                {
                    logger.StageFailed(e, name, delay.TotalSeconds);
                    lastFailure = failure;
                }

                state.Health.Fault(name, e.Message);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    /// <summary>Runs a blocking stage body on a dedicated, named thread (not the thread pool); the task ends with it.</summary>
    protected static Task OnOwnThread(string threadName, Action<CancellationToken> body, CancellationToken stoppingToken) =>
        Task.Factory.StartNew(
            () =>
            {
                Thread.CurrentThread.Name = threadName;
                body(stoppingToken);
            },
            stoppingToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    /// <summary>Call once the stage is healthy again: clears its own fault (the lights follow the music once no stage is faulted).</summary>
    protected void Healthy() => state.Health.Clear(name);
}
