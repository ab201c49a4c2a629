using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightMood.Analysis.Emotion;

/// <summary>
/// One operator correction: "the passage [StartSeconds, EndSeconds) is <see cref="Corrected"/>", with the estimator's
/// embedding and prior posterior of that passage so the correction can be learned without the audio.
/// </summary>
/// <param name="StartSeconds">Passage start (seconds in the source the operator heard).</param>
/// <param name="EndSeconds">Passage end.</param>
/// <param name="Embedding">The CRNN embedding of the passage (<see cref="MoodEstimate.Embedding"/>).</param>
/// <param name="Prior">The estimator's posterior for the passage before any personalization, <see cref="Mood"/> order.</param>
/// <param name="Corrected">The mood the operator says it is.</param>
/// <param name="Timestamp">When the correction was made.</param>
public sealed record FeedbackRecord(
    double StartSeconds,
    double EndSeconds,
    float[] Embedding,
    float[] Prior,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Mood>))] Mood Corrected,
    DateTimeOffset Timestamp);

/// <summary>
/// Append-only JSON-lines file of <see cref="FeedbackRecord"/>s. Each <see cref="Append"/> writes one line, flushes it
/// and fsyncs (<see cref="FileStream.Flush(bool)"/> with <c>flushToDisk</c>) before returning, so an acknowledged
/// correction survives a power cut. On <see cref="Open"/>, a truncated or corrupt LAST line (a write cut short) is
/// dropped, cut off the file so later appends stay well-formed, and reported in <see cref="DroppedLine"/>; a corrupt
/// line elsewhere is not a torn write and throws <see cref="InvalidDataException"/> naming file and line.
/// Not thread-safe for concurrent appends from several instances; one instance serialises its own appends.
/// </summary>
public sealed class FeedbackStore
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly List<FeedbackRecord> _records;
    private readonly Lock _gate = new();

    private FeedbackStore(string path, List<FeedbackRecord> records, string? dropped)
    {
        FilePath = path;
        _records = records;
        DroppedLine = dropped;
    }

    public string FilePath { get; }

    /// <summary>The corrections in file order.</summary>
    public IReadOnlyList<FeedbackRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return _records.ToArray();
            }
        }
    }

    /// <summary>A description of the torn last line dropped on open, or null when the file was intact.</summary>
    public string? DroppedLine { get; }

    /// <summary>Opens (or creates) the store at <paramref name="path"/> and loads its records.</summary>
    public static FeedbackStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var records = new List<FeedbackRecord>();
        string? dropped = null;
        if (!File.Exists(full))
        {
            return new FeedbackStore(full, records, null);
        }

        var bytes = File.ReadAllBytes(full);
        var offset = 0;
        var lineNo = 0;
        while (offset < bytes.Length)
        {
            lineNo++;
            var nl = Array.IndexOf(bytes, (byte)'\n', offset);
            var end = nl < 0 ? bytes.Length : nl;
            var isLast = nl < 0 || nl == bytes.Length - 1;
            var line = bytes.AsSpan(offset, end - offset);
            var record = TryParse(line, out var error);
            if (record is null && line.Trim((byte)'\r').Trim((byte)' ').Length > 0)
            {
                if (!isLast)
                {
                    throw new InvalidDataException($"{full}:{lineNo}: corrupt feedback record ({error})");
                }

                dropped = $"{full}:{lineNo}: dropped a truncated or corrupt last record ({error})";
                using var fs = new FileStream(full, FileMode.Open, FileAccess.Write);
                fs.SetLength(offset);
                fs.Flush(flushToDisk: true);
                break;
            }

            if (record is not null)
            {
                if (nl < 0)
                {
                    // a complete record without its newline: keep it, terminate the line for the next append
                    using var fs = new FileStream(full, FileMode.Append, FileAccess.Write);
                    fs.WriteByte((byte)'\n');
                    fs.Flush(flushToDisk: true);
                }

                records.Add(record);
            }

            offset = end + 1;
        }

        return new FeedbackStore(full, records, dropped);
    }

    /// <summary>Appends one record durably (write, flush, fsync) and adds it to <see cref="Records"/>.</summary>
    public void Append(FeedbackRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = JsonSerializer.Serialize(record, Json) + "\n";
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_gate)
        {
            using (var fs = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }

            _records.Add(record);
        }
    }

    private static FeedbackRecord? TryParse(ReadOnlySpan<byte> line, out string error)
    {
        error = "";
        try
        {
            var r = JsonSerializer.Deserialize<FeedbackRecord>(line, Json);
            if (r is null || r.Embedding is null || r.Prior is null || r.Prior.Length != MoodNames.Count || !Enum.IsDefined(r.Corrected))
            {
                error = "missing or invalid fields";
                return null;
            }

            return r;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }
}
