using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LightMood.Analysis.Emotion;
using LightMood.Analysis.Segmentation;
using LightMood.Audio.Decoding;

namespace LightMood.Cli;

/// <summary>
/// <c>lightmood analyze FILE [--json]</c>: decodes a WAV/MP3/OGG file at the analysis rate block by block and streams
/// it through the analysis (<see cref="MusicAnalyzer"/>, bounded memory whatever the length), then prints a table, or
/// exactly the JSON contract of DESIGN.md. The model runs <see cref="BatchWindows"/> windows per call (the soft cut
/// waits for them and gets the same answer as window by window, <see cref="MusicAnalyzerOptions.BatchWindows"/>), on
/// one intra-op thread (<see cref="CrnnSessionSettings.Offline"/>: one file is one core's work; the graph optimised
/// once and kept in the user's cache, <see cref="OptimisedGraphCache"/>; docs/benchmarks.md).
/// Exit codes: 0 success, 2 bad input or usage (one line on stderr).
/// </summary>
internal static class AnalyzeCommand
{
    /// <summary>Samples decoded and analysed per step (0.74 s at 22 050 Hz).</summary>
    private const int BlockSamples = 16384;

    /// <summary>
    /// Windows per model run, laid on one strip of frames (the front end runs once per frame): 16, 32 and 64 cost the
    /// same time with the strip model (240 s: 130 ms either way, <c>LightMood.Benchmarks analyze-phases</c>), but ONNX
    /// Runtime's buffers grow with the batch: the whole process peaks at 94 MB with 16, 110 MB with 32 and 165 MB with
    /// 64 (30 000 page faults against 16 000).
    /// </summary>
    public const int BatchWindows = 32;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "a WAV, MP3 or OGG file" };
        var json = new Option<bool>("--json") { Description = "print exactly the JSON contract of DESIGN.md (nothing else on stdout)" };
        var hop = new Option<int>("--window-hop")
        {
            Description = $"mel frames (23.2 ms) between mood windows; default {MoodWindow.HopFrames} (0.56 s, the live daemon's). Longer is faster and coarser (docs/benchmarks.md)",
            HelpName = "FRAMES",
            DefaultValueFactory = _ => MoodWindow.HopFrames,
        };
        hop.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > MusicAnalyzer.MaxHopFrames)
            {
                r.AddError($"--window-hop must be 1..{MusicAnalyzer.MaxHopFrames} frames");
            }
        });
        var command = new Command("analyze", "tempo and mood regions of an audio file (soft cut)") { file, json, hop };
        command.SetAction(parse => Run(parse.GetRequiredValue(file), parse.GetValue(json), Console.Out, Console.Error, parse.GetValue(hop)));
        return command;
    }

    /// <summary>The estimator the analysis uses: the CRNN (<see cref="DefaultMoodEstimator"/>), its optimised graph kept in the user's cache.</summary>
    public static IMoodEstimator CreateEstimator() => DefaultMoodEstimator.CreateCrnn(session: CrnnSessionSettings.Offline());

    public static int Run(string path, bool json, TextWriter stdout, TextWriter stderr, int windowHopFrames = MoodWindow.HopFrames)
    {
        try
        {
            using var audio = AudioFileDecoder.Open(path, AnalysisFormat.SampleRate);
            var estimator = CreateEstimator();
            try
            {
                var result = Analyze(audio, estimator, new MusicAnalyzerOptions(WindowHopFrames: windowHopFrames, BatchWindows: BatchWindows));
                if (json)
                {
                    stdout.WriteLine(ToJson(Path.GetFileName(path), result));
                }
                else
                {
                    WriteTable(stdout, path, result);
                }

                return 0;
            }
            finally
            {
                (estimator as IDisposable)?.Dispose();
            }
        }
        catch (AudioDecodeException e)
        {
            stderr.WriteLine($"lightmood analyze: {e.Message}");
            return 2;
        }
        catch (MoodModelException e)
        {
            stderr.WriteLine($"lightmood analyze: mood model {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or NotSupportedException)
        {
            stderr.WriteLine($"lightmood analyze: {path}: cannot be decoded ({e.Message.TrimEnd('.')})");
            return 2;
        }
    }

    /// <summary>
    /// The analysis streamed block by block as the file is decoded (<see cref="DecodedAudioStream"/>): memory does not
    /// grow with the file's length (a 2-hour WAV: docs/benchmarks.md).
    /// </summary>
    public static AnalysisResult Analyze(DecodedAudioStream audio, IMoodEstimator estimator, MusicAnalyzerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var analyzer = new MusicAnalyzer(estimator, options);
        var block = new float[BlockSamples];
        int n;
        while ((n = audio.Read(block)) > 0)
        {
            analyzer.Push(block.AsSpan(0, n));
        }

        return analyzer.Finish();
    }

    /// <summary>
    /// The DESIGN.md contract: file, duration_s, tempo_bpm, regions[start_s, end_s, mood, confidence, valence, arousal],
    /// boundaries_s, sections[start_s, end_s, mood, confidence] (offline mode: each section labelled from all its windows).
    /// </summary>
    public static string ToJson(string file, AnalysisResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteNumber("duration_s", Round(result.DurationSeconds, 3));
            if (result.TempoBpm is { } bpm)
            {
                w.WriteNumber("tempo_bpm", Round(bpm, 1));
            }
            else
            {
                w.WriteNull("tempo_bpm");
            }

            w.WriteStartArray("regions");
            foreach (var r in result.Regions)
            {
                w.WriteStartObject();
                WriteSpan(w, r);
                w.WriteNumber("valence", Round(r.Valence, 3));
                w.WriteNumber("arousal", Round(r.Arousal, 3));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("boundaries_s");
            foreach (var b in result.Boundaries)
            {
                w.WriteNumberValue(Round(b.TimeSeconds, 3));
            }

            w.WriteEndArray();
            w.WriteStartArray("sections");
            foreach (var r in result.SectionsOrRegions)
            {
                w.WriteStartObject();
                WriteSpan(w, r);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The fields a region and a section share: start_s, end_s, mood, confidence.</summary>
    private static void WriteSpan(Utf8JsonWriter w, MoodRegion r)
    {
        w.WriteNumber("start_s", Round(r.StartSeconds, 3));
        w.WriteNumber("end_s", Round(r.EndSeconds, 3));
        w.WriteString("mood", r.Label);
        w.WriteNumber("confidence", Round(r.Confidence, 3));
    }

    private static void WriteTable(TextWriter w, string path, AnalysisResult result)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine($"{path}: {Clock(result.DurationSeconds)} ({result.DurationSeconds.ToString("F2", c)} s), tempo {(result.TempoBpm is { } t ? t.ToString("F1", c) + " BPM" : "none")}, {result.Regions.Count} region(s)");
        w.WriteLine();
        w.WriteLine("  start      end        mood     conf  valence  arousal  boundary evidence");
        for (var i = 0; i < result.Regions.Count; i++)
        {
            var r = result.Regions[i];
            var evidence = i == 0 ? "" : result.Boundaries[i - 1].Evidence.ToString();
            w.WriteLine(string.Create(c, $"  {Clock(r.StartSeconds),-9}  {Clock(r.EndSeconds),-9}  {r.Label,-7}  {r.Confidence,4:F2}  {r.Valence,7:+0.00;-0.00}  {r.Arousal,7:+0.00;-0.00}  {evidence}"));
        }

        var sections = result.SectionsOrRegions;
        w.WriteLine();
        w.WriteLine(string.Create(c, $"  {sections.Count} section(s):"));
        w.WriteLine("  start      end        mood     conf");
        foreach (var s in sections)
        {
            w.WriteLine(string.Create(c, $"  {Clock(s.StartSeconds),-9}  {Clock(s.EndSeconds),-9}  {s.Label,-7}  {s.Confidence,4:F2}"));
        }
    }

    private static string Clock(double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60):00}:{seconds % 60:00.000}");

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
