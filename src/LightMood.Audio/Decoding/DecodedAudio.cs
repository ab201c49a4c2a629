namespace LightMood.Audio.Decoding;

/// <summary>A whole file decoded to mono float32 at <see cref="SampleRate"/>.</summary>
/// <param name="Path">The file it came from.</param>
/// <param name="Samples">Mono samples.</param>
/// <param name="SampleRate">Sample rate of <paramref name="Samples"/>.</param>
/// <param name="SourceSampleRate">The file's own sample rate.</param>
/// <param name="SourceChannels">The file's own channel count.</param>
public sealed record DecodedAudio(string Path, float[] Samples, int SampleRate, int SourceSampleRate, int SourceChannels)
{
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
