namespace LightMood;

/// <summary>
/// Every log event id of LightMood, in one place (the daemon's <c>LogEvents</c> and the lighting's
/// <c>LightingLog</c> name their events from here). An id means one thing for good: an event that goes away leaves
/// its id retired (listed below), never reused for another meaning. A test enumerates the constants and every
/// <c>[LoggerMessage]</c> for uniqueness. Ranges: 10xx analysis, 11xx audio, 12xx stages and service, 13xx operator,
/// 14xx paths and state, 15xx OSC, 40xx lighting.
/// </summary>
/// <remarks>Retired: 1202 (mood model unavailable, also used for feedback-file problems; a model failure is now the
/// analysis stage's failure, 1200/1203, and the feedback file has 1207/1208); 1109 (capture ring drops, while audio
/// was handed over twice; the one hand-off's drops are 1103).</remarks>
public static class LogEventIds
{
    // analysis
    public const int MoodChanged = 1000;
    public const int BoundaryConfirmed = 1001;

    // audio
    public const int AudioSourceOpened = 1100;
    public const int AudioStalled = 1101;
    public const int NonFiniteSamples = 1102;
    public const int AudioBlocksDropped = 1103;
    public const int AudioDeviceLost = 1104;
    public const int AudioDeviceBack = 1105;
    public const int AudioInputChosen = 1106;
    public const int AudioInputRestored = 1107;
    public const int AudioInputFileIgnored = 1108;

    // stages and the service
    public const int StageFailed = 1200;
    public const int StageRunning = 1201;
    public const int StageFailedAgain = 1203;
    public const int WatchdogWithheld = 1204;
    public const int WatchdogResumed = 1205;
    public const int NotifyFailed = 1206;
    public const int FeedbackRecordDropped = 1207;
    public const int FeedbackUnusable = 1208;

    // operator
    public const int OperatorAction = 1300;
    public const int CorrectionStored = 1301;
    public const int ScenesNotSaved = 1302;
    public const int StaleTemporaryRemoved = 1303;
    public const int SignedIn = 1304;
    public const int SignInFailed = 1305;
    public const int RevokedSessionsNotSaved = 1306;
    public const int RevokedSessionsFileIgnored = 1307;
    public const int PresetActivated = 1308;

    // paths and state
    public const int StateDirectoryReady = 1400;
    public const int StateSeeded = 1401;
    public const int UnknownSetting = 1402;
    public const int ScenesMigrated = 1403;

    // OSC
    public const int OscListening = 1500;
    public const int OscIgnored = 1501;

    // lighting
    public const int LightingEngineStarted = 4000;
    public const int LightingEngineStopped = 4001;
    public const int LightingFault = 4002;
    public const int DmxSendFailed = 4003;
    public const int DmxSendRecovered = 4004;
    public const int ArtNetListenFailed = 4005;
    public const int ArtPollAnswered = 4006;
    public const int LookChanged = 4007;
    public const int RenderFellBehind = 4008;
    public const int ArtNetNodeFound = 4009;
    public const int ArtNetNodeLost = 4010;
    public const int LightingFaultCleared = 4011;
    public const int RenderFailed = 4012;
    public const int SacnSourceFound = 4013;
    public const int SacnSourceForgotten = 4014;
    public const int RealtimeGranted = 4020;
    public const int RealtimeRefused = 4021;

    /// <summary>Ids that once meant something else: never to be given out again.</summary>
    public static IReadOnlyList<int> Retired { get; } = [1109, 1202];
}
