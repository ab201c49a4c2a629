using Microsoft.Extensions.Logging;

namespace LightMood.Hosting;

/// <summary>Stable event IDs and messages of the daemon, defined once.</summary>
internal static partial class LogEvents
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Mood {Mood} (confidence {Confidence:0.00}, valence {Valence:+0.00;-0.00}, arousal {Arousal:+0.00;-0.00}) from {RegionStart:0.00} s")]
    public static partial void MoodChanged(this ILogger logger, string mood, double confidence, double valence, double arousal, double regionStart);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Boundary at {Time:0.000} s ({From} -> {To}, {Evidence}), confirmed at {ConfirmedAt:0.000} s")]
    public static partial void BoundaryConfirmed(this ILogger logger, double time, string from, string to, string evidence, double confirmedAt);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Audio source: {Source}")]
    public static partial void AudioSourceOpened(this ILogger logger, string source);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Audio stalled: no samples for {Seconds:0.0} s")]
    public static partial void AudioStalled(this ILogger logger, double seconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Audio block with {Count} non-finite samples replaced by silence")]
    public static partial void NonFiniteSamples(this ILogger logger, int count);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Analysis fell behind: {Dropped} audio blocks dropped so far")]
    public static partial void BlocksDropped(this ILogger logger, long dropped);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Audio device lost ({Reason}); reopen attempt {Attempt} in {RetryIn:0.0} s, lights on the safe look")]
    public static partial void AudioDeviceLost(this ILogger logger, string reason, int attempt, double retryIn);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Audio device back: {Source}")]
    public static partial void AudioDeviceBack(this ILogger logger, string source);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Audio input chosen on the page: {Source}, channel {Channel}; reopening the capture")]
    public static partial void AudioInputChosen(this ILogger logger, string source, int channel);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "Audio input from {Path}: {Source} (the operator's last choice)")]
    public static partial void AudioInputRestored(this ILogger logger, string path, string source);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning, Message = "Ignored {Path} (the Audio settings apply): {Reason}")]
    public static partial void AudioInputFileIgnored(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "OSC listening on udp {Endpoint} for {Senders}")]
    public static partial void OscListening(this ILogger logger, string endpoint, string senders);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "OSC: ignored {What} (counts so far: {Counters}; logged at most every 10 s)")]
    public static partial void OscIgnored(this ILogger logger, string what, string counters);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error, Message = "Stage {Stage} failed; restarting in {Delay:0.0} s")]
    public static partial void StageFailed(this ILogger logger, Exception exception, string stage, double delay);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "Stage {Stage} failed again, as before: {Reason} (restart {Restarts}); restarting in {Delay:0.0} s")]
    public static partial void StageFailedAgain(this ILogger logger, string stage, string reason, int restarts, double delay);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Render loop not running (frame {Frame} for {Seconds:0.0} s): watchdog pings withheld, systemd will restart the service")]
    public static partial void WatchdogWithheld(this ILogger logger, long frame, double seconds);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Render loop running again: watchdog pings resumed")]
    public static partial void WatchdogResumed(this ILogger logger);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Cannot notify systemd through $NOTIFY_SOCKET ({Error}); the daemon runs on")]
    public static partial void NotifyFailed(this ILogger logger, string error);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Stage {Stage} running")]
    public static partial void StageRunning(this ILogger logger, string stage);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Mood model unavailable (analysis held, lights on the safe look, retrying): {Reason}")]
    public static partial void ModelUnavailable(this ILogger logger, string reason);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Operator: {Action}")]
    public static partial void OperatorAction(this ILogger logger, string action);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Correction stored: {Start:0.0}-{End:0.0} s is {Mood}")]
    public static partial void CorrectionStored(this ILogger logger, double start, double end, string mood);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Scene edit not saved (the live look is unchanged): {Path}: {Reason}")]
    public static partial void ScenesNotSaved(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "Operator signed in from {Client}")]
    public static partial void SignedIn(this ILogger logger, string client);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Sign-in with a wrong token from {Client}")]
    public static partial void SignInFailed(this ILogger logger, string client);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Signed-out sessions not saved to {Path} (they stay refused until a restart): {Reason}")]
    public static partial void RevokedSessionsNotSaved(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Warning, Message = "Signed-out sessions file {Path} ignored in part: {Reason}")]
    public static partial void RevokedSessionsFileIgnored(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Removed {Path}, left by a save that was cut off (the file itself is intact)")]
    public static partial void StaleTemporaryRemoved(this ILogger logger, string path);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Program in {Install}, state in {State}, logs in {Logs}")]
    public static partial void StateDirectoryReady(this ILogger logger, string install, string state, string logs);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "First start: {File} seeded from {Shipped}")]
    public static partial void StateSeeded(this ILogger logger, string file, string shipped);
}
