namespace LightMood;

/// <summary>The one audio format the analysis reads: mono float32 at 22 050 Hz (as the 4Q dataset's authors used).</summary>
public static class AnalysisFormat
{
    public const int SampleRate = 22050;
}
