namespace LightMood.Analysis.Emotion;

/// <summary>A mood model file is missing, unreadable or does not match the contract; names the file and the mismatch.</summary>
public sealed class MoodModelException : Exception
{
    public MoodModelException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        ModelPath = path;
        Reason = reason;
    }

    public string ModelPath { get; }

    public string Reason { get; }
}
