using System.CommandLine;
using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;
using LightMood.Audio.Decoding;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood evaluate PATH [--model FILE]</c> or <c>lightmood evaluate --split CSV --set NAME --root DIR</c>:
/// clip-level mood classification with the CRNN. Labelled clips come from a folder with one sub-folder per mood
/// (<c>happy</c>… or <c>Q1</c>…), a CSV <c>path,mood</c>, or the training split (columns song,artist,quadrant,set;
/// audio at ROOT/Qn/song.mp3). Each clip is decoded at 22 050 Hz, cut into <see cref="MoodWindow"/>s every
/// <see cref="MoodWindow.HopFrames"/> frames, the window posteriors are averaged and the argmax is the clip's mood.
/// Prints per-mood precision/recall/F1, macro-F1 and the confusion matrix (<see cref="MoodConfusion"/>).
/// Exit codes: 0 done, 2 usage or bad input.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly string[] AudioExtensions = [".mp3", ".wav", ".ogg"];

    public static Command Create()
    {
        var path = new Argument<string?>("PATH")
        {
            Description = "a folder with one sub-folder per mood (happy… or Q1…) or a CSV of path,mood",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var split = new Option<string?>("--split") { Description = "the training split CSV (song,artist,quadrant,set)", HelpName = "CSV" };
        var set = new Option<string?>("--set") { Description = "the split's set to evaluate (e.g. test)", HelpName = "S" };
        var root = new Option<string?>("--root") { Description = "where the split's audio is (ROOT/Qn/song.mp3)", HelpName = "DIR" };
        var model = new Option<string?>("--model") { Description = "an ONNX model other than models/crnn.onnx", HelpName = "FILE" };
        var command = new Command("evaluate", "clip-level mood metrics of the CRNN: per-mood P/R/F1, macro-F1, confusion") { path, split, set, root, model };
        command.SetAction(parse => Run(parse.GetValue(path), parse.GetValue(split), parse.GetValue(set), parse.GetValue(root), parse.GetValue(model), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? path, string? split, string? set, string? root, string? model, TextWriter stdout, TextWriter stderr)
    {
        List<(string File, Mood Mood)> clips;
        try
        {
            clips = split is not null
                ? (set is null || root is null || path is not null ? null : FromSplit(split, set, root)) ?? throw new FormatException("--split needs --set and --root and no PATH")
                : path is null ? throw new FormatException("PATH or --split is required")
                : Directory.Exists(path) ? FromFolders(path)
                : FromCsv(path);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"lightmood evaluate: {e.Message}");
            return 2;
        }

        if (clips.Count == 0)
        {
            stderr.WriteLine("lightmood evaluate: no labelled clips found");
            return 2;
        }

        CrnnMoodEstimator estimator;
        try
        {
            estimator = DefaultMoodEstimator.CreateCrnn(model, CrnnSessionSettings.Offline());
        }
        catch (MoodModelException e)
        {
            stderr.WriteLine($"lightmood evaluate: mood model {e.Message}");
            return 2;
        }

        using (estimator)
        {
            // clips in parallel (one per core, one intra-op thread each: the cores are busy with clips, and a clip's
            // windows gain nothing from a second thread that another clip's run is using), each thread with its own
            // mel spectrogram and batch buffers, each clip's windows in batched model runs
            var results = new Mood?[clips.Count];
            var failed = 0;
            var gate = new Lock();
            Parallel.For(
                0,
                clips.Count,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => (Mel: new MelSpectrogram(), Batch: estimator.CreateBatch(BatchWindows)),
                (i, _, local) =>
                {
                    try
                    {
                        var audio = AudioFileDecoder.Decode(clips[i].Item1, AnalysisFormat.SampleRate);
                        results[i] = ClassifyClip(local.Batch, local.Mel, audio.Samples);
                    }
                    catch (AudioDecodeException e)
                    {
                        lock (gate)
                        {
                            failed++;
                            stderr.WriteLine($"lightmood evaluate: skipped {e.Message}");
                        }
                    }

                    return local;
                },
                local => local.Batch.Dispose());

            var confusion = new MoodConfusion();
            for (var i = 0; i < clips.Count; i++)
            {
                if (results[i] is { } predicted)
                {
                    confusion.Add(clips[i].Item2, predicted);
                }
            }

            stdout.WriteLine($"model {estimator.ModelPath}; {clips.Count - failed} clips ({failed} skipped)");
            stdout.Write(confusion.Format());
            return failed == clips.Count ? 2 : 0;
        }
    }

    /// <summary>Windows per model run in the offline verbs.</summary>
    private const int BatchWindows = 16;

    /// <summary>
    /// The clip's mood: argmax of the mean posterior over windows every <see cref="MoodWindow.HopFrames"/> frames, the
    /// windows written straight into <paramref name="batch"/>'s input buffers and run <see cref="BatchWindows"/> at a time.
    /// </summary>
    public static Mood ClassifyClip(MoodWindowBatch batch, MelSpectrogram mel, ReadOnlySpan<float> samples)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(mel);
        var (melDb, chroma) = mel.ComputeWithChroma(samples, out var frames);
        var bands = mel.MelBands;
        var count = frames < MoodWindow.Frames ? 1 : 1 + ((frames - MoodWindow.Frames) / MoodWindow.HopFrames);
        var sum = new double[MoodNames.Count];
        Span<float> p = stackalloc float[MoodNames.Count];
        var filled = 0;
        for (var w = 0; w < count; w++)
        {
            var melWindow = batch.MelWindow(filled);
            batch.SetStart(filled, frames < MoodWindow.Frames ? -1 : (long)w * MoodWindow.HopFrames);
            var chromaWindow = batch.ChromaWindow(filled);
            var classes = chromaWindow.Length / MoodWindow.Frames;
            for (var t = 0; t < MoodWindow.Frames; t++)
            {
                // a clip shorter than one window is repeat-padded (a documented limitation)
                var frame = frames == 0 ? -1 : frames < MoodWindow.Frames ? t % frames : (w * MoodWindow.HopFrames) + t;
                if (frame < 0)
                {
                    melWindow.Slice(t * bands, bands).Fill(-100f);
                    chromaWindow.Slice(t * classes, classes).Fill(1f / Chromagram.PitchClasses);
                    continue;
                }

                melDb.AsSpan(frame * bands, bands).CopyTo(melWindow.Slice(t * bands, bands));
                chroma.AsSpan(frame * Chromagram.PitchClasses, classes).CopyTo(chromaWindow.Slice(t * classes, classes));
            }

            // batches of a bounded size: ONNX Runtime's activations grow with the batch (55 windows: ~0.5 GB per thread)
            if (++filled == batch.Capacity || w == count - 1)
            {
                batch.Run(filled);
                for (var i = 0; i < filled; i++)
                {
                    batch.Probabilities(i, p);
                    for (var k = 0; k < sum.Length; k++)
                    {
                        sum[k] += p[k];
                    }
                }

                filled = 0;
            }
        }

        return MoodNames.MostLikely(sum);
    }

    private static List<(string, Mood)> FromFolders(string root)
    {
        var clips = new List<(string, Mood)>();
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            if (!MoodNames.TryParse(Path.GetFileName(dir), out var mood))
            {
                continue;
            }

            clips.AddRange(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => AudioExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, mood)));
        }

        return clips;
    }

    private static List<(string, Mood)> FromCsv(string csv)
    {
        if (!File.Exists(csv))
        {
            throw new FileNotFoundException($"{csv}: no such file or folder");
        }

        var clips = new List<(string, Mood)>();
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(csv))!;
        var lineNo = 0;
        foreach (var line in File.ReadLines(csv))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var comma = line.LastIndexOf(',');
            var file = comma < 0 ? line : line[..comma].Trim().Trim('"');
            var moodText = comma < 0 ? "" : line[(comma + 1)..].Trim();
            if (!MoodNames.TryParse(moodText, out var mood))
            {
                if (lineNo == 1)
                {
                    continue; // header
                }

                throw new FormatException($"{csv}:{lineNo}: mood '{moodText}' is not happy/tense/sad/calm or Q1..Q4");
            }

            clips.Add((Path.IsPathRooted(file) ? file : Path.Combine(baseDir, file), mood));
        }

        return clips;
    }

    private static List<(string, Mood)> FromSplit(string csv, string set, string root)
    {
        if (!File.Exists(csv))
        {
            throw new FileNotFoundException($"{csv}: no such split file");
        }

        var lines = File.ReadAllLines(csv);
        var header = lines.Length == 0 ? [] : lines[0].Split(',');
        int song = Array.IndexOf(header, "song"), quadrant = Array.IndexOf(header, "quadrant"), setCol = Array.IndexOf(header, "set");
        if (song < 0 || quadrant < 0 || setCol < 0)
        {
            throw new FormatException($"{csv}: header must contain song, quadrant and set");
        }

        var clips = new List<(string, Mood)>();
        for (var i = 1; i < lines.Length; i++)
        {
            // song ids and quadrants never contain commas; the artist column may be quoted, so index from the ends
            var cells = lines[i].Split(',');
            if (cells.Length < 4)
            {
                continue;
            }

            var q = cells[^(header.Length - quadrant)];
            var s = cells[^(header.Length - setCol)];
            if (s != set)
            {
                continue;
            }

            if (!MoodNames.TryParse(q, out var mood))
            {
                throw new FormatException($"{csv}:{i + 1}: quadrant '{q}' is not Q1..Q4");
            }

            clips.Add((Path.Combine(root, q, cells[song] + ".mp3"), mood));
        }

        return clips;
    }
}
