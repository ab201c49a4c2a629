using Microsoft.Extensions.Logging;

namespace LightMood.Hosting;

/// <summary>The daemon's log messages, defined once; their ids are in <see cref="LogEventIds"/>.</summary>
internal static partial class LogEvents
{
    [LoggerMessage(EventId = LogEventIds.MoodChanged, Level = LogLevel.Information, Message = "Mood {Mood} (confidence {Confidence:0.00}, valence {Valence:+0.00;-0.00}, arousal {Arousal:+0.00;-0.00}) from {RegionStart:0.00} s")]
    public static partial void MoodChanged(this ILogger logger, string mood, double confidence, double valence, double arousal, double regionStart);

    [LoggerMessage(EventId = LogEventIds.BoundaryConfirmed, Level = LogLevel.Information, Message = "Boundary at {Time:0.000} s ({From} -> {To}, {Evidence}), confirmed at {ConfirmedAt:0.000} s")]
    public static partial void BoundaryConfirmed(this ILogger logger, double time, string from, string to, string evidence, double confirmedAt);

    [LoggerMessage(EventId = LogEventIds.AudioSourceOpened, Level = LogLevel.Information, Message = "Audio source: {Source}")]
    public static partial void AudioSourceOpened(this ILogger logger, string source);

    [LoggerMessage(EventId = LogEventIds.AudioStalled, Level = LogLevel.Warning, Message = "Audio stalled: no samples for {Seconds:0.0} s")]
    public static partial void AudioStalled(this ILogger logger, double seconds);

    [LoggerMessage(EventId = LogEventIds.NonFiniteSamples, Level = LogLevel.Warning, Message = "Audio block with {Count} non-finite samples replaced by silence")]
    public static partial void NonFiniteSamples(this ILogger logger, int count);

    [LoggerMessage(EventId = LogEventIds.AudioBlocksDropped, Level = LogLevel.Warning, Message = "Analysis fell behind: {Dropped} audio blocks dropped so far")]
    public static partial void AudioBlocksDropped(this ILogger logger, long dropped);

    [LoggerMessage(EventId = LogEventIds.AudioDeviceLost, Level = LogLevel.Warning, Message = "Audio device lost ({Reason}); reopen attempt {Attempt} in {RetryIn:0.0} s, lights on the safe look")]
    public static partial void AudioDeviceLost(this ILogger logger, string reason, int attempt, double retryIn);

    [LoggerMessage(EventId = LogEventIds.AudioDeviceBack, Level = LogLevel.Information, Message = "Audio device back: {Source}")]
    public static partial void AudioDeviceBack(this ILogger logger, string source);

    [LoggerMessage(EventId = LogEventIds.AudioInputChosen, Level = LogLevel.Information, Message = "Audio input chosen on the page: {Source}, channel {Channel}; reopening the capture")]
    public static partial void AudioInputChosen(this ILogger logger, string source, int channel);

    [LoggerMessage(EventId = LogEventIds.AudioInputRestored, Level = LogLevel.Information, Message = "Audio input from {Path}: {Source} (the operator's last choice)")]
    public static partial void AudioInputRestored(this ILogger logger, string path, string source);

    [LoggerMessage(EventId = LogEventIds.AudioInputFileIgnored, Level = LogLevel.Warning, Message = "Ignored {Path} (the Audio settings apply): {Reason}")]
    public static partial void AudioInputFileIgnored(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = LogEventIds.OscListening, Level = LogLevel.Information, Message = "OSC listening on udp {Endpoint} for {Senders}")]
    public static partial void OscListening(this ILogger logger, string endpoint, string senders);

    [LoggerMessage(EventId = LogEventIds.OscIgnored, Level = LogLevel.Warning, Message = "OSC: ignored {What} (counts so far: {Counters}; logged at most every 10 s)")]
    public static partial void OscIgnored(this ILogger logger, string what, string counters);

    [LoggerMessage(EventId = LogEventIds.StageFailed, Level = LogLevel.Error, Message = "Stage {Stage} failed; restarting in {Delay:0.0} s")]
    public static partial void StageFailed(this ILogger logger, Exception exception, string stage, double delay);

    [LoggerMessage(EventId = LogEventIds.StageFailedAgain, Level = LogLevel.Error, Message = "Stage {Stage} failed again, as before: {Reason} (restart {Restarts}); restarting in {Delay:0.0} s")]
    public static partial void StageFailedAgain(this ILogger logger, string stage, string reason, int restarts, double delay);

    [LoggerMessage(EventId = LogEventIds.WatchdogWithheld, Level = LogLevel.Warning, Message = "Render loop not running (frame {Frame} for {Seconds:0.0} s): watchdog pings withheld, systemd will restart the service")]
    public static partial void WatchdogWithheld(this ILogger logger, long frame, double seconds);

    [LoggerMessage(EventId = LogEventIds.WatchdogResumed, Level = LogLevel.Information, Message = "Render loop running again: watchdog pings resumed")]
    public static partial void WatchdogResumed(this ILogger logger);

    [LoggerMessage(EventId = LogEventIds.NotifyFailed, Level = LogLevel.Warning, Message = "Cannot notify systemd through $NOTIFY_SOCKET ({Error}); the daemon runs on")]
    public static partial void NotifyFailed(this ILogger logger, string error);

    [LoggerMessage(EventId = LogEventIds.StageRunning, Level = LogLevel.Information, Message = "Stage {Stage} running")]
    public static partial void StageRunning(this ILogger logger, string stage);

    [LoggerMessage(EventId = LogEventIds.FeedbackRecordDropped, Level = LogLevel.Warning, Message = "{Path}: dropped a torn last record (a write cut short)")]
    public static partial void FeedbackRecordDropped(this ILogger logger, string path);

    [LoggerMessage(EventId = LogEventIds.FeedbackUnusable, Level = LogLevel.Error, Message = "Feedback file unusable, corrections disabled: {Reason}")]
    public static partial void FeedbackUnusable(this ILogger logger, string reason);

    [LoggerMessage(EventId = LogEventIds.OperatorAction, Level = LogLevel.Information, Message = "Operator: {Action}")]
    public static partial void OperatorAction(this ILogger logger, string action);

    [LoggerMessage(EventId = LogEventIds.CorrectionStored, Level = LogLevel.Information, Message = "Correction stored: {Start:0.0}-{End:0.0} s is {Mood}")]
    public static partial void CorrectionStored(this ILogger logger, double start, double end, string mood);

    [LoggerMessage(EventId = LogEventIds.PresetActivated, Level = LogLevel.Information, Message = "Operator: show preset '{Preset}' activated (crossfading to its looks; kept across restarts)")]
    public static partial void PresetActivated(this ILogger logger, string preset);

    [LoggerMessage(EventId = LogEventIds.ScenesMigrated, Level = LogLevel.Information, Message = "{Path} has the old scenes format (one look per mood): loaded as library scenes happy, tense, sad, calm, silence, house and the preset 'default'; the next save writes the library format")]
    public static partial void ScenesMigrated(this ILogger logger, string path);

    [LoggerMessage(EventId = LogEventIds.ScenesNotSaved, Level = LogLevel.Error, Message = "Scene edit not saved (the live look is unchanged): {Path}: {Reason}")]
    public static partial void ScenesNotSaved(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = LogEventIds.SignedIn, Level = LogLevel.Information, Message = "Operator signed in from {Client}")]
    public static partial void SignedIn(this ILogger logger, string client);

    [LoggerMessage(EventId = LogEventIds.SignInFailed, Level = LogLevel.Warning, Message = "Sign-in with a wrong token from {Client}")]
    public static partial void SignInFailed(this ILogger logger, string client);

    [LoggerMessage(EventId = LogEventIds.RevokedSessionsNotSaved, Level = LogLevel.Warning, Message = "Signed-out sessions not saved to {Path} (they stay refused until a restart): {Reason}")]
    public static partial void RevokedSessionsNotSaved(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = LogEventIds.RevokedSessionsFileIgnored, Level = LogLevel.Warning, Message = "Signed-out sessions file {Path} ignored in part: {Reason}")]
    public static partial void RevokedSessionsFileIgnored(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = LogEventIds.StaleTemporaryRemoved, Level = LogLevel.Warning, Message = "Removed {Path}, left by a save that was cut off (the file itself is intact)")]
    public static partial void StaleTemporaryRemoved(this ILogger logger, string path);

    [LoggerMessage(EventId = LogEventIds.StateDirectoryReady, Level = LogLevel.Information, Message = "Program in {Install}, state in {State}, logs in {Logs}")]
    public static partial void StateDirectoryReady(this ILogger logger, string install, string state, string logs);

    [LoggerMessage(EventId = LogEventIds.UnknownSetting, Level = LogLevel.Warning, Message = "Setting {Key} is not one LightMood reads; it is ignored{Hint}")]
    public static partial void UnknownSetting(this ILogger logger, string key, string hint);

    [LoggerMessage(EventId = LogEventIds.StateSeeded, Level = LogLevel.Information, Message = "First start: {File} seeded from {Shipped}")]
    public static partial void StateSeeded(this ILogger logger, string file, string shipped);
}
