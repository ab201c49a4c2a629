using System.CommandLine;
using System.Text;
using LightMood.Analysis.Dsp;
using LightMood.Audio.Decoding;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood export-features ROOT OUT [--threads N]</c>: decodes every audio file under ROOT (recursively) at
/// 22 050 Hz with <see cref="AudioFileDecoder"/> and writes its log-mel spectrogram (<see cref="MelSpectrogram"/>,
/// default options: the CRNN's input contract) and, from the same STFT, its <see cref="Chromagram"/> as
/// <c>OUT/&lt;file name without extension&gt;.npy</c>, float32 [frames, 96 + 12] time-major (each frame's 96 mel dB
/// values, then its 12 pitch classes). This is the only feature path the training uses,
/// so Python and C# see bit-identical inputs. Exit codes: 0 all exported, 1 some files failed, 2 usage.
/// </summary>
internal static class ExportFeaturesCommand
{
    private static readonly string[] AudioExtensions = [".mp3", ".wav", ".ogg"];

    public static Command Create()
    {
        var root = new Argument<string>("ROOT") { Description = "a folder of audio files (wav, mp3, ogg), searched recursively" };
        var output = new Argument<string>("OUT") { Description = "where the .npy files go (created)" };
        var threads = new Option<int>("--threads") { Description = "files decoded and analysed in parallel (default: the cores)", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount };
        threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 256)
            {
                r.AddError("--threads must be 1..256");
            }
        });
        var command = new Command("export-features", "log-mel + chroma .npy per audio file (CRNN training input; src/training)") { root, output, threads };
        command.SetAction(parse => Run(parse.GetRequiredValue(root), parse.GetRequiredValue(output), parse.GetValue(threads), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string root, string outDir, int threads, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(root))
        {
            stderr.WriteLine($"lightmood export-features: {root}: no such directory");
            return 2;
        }

        Directory.CreateDirectory(outDir);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => AudioExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        var failures = 0;
        var done = 0;
        var gate = new object();
        Parallel.ForEach(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new MelSpectrogram(),
            (file, _, mel) =>
            {
                try
                {
                    var audio = AudioFileDecoder.Decode(file, AnalysisFormat.SampleRate);
                    var (melDb, chroma) = mel.ComputeWithChroma(audio.Samples, out var frames);
                    WriteNpy(Path.Combine(outDir, Path.GetFileNameWithoutExtension(file) + ".npy"), Interleave(melDb, chroma, frames, mel.MelBands), frames, mel.MelBands + Chromagram.PitchClasses);
                    lock (gate)
                    {
                        done++;
                        if (done % 50 == 0)
                        {
                            stdout.WriteLine($"{done}/{files.Count}");
                        }
                    }
                }
                catch (Exception e) when (e is AudioDecodeException or IOException or InvalidDataException or FormatException or NotSupportedException or ArgumentException)
                {
                    lock (gate)
                    {
                        failures++;
                        stderr.WriteLine($"lightmood export-features: {file}: {e.Message}");
                    }
                }

                return mel;
            },
            _ => { });

        stdout.WriteLine($"exported {files.Count - failures} of {files.Count} files to {outDir}");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Frame t as its mel bands followed by its 12 pitch classes: [frames, bands + 12], time-major.</summary>
    private static float[] Interleave(float[] mel, float[] chroma, int frames, int bands)
    {
        const int classes = Chromagram.PitchClasses;
        var values = new float[frames * (bands + classes)];
        for (var t = 0; t < frames; t++)
        {
            mel.AsSpan(t * bands, bands).CopyTo(values.AsSpan(t * (bands + classes)));
            chroma.AsSpan(t * classes, classes).CopyTo(values.AsSpan((t * (bands + classes)) + bands));
        }

        return values;
    }

    /// <summary>Writes a C-order float32 NumPy array of shape [rows, cols] (NPY format 1.0).</summary>
    public static void WriteNpy(string path, ReadOnlySpan<float> values, int rows, int cols)
    {
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        var total = 10 + header.Length + 1;
        var padded = header.PadRight(header.Length + ((64 - (total % 64)) % 64)) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)padded.Length);
        stream.Write(len);
        stream.Write(Encoding.ASCII.GetBytes(padded));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values[..(rows * cols)]));
    }
}
