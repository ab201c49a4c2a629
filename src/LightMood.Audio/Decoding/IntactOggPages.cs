using System.Buffers.Binary;

namespace LightMood.Audio.Decoding;

/// <summary>
/// The intact pages of an Ogg file, as one seekable stream: each page's header, segment table and body checked
/// (capture pattern "OggS", version 0, the CRC-32 of RFC 3533 §6: polynomial 0x04C11DB7, no reflection, over the
/// page with its CRC field zeroed), and every byte that is not part of an intact page left out. NVorbis 0.10.5 loops
/// for ever on some damaged pages (its resync queue, <c>PageReaderBase.EnqueueData</c>, never takes the bytes it
/// builds), so it is only given whole, checked pages: a cut file decodes up to its last whole page, a damaged page
/// is skipped as a resync would skip it. The page index costs 16 bytes a page (≈ 300 KB for two hours).
/// </summary>
internal sealed class IntactOggPages : Stream
{
    private const int HeaderBytes = 27;

    private static readonly uint[] CrcTable = BuildCrcTable();

    private readonly Stream _file;
    private readonly List<(long Offset, long Length)> _ranges;
    private readonly long[] _starts;
    private long _position;
    private int _range;

    private IntactOggPages(Stream file, List<(long Offset, long Length)> ranges)
    {
        _file = file;
        _ranges = ranges;
        _starts = new long[ranges.Count];
        long at = 0;
        for (var i = 0; i < ranges.Count; i++)
        {
            _starts[i] = at;
            at += ranges[i].Length;
        }

        Length = at;
    }

    /// <summary>
    /// The file's intact pages: the file itself (from its start) when every byte belongs to one, else a view of them.
    /// Throws <see cref="InvalidDataException"/> when there is no intact page at all.
    /// </summary>
    public static Stream Of(Stream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var ranges = Scan(file, out var skipped);
        file.Position = 0;
        if (ranges.Count == 0)
        {
            throw new InvalidDataException("no intact Ogg page");
        }

        return skipped == 0 ? file : new IntactOggPages(file, ranges);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (buffer.Length > 0 && _position < Length)
        {
            while (_position >= _starts[_range] + _ranges[_range].Length)
            {
                _range++;
            }

            var within = _position - _starts[_range];
            var wanted = (int)Math.Min(buffer.Length, _ranges[_range].Length - within);
            _file.Position = _ranges[_range].Offset + within;
            var n = _file.Read(buffer[..wanted]);
            if (n == 0)
            {
                break;
            }

            total += n;
            _position += n;
            buffer = buffer[n..];
        }

        return total;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        var i = Array.BinarySearch(_starts, Math.Min(target, Math.Max(Length - 1, 0)));
        _range = i >= 0 ? i : Math.Max(~i - 1, 0);
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The intact pages' byte ranges, in file order (adjacent ones joined), and how many bytes lie outside them.</summary>
    private static List<(long Offset, long Length)> Scan(Stream file, out long skipped)
    {
        var ranges = new List<(long Offset, long Length)>();
        var page = new byte[HeaderBytes + 255 + (255 * 255)];
        var block = new byte[64 * 1024];
        long at = 0;
        skipped = 0;
        var length = file.Length;
        while (at + HeaderBytes <= length)
        {
            var pageLength = IntactPageAt(file, at, page);
            if (pageLength == 0)
            {
                // not a page here: look for the next capture pattern
                var next = NextCapture(file, at + 1, length, block);
                skipped += next - at;
                at = next;
                continue;
            }

            if (ranges.Count > 0 && ranges[^1].Offset + ranges[^1].Length == at)
            {
                ranges[^1] = (ranges[^1].Offset, ranges[^1].Length + pageLength);
            }
            else
            {
                ranges.Add((at, pageLength));
            }

            at += pageLength;
        }

        skipped += length - at;
        return ranges;
    }

    /// <summary>The length of the intact page at <paramref name="at"/>, or 0 when there is none.</summary>
    private static int IntactPageAt(Stream file, long at, byte[] page)
    {
        file.Position = at;
        if (file.ReadAtLeast(page.AsSpan(0, HeaderBytes), HeaderBytes, throwOnEndOfStream: false) < HeaderBytes
            || !page.AsSpan(0, 4).SequenceEqual("OggS"u8) || page[4] != 0)
        {
            return 0;
        }

        int segments = page[26];
        if (file.ReadAtLeast(page.AsSpan(HeaderBytes, segments), segments, throwOnEndOfStream: false) < segments)
        {
            return 0;
        }

        var body = 0;
        for (var i = 0; i < segments; i++)
        {
            body += page[HeaderBytes + i];
        }

        var header = HeaderBytes + segments;
        if (file.ReadAtLeast(page.AsSpan(header, body), body, throwOnEndOfStream: false) < body)
        {
            return 0;
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22, 4));
        page.AsSpan(22, 4).Clear();
        return Crc(page.AsSpan(0, header + body)) == stored ? header + body : 0;
    }

    /// <summary>Where the next "OggS" starts at or after <paramref name="from"/> (the file's length when none), read through <paramref name="block"/>.</summary>
    private static long NextCapture(Stream file, long from, long length, byte[] block)
    {
        for (var at = from; at < length; at += block.Length - 3)
        {
            file.Position = at;
            var n = file.ReadAtLeast(block, block.Length, throwOnEndOfStream: false);
            var i = block.AsSpan(0, n).IndexOf("OggS"u8);
            if (i >= 0)
            {
                return at + i;
            }

            if (n < block.Length)
            {
                break;
            }
        }

        return length;
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0u;
        foreach (var b in bytes)
        {
            crc = (crc << 8) ^ CrcTable[(byte)(crc >> 24) ^ b];
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var r = i << 24;
            for (var k = 0; k < 8; k++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
