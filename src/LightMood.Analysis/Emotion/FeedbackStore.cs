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

/// <summary>Bounds of the feedback file (issue 16, item 10): it must not grow without limit.</summary>
/// <param name="MaxRecords">More records than this after an append: the file is compacted.</param>
/// <param name="KeepRecords">A compaction keeps the newest this many (at least what the fit uses: <see cref="PersonalizationOptions.MaxRecords"/>).</param>
/// <param name="MaxBytes">A file larger than this after an append is compacted too, to at most half of it.</param>
/// <param name="MaxLineBytes">A line longer than this is not a record (a corrupt file is not read into memory whole).</param>
public sealed record FeedbackStoreOptions(int MaxRecords = 800, int KeepRecords = 400, long MaxBytes = 8 << 20, int MaxLineBytes = 1 << 20)
{
    public static FeedbackStoreOptions Default { get; } = new();
}

/// <summary>
/// Append-only JSON-lines file of <see cref="FeedbackRecord"/>s, bounded. Each <see cref="Append"/> writes one line,
/// flushes it and fsyncs (<see cref="FileStream.Flush(bool)"/> with <c>flushToDisk</c>) before returning, so an
/// acknowledged correction survives a power cut. When an append takes the file past
/// <see cref="FeedbackStoreOptions.MaxRecords"/> records or <see cref="FeedbackStoreOptions.MaxBytes"/>, the file is
/// compacted to the newest <see cref="FeedbackStoreOptions.KeepRecords"/> (and at most half the byte cap): written to
/// <c>PATH.tmp</c>, fsynced, renamed over the file, directory fsynced — a crash leaves the old file or the new one.
/// On <see cref="Open"/> the file is read line by line (memory bounded by the caps), a file over the caps is
/// compacted, a stale <c>.tmp</c> is removed, a truncated or corrupt LAST line (a write cut short) is dropped, cut off
/// the file so later appends stay well-formed, and reported in <see cref="DroppedLine"/>; a corrupt line elsewhere is
/// not a torn write and throws <see cref="InvalidDataException"/> naming file and line.
/// Not thread-safe for concurrent appends from several instances; one instance serialises its own appends.
/// </summary>
public sealed class FeedbackStore
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly List<FeedbackRecord> _records;
    private readonly List<int> _lineBytes;
    private readonly FeedbackStoreOptions _options;
    private readonly Lock _gate = new();
    private long _bytes;

    private FeedbackStore(string path, FeedbackStoreOptions options, List<FeedbackRecord> records, List<int> lineBytes, string? dropped)
    {
        FilePath = path;
        _options = options;
        _records = records;
        _lineBytes = lineBytes;
        _bytes = lineBytes.Sum(n => (long)n);
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

    /// <summary>Bytes of the file (all its records, newlines included).</summary>
    public long FileBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Oldest records removed by compactions since open (those beyond the caps at open included).</summary>
    public long CompactedRecords { get; private set; }

    /// <summary>Why the latest compaction failed (the file is then over its cap until the next append retries), or null.</summary>
    public string? CompactionError { get; private set; }

    /// <summary>Opens (or creates) the store at <paramref name="path"/> and loads its records.</summary>
    public static FeedbackStore Open(string path, FeedbackStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= FeedbackStoreOptions.Default;
        if (options.KeepRecords < 1 || options.MaxRecords < options.KeepRecords || options.MaxBytes < 1024 || options.MaxLineBytes < 256)
        {
            throw new ArgumentException($"Invalid feedback file bounds: {options}.", nameof(options));
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _ = AtomicFile.RemoveStaleTemporary(full); // a compaction cut off by a crash: the file itself is intact
        var records = new List<FeedbackRecord>();
        var sizes = new List<int>();
        if (!File.Exists(full))
        {
            return new FeedbackStore(full, options, records, sizes, null);
        }

        string? dropped = null;
        long cutAt = -1, readBytes = 0, skipped = 0;
        var terminate = false;
        using (var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
        {
            var lines = new LineReader(file, options.MaxLineBytes);
            var lineNo = 0;
            while (lines.Next(out var line, out var start, out var terminated, out var tooLong))
            {
                lineNo++;
                var error = $"longer than {options.MaxLineBytes} bytes";
                var record = tooLong ? null : TryParse(line, out error);
                if (record is null && (tooLong || line.Trim((byte)'\r').Trim((byte)' ').Length > 0))
                {
                    if (!lines.AtEnd())
                    {
                        throw new InvalidDataException($"{full}:{lineNo}: corrupt feedback record ({error})");
                    }

                    dropped = $"{full}:{lineNo}: dropped a truncated or corrupt last record ({error})";
                    cutAt = start;
                    break;
                }

                if (record is not null)
                {
                    // a complete record without its newline is kept; its line is terminated below for the next append
                    terminate = !terminated;
                    records.Add(record);
                    sizes.Add(line.Length + 1);
                    if (records.Count > options.MaxRecords)
                    {
                        // only the newest are ever kept: an oversized file is not held in memory whole
                        records.RemoveAt(0);
                        sizes.RemoveAt(0);
                        skipped++;
                    }
                }

                readBytes = start + line.Length + (terminated ? 1 : 0);
            }
        }

        if (cutAt >= 0)
        {
            using var fs = new FileStream(full, FileMode.Open, FileAccess.Write);
            fs.SetLength(cutAt);
            fs.Flush(flushToDisk: true);
        }
        else if (terminate)
        {
            using var fs = new FileStream(full, FileMode.Append, FileAccess.Write);
            fs.WriteByte((byte)'\n');
            fs.Flush(flushToDisk: true);
        }

        var store = new FeedbackStore(full, options, records, sizes, dropped) { CompactedRecords = skipped };
        if (skipped > 0 || store._bytes > options.MaxBytes || readBytes > options.MaxBytes)
        {
            store.Compact();
        }

        return store;
    }

    /// <summary>Appends one record durably (write, flush, fsync), adds it to <see cref="Records"/>, compacts when over the caps.</summary>
    public void Append(FeedbackRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, Json) + "\n");
        lock (_gate)
        {
            using (var fs = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }

            _records.Add(record);
            _lineBytes.Add(bytes.Length);
            _bytes += bytes.Length;
            if (_records.Count > _options.MaxRecords || _bytes > _options.MaxBytes)
            {
                Compact();
            }
        }
    }

    /// <summary>Rewrites the file with the newest records within the keep bounds, atomically; a failure keeps the file as it was.</summary>
    private void Compact()
    {
        var keep = 0;
        long bytes = 0;
        for (var i = _records.Count - 1; i >= 0 && keep < _options.KeepRecords; i--)
        {
            if (keep > 0 && bytes + _lineBytes[i] > _options.MaxBytes / 2)
            {
                break;
            }

            bytes += _lineBytes[i];
            keep++;
        }

        var first = _records.Count - keep;
        try
        {
            AtomicFile.Write(FilePath, fs =>
            {
                for (var i = first; i < _records.Count; i++)
                {
                    fs.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(_records[i], Json) + "\n"));
                }
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CompactionError = e.Message;
            return;
        }

        CompactionError = null;
        CompactedRecords += first;
        _records.RemoveRange(0, first);
        _lineBytes.RemoveRange(0, first);
        _bytes = bytes;
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
