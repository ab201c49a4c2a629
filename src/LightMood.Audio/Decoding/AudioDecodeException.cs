namespace LightMood.Audio.Decoding;

/// <summary>A file that cannot be decoded: its message names the file and the problem in one line.</summary>
public sealed class AudioDecodeException : Exception
{
    public AudioDecodeException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    public string FilePath { get; }

    public string Problem { get; }
}
