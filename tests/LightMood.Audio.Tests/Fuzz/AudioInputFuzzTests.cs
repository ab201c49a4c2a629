using FsCheck.Xunit;
using LightMood.Audio.Decoding;
using LightMood.Audio.Live;

namespace LightMood.Audio.Tests.Fuzz;

/// <summary>
/// Issue 16, "must show": property-based fuzz tests of the audio input paths (FsCheck.Xunit; a failure prints the
/// recipe and the seed, <c>[Property(Replay = "…")]</c> replays it). Whatever the bytes, raw PCM gives finite samples
/// within full scale, and a file is either decoded to finite samples or refused with an
/// <see cref="AudioDecodeException"/> — never another exception, never a hang.
/// </summary>
public sealed class AudioInputFuzzTests : IDisposable
{
    /// <summary>
    /// Input within ±1 through the windowed-sinc resampler: band-limiting full-scale noise overshoots full scale (peaks
    /// of 1.6 seen), bounded by the filter's absolute sum (below 4). The analysis clips again where every source meets.
    /// </summary>
    private const float MaxResampled = 4f;

    private readonly string _dir = Directory.CreateTempSubdirectory("lightmood-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Property(MaxTest = 500, Arbitrary = [typeof(AudioArbitraries)], QuietOnSuccess = true)]
    public void Raw_PCM_of_any_bytes_gives_finite_samples_within_full_scale(RawPcmCase recipe)
    {
        var bytes = recipe.Expand();
        var block = new float[recipe.MaxBlock];

        // the source itself: every sample finite and within full scale, every whole frame delivered
        var provider = new RawPcmSampleProvider(new ChunkedStream(bytes, recipe.MaxChunk, recipe.Seed), recipe.Format);
        var sizes = new Random(recipe.Seed);
        long frames = 0;
        int n;
        while ((n = provider.Read(block.AsSpan(0, sizes.Next(1, block.Length + 1)))) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                Assert.True(float.IsFinite(block[i]) && Math.Abs(block[i]) <= 1f, $"sample {frames + i} = {block[i]}");
            }

            frames += n;
        }

        var frameBytes = recipe.Format.FrameBytes;
        Assert.Equal(bytes.Length / frameBytes, frames);
        Assert.Equal(bytes.Length % frameBytes, provider.DroppedTailBytes);

        // the daemon's chain (the sinc resampler to 22 050 Hz): finite, and bounded by the filter's gain
        var chain = LiveAudioSource.ToAnalysisRate(new RawPcmSampleProvider(new ChunkedStream(bytes, recipe.MaxChunk, recipe.Seed), recipe.Format));
        long resampled = 0;
        while ((n = chain.Read(block.AsSpan(0, sizes.Next(1, block.Length + 1)))) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                Assert.True(float.IsFinite(block[i]) && Math.Abs(block[i]) <= MaxResampled, $"resampled sample {resampled + i} = {block[i]}");
            }

            resampled += n;
        }

        var expected = (double)frames * LiveAudioSource.SampleRate / recipe.Rate;
        Assert.InRange(resampled, Math.Floor(expected) - 2, Math.Ceiling(expected) + 2);
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(AudioArbitraries)], QuietOnSuccess = true)]
    public void A_random_or_corrupt_file_is_decoded_to_finite_samples_or_refused_with_an_AudioDecodeException(AudioFileCase recipe) =>
        AssertDecodedOrRefused(recipe);

    /// <summary>Cases the property found: NVorbis looped for ever inside its resync on a damaged page (now given intact pages only).</summary>
    [Theory]
    [InlineData("ogg-mono", 944456609, 1, 77, ".bin")]
    public void A_case_the_fuzzing_found_is_decoded_or_refused_in_time(string source, int seed, int mutations, int keepPercent, string extension) =>
        AssertDecodedOrRefused(new AudioFileCase(source, seed, mutations, keepPercent, extension));

    private void AssertDecodedOrRefused(AudioFileCase recipe)
    {
        var path = Path.Combine(_dir, $"case-{recipe.Seed}{recipe.Extension}");
        File.WriteAllBytes(path, recipe.Expand());
        try
        {
            var decoding = Task.Run(() => Decode(path, recipe.Seed));
            Assert.True(decoding.Wait(TimeSpan.FromSeconds(20)), $"decoding {recipe} did not finish in 20 s");
            var outcome = decoding.Result;
            Assert.True(outcome is null or AudioDecodeException, $"{recipe}: {outcome}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Streams the file in random block sizes; returns the exception it ended with (null: decoded, all finite).</summary>
    private static Exception? Decode(string path, int seed)
    {
        try
        {
            using var stream = AudioFileDecoder.Open(path, 22050);
            var sizes = new Random(seed);
            var block = new float[20000];
            int n;
            while ((n = stream.Read(block.AsSpan(0, sizes.Next(1, block.Length + 1)))) > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    if (!float.IsFinite(block[i]) || Math.Abs(block[i]) > MaxResampled)
                    {
                        return new InvalidDataException($"sample {stream.SamplesRead - n + i} = {block[i]}");
                    }
                }
            }

            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
