using Microsoft.Extensions.Logging;

namespace LightMood.Lighting;

/// <summary>The lighting stage's log messages, defined once; their ids (40xx) are in <see cref="LogEventIds"/>.</summary>
internal static partial class LightingLog
{
    [LoggerMessage(EventId = LogEventIds.LightingEngineStarted, Level = LogLevel.Information, Message = "Lighting engine started: {Fixtures} fixtures on {Universes} universes at {RateHz} Hz")]
    public static partial void EngineStarted(ILogger logger, int fixtures, int universes, double rateHz);

    [LoggerMessage(EventId = LogEventIds.LightingEngineStopped, Level = LogLevel.Information, Message = "Lighting engine stopped; outputs left on the safe look '{SafeLook}'")]
    public static partial void EngineStopped(ILogger logger, string safeLook);

    [LoggerMessage(EventId = LogEventIds.LightingFault, Level = LogLevel.Error, Message = "Lighting fault, switching to the safe look '{SafeLook}': {Reason}")]
    public static partial void Fault(ILogger logger, string safeLook, string reason);

    [LoggerMessage(EventId = LogEventIds.LightingFaultCleared, Level = LogLevel.Information, Message = "Every stage healthy again (the last fault was {Stage}'s): the lights follow the music")]
    public static partial void FaultCleared(ILogger logger, string stage);

    [LoggerMessage(EventId = LogEventIds.RenderFailed, Level = LogLevel.Error, Message = "Render failed; resending the last frame and showing the safe look until the looks change")]
    public static partial void RenderFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = LogEventIds.DmxSendFailed, Level = LogLevel.Warning, Message = "{Destination}: send failed ({Failures} failures since the last report): {Error}; retrying every frame")]
    public static partial void SendFailed(ILogger logger, string destination, long failures, string error);

    [LoggerMessage(EventId = LogEventIds.DmxSendRecovered, Level = LogLevel.Information, Message = "{Destination}: sending again after {Failures} more failed sends")]
    public static partial void SendRecovered(ILogger logger, string destination, long failures);

    [LoggerMessage(EventId = LogEventIds.ArtNetListenFailed, Level = LogLevel.Warning, Message = "Art-Net: cannot listen on {Endpoint} ({Error}); ArtPoll is not answered there. Set Lighting:ArtNet:BindAddress/ListenPort.")]
    public static partial void ArtNetListenFailed(ILogger logger, string endpoint, string error);

    [LoggerMessage(EventId = LogEventIds.ArtPollAnswered, Level = LogLevel.Debug, Message = "Art-Net: ArtPoll from {Source}, answered with {Replies} ArtPollReply")]
    public static partial void ArtPollAnswered(ILogger logger, string source, int replies);

    [LoggerMessage(EventId = LogEventIds.LookChanged, Level = LogLevel.Information, Message = "Lighting: look changed to {Look} (fade {FadeSeconds} s)")]
    public static partial void LookChanged(ILogger logger, string look, double fadeSeconds);

    [LoggerMessage(EventId = LogEventIds.RenderFellBehind, Level = LogLevel.Warning, Message = "Render loop fell behind by {LateMs} ms; skipping to the next slot")]
    public static partial void FellBehind(ILogger logger, double lateMs);

    [LoggerMessage(EventId = LogEventIds.RealtimeGranted, Level = LogLevel.Information, Message = "Render thread at real-time priority {Priority} (SCHED_FIFO); every other thread at normal priority")]
    public static partial void RealtimeGranted(ILogger logger, int priority);

    [LoggerMessage(EventId = LogEventIds.RealtimeRefused, Level = LogLevel.Warning, Message = "Real-time priority {Priority} for the render thread refused ({Reason}); rendering at normal priority. Allow it with LimitRTPRIO={Priority} (systemd) or CAP_SYS_NICE, or set Lighting:RealtimePriority=0")]
    public static partial void RealtimeRefused(ILogger logger, int priority, string reason);

    [LoggerMessage(EventId = LogEventIds.ArtNetNodeFound, Level = LogLevel.Information, Message = "Art-Net: node '{Node}' at {Address} (bind index {BindIndex}) outputs {Outputs}; it gets {Sent} from LightMood")]
    public static partial void ArtNetNodeFound(ILogger logger, string node, string address, int bindIndex, string outputs, string sent);

    [LoggerMessage(EventId = LogEventIds.ArtNetNodeLost, Level = LogLevel.Warning, Message = "Art-Net: node '{Node}' at {Address} (bind index {BindIndex}) has not answered ArtPoll for {Seconds} s; no longer sending to it")]
    public static partial void ArtNetNodeLost(ILogger logger, string node, string address, int bindIndex, double seconds);

    [LoggerMessage(EventId = LogEventIds.SacnSourceFound, Level = LogLevel.Information, Message = "sACN: another source '{Source}' at {Address} (priority {Priority}, universe {Universe})")]
    public static partial void SacnSourceFound(ILogger logger, string source, string address, int? priority, int? universe);

    [LoggerMessage(EventId = LogEventIds.SacnSourceForgotten, Level = LogLevel.Information, Message = "sACN: source '{Source}' silent for {Seconds} s; taken off the list")]
    public static partial void SacnSourceForgotten(ILogger logger, string source, double seconds);
}
