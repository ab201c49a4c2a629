using LightMood.Audio.Decoding;
using NAudio.Wave;
using Xunit.Abstractions;
using static LightMood.Audio.Tests.TestSignals;

namespace LightMood.Audio.Tests.Decoding;

/// <summary>WAV in every layout, the committed MP3/OGG fixtures, and every kind of bad file.</summary>
public sealed class AudioFileDecoderTests(ITestOutputHelper output) : IDisposable
{
    private const int Target = 22050;
    private readonly List<string> _temp = [];

    public static TheoryData<WavKind, int, int> WavLayouts()
    {
        var data = new TheoryData<WavKind, int, int>();
        foreach (var kind in Enum.GetValues<WavKind>())
        {
            foreach (var channels in new[] { 1, 2, 6 })
            {
                foreach (var rate in new[] { 8000, 44100, 48000, 96000 })
                {
                    data.Add(kind, channels, rate);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WavLayouts))]
    public void A_wav_sine_keeps_its_frequency_amplitude_and_length(WavKind kind, int channels, int rate)
    {
        var path = Temp($"sine-{kind}-{channels}-{rate}.wav");
        WriteWav(path, Sine(1000, 0.5, rate, 1.0), rate, channels, kind);

        var audio = AudioFileDecoder.Decode(path, Target);

        Assert.Equal(Target, audio.SampleRate);
        Assert.Equal(rate, audio.SourceSampleRate);
        Assert.Equal(channels, audio.SourceChannels);
        Assert.InRange(audio.Samples.Length, Target - 30, Target + 30);
        var middle = audio.Samples.AsSpan((int)(0.2 * Target), (int)(0.6 * Target));
        var peak = PeakFrequency(middle, Target);
        var rms = Rms(middle);
        output.WriteLine($"{kind} {channels} ch {rate} Hz: {audio.Samples.Length} samples, peak {peak:0.00} Hz, RMS {rms:0.0000}");
        Assert.InRange(peak, 999, 1001);
        Assert.InRange(rms, 0.5 / Math.Sqrt(2) * 0.995, 0.5 / Math.Sqrt(2) * 1.005);
    }

    [Fact]
    public void The_resampler_filters_what_the_target_rate_cannot_hold()
    {
        // 15 kHz is above the 11 025 Hz Nyquist limit of 22 050 Hz: a proper (band-limited) resampler removes it
        // instead of folding it back to 22 050 − 15 000 = 7 050 Hz, as naive decimation or linear interpolation would.
        var path = Temp("alias.wav");
        WriteWav(path, Sine(15000, 0.5, 44100, 1.0), 44100, 1, WavKind.Float32);
        var audio = AudioFileDecoder.Decode(path, Target);
        var middle = audio.Samples.AsSpan((int)(0.2 * Target), (int)(0.6 * Target));
        var alias = Level(middle, Target, 7050);
        output.WriteLine($"RMS {Rms(middle):0.00000}, level at 7050 Hz {alias:0.00000}");
        Assert.True(Rms(middle) < 0.005, $"residual RMS {Rms(middle)}");
        Assert.True(alias < 0.005, $"alias level {alias}");
    }

    [Theory]
    [InlineData("sine440_44k_stereo.mp3", 44100, 2, 3.0, 440.0)]
    [InlineData("sine1000_48k_mono.ogg", 48000, 1, 3.0, 1000.0)]
    public void Compressed_sine_fixtures_decode_to_their_length_frequency_and_level(string name, int rate, int channels, double seconds, double hz)
    {
        var audio = AudioFileDecoder.Decode(Fixture("audio", name), Target);
        var middle = audio.Samples.AsSpan((int)(0.5 * Target), 2 * Target);
        var peak = PeakFrequency(middle, Target);
        var rms = Rms(middle);
        output.WriteLine($"{name}: {audio.DurationSeconds:0.0000} s, peak {peak:0.00} Hz, RMS {rms:0.0000}");
        Assert.Equal(rate, audio.SourceSampleRate);
        Assert.Equal(channels, audio.SourceChannels);
        // MP3 adds the encoder's delay and padding (up to ~2 frames); Vorbis keeps the exact length
        Assert.InRange(audio.DurationSeconds, seconds - 0.01, seconds + (name.EndsWith(".mp3", StringComparison.Ordinal) ? 0.08 : 0.01));
        Assert.InRange(peak, hz - 1, hz + 1);
        Assert.InRange(rms, 0.3536 * 0.9, 0.3536 * 1.1);
    }

    [Theory]
    [InlineData("chord_22k_stereo.ogg", 22050, 2)]
    [InlineData("chord_32k_mono.mp3", 32000, 1)]
    public void Compressed_chord_fixtures_keep_each_note(string name, int rate, int channels)
    {
        var audio = AudioFileDecoder.Decode(Fixture("audio", name), Target);
        Assert.Equal(rate, audio.SourceSampleRate);
        Assert.Equal(channels, audio.SourceChannels);
        Assert.InRange(audio.DurationSeconds, 1.99, 2.08);
        var middle = audio.Samples.AsSpan((int)(0.3 * Target), Target);
        foreach (var hz in new[] { 220.0, 261.63, 329.63 })
        {
            var level = Level(middle, Target, hz);
            output.WriteLine($"{name}: {hz} Hz level {level:0.000}");
            Assert.InRange(level, 0.16, 0.24);
        }

        Assert.True(Level(middle, Target, 400) < 0.02, "no energy between the notes");
    }

    [Fact]
    public void Sixteen_bit_pcm_decodes_to_exactly_naudios_values()
    {
        // every 16-bit value, full scale both ways, and an odd length so the vector lanes leave a tail
        var path = Temp("all-values.wav");
        var samples = new short[65536 + 13];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(i - 32768);
        }

        using (var writer = new WaveFileWriter(path, new WaveFormat(Target, 16, 1)))
        {
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();
            writer.Write(bytes, 0, bytes.Length);
        }

        var decoded = AudioFileDecoder.Decode(path, Target).Samples;
        using var reader = new WaveFileReader(path);
        var expected = new float[samples.Length];
        Assert.Equal(samples.Length, new NAudio.Wave.SampleProviders.Pcm16BitToSampleProvider(reader).Read(expected));
        Assert.Equal(expected, decoded);
        Assert.Equal(-1f, decoded[0]);
        Assert.Equal(32767f / 32768, decoded[^14]);
    }

    [Fact]
    public void An_all_silent_file_decodes_to_zeros()
    {
        var path = Temp("silence.wav");
        WriteWav(path, new float[48000], 48000, 2, WavKind.Pcm16);
        var audio = AudioFileDecoder.Decode(path, Target);
        Assert.InRange(audio.Samples.Length, Target - 30, Target + 30);
        Assert.All(audio.Samples, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Temp("missing.wav");
        AssertFails(path, "file not found");
    }

    [Fact]
    public void An_empty_file_is_named()
    {
        var path = Temp("empty.mp3");
        File.WriteAllBytes(path, []);
        AssertFails(path, "the file is empty");
    }

    [Theory]
    [InlineData(".wav", "not a valid WAV file (bad header)")]
    [InlineData(".mp3", "not a valid MP3 file (no MPEG audio frames found)")]
    [InlineData(".ogg", "not a valid OGG file (bad header)")]
    public void Random_bytes_with_an_audio_name_are_rejected(string ext, string problem)
    {
        var path = Temp("random" + ext);
        var bytes = new byte[20000];
        new Random(1234).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        AssertFails(path, problem);
    }

    [Fact]
    public void Random_bytes_after_an_mpeg_sync_are_rejected()
    {
        var path = Temp("sync.mp3");
        var bytes = new byte[20000];
        new Random(99).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xFB; // MPEG-1 layer III
        bytes[2] = 0x90; // 128 kbit/s, 44.1 kHz
        bytes[3] = 0x00;
        File.WriteAllBytes(path, bytes);
        AssertFails(path, "not a valid MP3 file (no MPEG audio frames found)");
    }

    [Fact]
    public void A_wave_header_over_garbage_is_rejected()
    {
        var path = Temp("garbage.wav");
        var bytes = new byte[4000];
        new Random(7).NextBytes(bytes);
        "RIFF"u8.CopyTo(bytes);
        BitConverter.GetBytes(bytes.Length - 8).CopyTo(bytes, 4);
        "WAVE"u8.CopyTo(bytes.AsSpan(8));
        File.WriteAllBytes(path, bytes);
        var e = Fails(path);
        Assert.StartsWith("not a valid WAV file (", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ogg_page_header_over_garbage_is_rejected()
    {
        var path = Temp("garbage.ogg");
        var bytes = new byte[4000];
        new Random(8).NextBytes(bytes);
        "OggS"u8.CopyTo(bytes);
        File.WriteAllBytes(path, bytes);
        var e = Fails(path);
        Assert.StartsWith("not a valid OGG file (", e.Problem, StringComparison.Ordinal);
    }

    /// <summary>
    /// A damaged page in the middle of a Vorbis file (one byte flipped: its CRC no longer holds) is left out, as a resync
    /// would leave it, and the rest decodes: NVorbis is only given intact pages (it looped for ever on some damaged ones).
    /// </summary>
    [Fact]
    public async Task A_damaged_page_in_the_middle_of_an_ogg_file_is_skipped_and_the_rest_decodes()
    {
        // the fixture's pages: two header pages, then three audio pages of ≈ 1 s each (bytes 3224, 5262 and 7216 on)
        var full = Fixture("audio", "sine1000_48k_mono.ogg");
        var whole = AudioFileDecoder.Decode(full, Target).DurationSeconds;
        var bytes = File.ReadAllBytes(full);
        var damaged = Temp("damaged.ogg");
        bytes[6000] ^= 0x5A;   // inside the middle audio page
        File.WriteAllBytes(damaged, bytes);

        var decoding = Task.Run(() => AudioFileDecoder.Decode(damaged, Target));
        var finished = await Task.WhenAny(decoding, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == decoding, "decoding a damaged file hung");
        var audio = await decoding;
        output.WriteLine($"whole {whole:0.000} s, damaged {audio.DurationSeconds:0.000} s");
        Assert.InRange(audio.DurationSeconds, whole - 1.1, whole - 0.9);   // the damaged page's second is missing, the last page decodes
        Assert.All(audio.Samples, x => Assert.True(float.IsFinite(x)));
    }

    [Theory]
    [InlineData("song.flac", "fLaC", "unsupported format FLAC (expected WAV, MP3 or OGG Vorbis)")]
    [InlineData("song.aiff", "FORM", "unsupported format AIFF (expected WAV, MP3 or OGG Vorbis)")]
    [InlineData("notes.txt", "hello, this is text\n", "unsupported format (expected WAV, MP3 or OGG Vorbis)")]
    public void Unsupported_formats_are_named(string name, string head, string problem)
    {
        var path = Temp(name);
        File.WriteAllText(path, head + new string('x', 200));
        AssertFails(path, problem);
    }

    [Fact]
    public void An_unsupported_wav_encoding_is_named()
    {
        var path = Temp("alaw.wav");
        using (var writer = new WaveFileWriter(path, WaveFormat.CreateALawFormat(8000, 1)))
        {
            writer.Write(new byte[8000], 0, 8000);
        }

        var e = Fails(path);
        Assert.StartsWith("unsupported WAV encoding ALaw 8-bit", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_length_data_chunk_is_named()
    {
        var path = Temp("nodata.wav");
        using (new WaveFileWriter(path, new WaveFormat(44100, 16, 2)))
        {
        }

        AssertFails(path, "no audio samples (zero-length data chunk)");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_float_samples_are_named_with_their_position(float bad)
    {
        var path = Temp("nan.wav");
        var x = Sine(440, 0.5, 44100, 0.5);
        x[1000] = bad;
        WriteWav(path, x, 44100, 1, WavKind.Float32);
        var e = Fails(path);
        Assert.StartsWith("sample 1000 (0.023 s) is not a finite number", e.Problem, StringComparison.Ordinal);
    }

    /// <summary>
    /// A cut file decodes what is complete, or fails cleanly, and never hangs. Half of the small Vorbis fixture holds
    /// only its headers and a partial page (Vorbis decodes whole pages), so it has no audio; 90 % of it has some.
    /// </summary>
    [Theory]
    [InlineData("wav", 0.5, 1.45, 1.55)]
    [InlineData("sine440_44k_stereo.mp3", 0.5, 1.4, 1.6)]
    [InlineData("sine1000_48k_mono.ogg", 0.9, 1.5, 2.8)]
    [InlineData("sine1000_48k_mono.ogg", 0.5, 0, 0)]
    public async Task A_cut_file_decodes_what_is_there_or_fails_cleanly_without_hanging(string source, double keep, double minSeconds, double maxSeconds)
    {
        string full;
        if (source == "wav")
        {
            full = Temp("full.wav");
            WriteWav(full, Sine(440, 0.5, 44100, 3.0), 44100, 2, WavKind.Pcm16);
        }
        else
        {
            full = Fixture("audio", source);
        }

        var bytes = File.ReadAllBytes(full);
        var cut = Temp("cut" + Path.GetExtension(full));
        File.WriteAllBytes(cut, bytes[..(int)(bytes.Length * keep)]);

        var decoding = Task.Run(() => AudioFileDecoder.Decode(cut, Target));
        var finished = await Task.WhenAny(decoding, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == decoding, "decoding a truncated file hung");
        if (maxSeconds == 0)
        {
            var e = Assert.IsType<AudioDecodeException>(decoding.Exception?.InnerException);
            output.WriteLine(e.Message);
            AssertOneLineNaming(e, cut);
            Assert.Equal("no audio samples (zero-length stream)", e.Problem);
            return;
        }

        var audio = await decoding;
        output.WriteLine($"{source}: {keep:P0} of the bytes gave {audio.DurationSeconds:0.000} s");
        Assert.InRange(audio.DurationSeconds, minSeconds, maxSeconds);
        var hz = source.Contains("1000", StringComparison.Ordinal) ? 1000 : 440;
        var middle = audio.Samples.AsSpan(audio.Samples.Length / 4, audio.Samples.Length / 2);
        Assert.InRange(PeakFrequency(middle, Target), hz - 2, hz + 2);
    }

    public void Dispose()
    {
        foreach (var path in _temp)
        {
            File.Delete(path);
        }
    }

    private static void AssertOneLineNaming(AudioDecodeException e, string path)
    {
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    private string Temp(string name)
    {
        var path = TempPath(name);
        _temp.Add(path);
        return path;
    }

    private AudioDecodeException Fails(string path)
    {
        var e = Assert.Throws<AudioDecodeException>(() => AudioFileDecoder.Decode(path, Target));
        output.WriteLine(e.Message);
        AssertOneLineNaming(e, path);
        return e;
    }

    private void AssertFails(string path, string problem) => Assert.Equal(problem, Fails(path).Problem);
}
