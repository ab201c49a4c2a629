using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using static LightMood.Audio.Tests.TestSignals;

namespace LightMood.Audio.Tests.Fuzz;

/// <summary>
/// A corrupt or random audio file for the fuzz tests, as a recipe: a base (a valid WAV of some layout, a real MP3 or
/// OGG fixture, a lone container header, or nothing), <see cref="Mutations"/> seeded edits (bytes flipped — half of
/// them in the first 64 bytes, where the headers are —, 32-bit fields overwritten with 0, −1, huge or odd values,
/// bytes inserted or cut out), a truncation, and the file name's extension.
/// </summary>
public sealed record AudioFileCase(string Base, int Seed, int Mutations, int KeepPercent, string Extension)
{
    private static readonly string[] Bases =
    [
        "random", "wav-pcm16", "wav-pcm24", "wav-pcm32", "wav-float", "wav-6ch", "wav-8k", "mp3-mono", "mp3-stereo",
        "ogg-mono", "ogg-stereo", "riff-header", "ogg-header", "id3-header", "mpeg-sync",
    ];

    private static readonly int[] Fields = [0, -1, 1, 2, 3, int.MaxValue, int.MinValue, 65535, 0x10000, 44100, 8, 24, 0xFFFE, 20000, 100_000_000, 768_001];

    private static readonly Dictionary<string, byte[]> Cache = [];

    public static Gen<AudioFileCase> Recipes() =>
        from b in Gen.Elements(Bases)
        from seed in Gen.Choose(0, int.MaxValue)
        from mutations in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 4)), (1, Gen.Choose(5, 40)))
        from keep in Gen.Frequency((3, Gen.Constant(100)), (1, Gen.Choose(0, 100)))
        from ext in Gen.Elements(".wav", ".mp3", ".ogg", ".oga", ".bin", "")
        select new AudioFileCase(b, seed, mutations, keep, ext);

    /// <summary>The file's bytes (deterministic).</summary>
    public byte[] Expand()
    {
        var random = new Random(Seed);
        var bytes = new List<byte>(BaseBytes(Base, random));
        var field = new byte[4];
        for (var m = 0; m < Mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(2) == 0 ? random.Next(Math.Min(64, bytes.Count)) : random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    BinaryPrimitives.WriteInt32LittleEndian(field, Fields[random.Next(Fields.Length)]);
                    for (var i = 0; i < 4 && at + i < bytes.Count; i++)
                    {
                        bytes[at + i] = field[i];
                    }

                    break;
                case 2:
                    var junk = new byte[random.Next(1, 300)];
                    random.NextBytes(junk);
                    bytes.InsertRange(at, junk);
                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 2000)));
                    break;
            }
        }

        return [.. bytes.Take((int)((long)bytes.Count * KeepPercent / 100))];
    }

    private static byte[] BaseBytes(string name, Random random)
    {
        switch (name)
        {
            case "random":
                var noise = new byte[random.Next(0, 50_000)];
                random.NextBytes(noise);
                return noise;
            case "riff-header":
                return [.. "RIFF"u8, 0xFF, 0xFF, 0xFF, 0x7F, .. "WAVEfmt "u8, .. Random(random, 4000)];
            case "ogg-header":
                return [.. "OggS"u8, 0, 2, .. Random(random, 8000)];
            case "id3-header":
                return [.. "ID3"u8, 3, 0, 0, 0, 0, 1, 0, .. Random(random, 8000)];
            case "mpeg-sync":
                return [0xFF, 0xFB, 0x90, 0x64, .. Random(random, 8000)];
        }

        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var cached))
            {
                cached = Cache[name] = Make(name);
            }

            return cached;
        }
    }

    private static byte[] Random(Random random, int max)
    {
        var b = new byte[random.Next(0, max)];
        random.NextBytes(b);
        return b;
    }

    private static byte[] Make(string name)
    {
        if (name.StartsWith("mp3", StringComparison.Ordinal) || name.StartsWith("ogg", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(Fixture("audio", name switch
            {
                "mp3-mono" => "chord_32k_mono.mp3",
                "mp3-stereo" => "sine440_44k_stereo.mp3",
                "ogg-mono" => "sine1000_48k_mono.ogg",
                _ => "chord_22k_stereo.ogg",
            }));
        }

        var (kind, channels, rate) = name switch
        {
            "wav-pcm16" => (WavKind.Pcm16, 2, 44100),
            "wav-pcm24" => (WavKind.Pcm24, 1, 48000),
            "wav-pcm32" => (WavKind.Pcm32, 2, 22050),
            "wav-float" => (WavKind.Float32, 1, 22050),
            "wav-6ch" => (WavKind.Float32, 6, 48000),
            _ => (WavKind.Pcm16, 1, 8000),
        };
        var path = TempPath(name + ".wav");
        try
        {
            WriteWav(path, Sine(440, 0.9, rate, 0.3), rate, channels, kind);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>The arbitraries FsCheck.Xunit's <c>[Property]</c> draws from.</summary>
public static class AudioArbitraries
{
    public static Arbitrary<RawPcmCase> RawPcm() => RawPcmCase.Recipes(64 * 1024).ToArbitrary();

    public static Arbitrary<AudioFileCase> AudioFiles() => AudioFileCase.Recipes().ToArbitrary();
}
