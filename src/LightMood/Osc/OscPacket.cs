using System.Buffers.Binary;
using System.Text;

namespace LightMood.Osc;

/// <summary>An OSC 1.0 time tag: NTP 64-bit fixed point (seconds since 1900-01-01 in the high 32 bits); 1 = immediately.</summary>
public readonly record struct OscTimeTag(ulong Value)
{
    public static readonly OscTimeTag Immediately = new(1);

    private static readonly DateTimeOffset Epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public bool IsImmediate => Value == 1;

    public DateTimeOffset ToDateTimeOffset() =>
        Epoch.AddSeconds(Value >> 32).AddTicks((long)((Value & 0xFFFF_FFFF) * (double)TimeSpan.TicksPerSecond / 4294967296.0));

    public static OscTimeTag From(DateTimeOffset time)
    {
        var since = time - Epoch;
        var seconds = (ulong)Math.Floor(since.TotalSeconds);
        var fraction = (ulong)((since.Ticks % TimeSpan.TicksPerSecond) * 4294967296.0 / TimeSpan.TicksPerSecond);
        return new OscTimeTag((seconds << 32) | fraction);
    }
}

/// <summary>One OSC message: its address pattern and arguments (int, float, string, blob, long, double, bool, null, impulse, time tag, char, RGBA, MIDI).</summary>
/// <param name="Address">The address pattern (may hold <c>? * [] {}</c>).</param>
/// <param name="Tags">The type tags without the leading comma (empty when the sender left the type tag string out).</param>
/// <param name="Arguments">Values in order: <see cref="int"/> (i, r as RGBA), <see cref="float"/>, <see cref="string"/> (s, S),
/// <see cref="byte"/>[] (b, m), <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> (T, F), null (N),
/// <see cref="OscImpulse"/> (I), <see cref="OscTimeTag"/> (t), <see cref="char"/> (c).</param>
public sealed record OscMessage(string Address, string Tags, IReadOnlyList<object?> Arguments);

/// <summary>The "infinitum"/impulse argument (type tag <c>I</c>): a trigger without a value.</summary>
public sealed record OscImpulse
{
    public static readonly OscImpulse Value = new();
}

/// <summary>A message with the time tag of the bundle it came in (<see cref="OscTimeTag.Immediately"/> for a bare message).</summary>
public readonly record struct OscTimedMessage(OscTimeTag Time, OscMessage Message);

/// <summary>A datagram that is not a well-formed OSC 1.0 packet; nothing in it is dispatched.</summary>
public sealed class OscFormatException(string message) : Exception(message)
{
    public OscFormatException()
        : this("malformed OSC packet")
    {
    }

    public OscFormatException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}

/// <summary>
/// Parses OSC 1.0 packets (opensoundcontrol.org/spec-1_0): a message (address pattern, type tag string, arguments,
/// big-endian, every field padded with zero bytes to a multiple of 4) or a bundle (<c>#bundle</c>, a time tag, then
/// size-prefixed elements, nested up to <see cref="MaxDepth"/>). Strict: a packet whose size is not a multiple of 4,
/// a field that runs past its element, non-zero padding, an unknown type tag, or bytes left over make the whole packet
/// malformed. A message without a type tag string is read as having no arguments (the spec asks for this robustness).
/// The nonstandard 1.0 types h t d S c r m T F N I are read; arrays (<c>[ ]</c>) are not.
/// </summary>
public static class OscPacket
{
    /// <summary>Deepest bundle nesting accepted.</summary>
    public const int MaxDepth = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every message of a packet with its time tag, in order; throws <see cref="OscFormatException"/> for a malformed one.</summary>
    public static IReadOnlyList<OscTimedMessage> Parse(ReadOnlySpan<byte> packet)
    {
        var list = new List<OscTimedMessage>();
        Element(packet, OscTimeTag.Immediately, 0, list);
        return list;
    }

    private static void Element(ReadOnlySpan<byte> data, OscTimeTag time, int depth, List<OscTimedMessage> into)
    {
        if (data.Length == 0 || data.Length % 4 != 0)
        {
            throw new OscFormatException($"size {data.Length} is not a positive multiple of 4");
        }

        if (data[0] == '#')
        {
            Bundle(data, time, depth, into);
        }
        else if (data[0] == '/')
        {
            into.Add(new OscTimedMessage(time, Message(data)));
        }
        else
        {
            throw new OscFormatException($"starts with 0x{data[0]:x2}: neither '/' (a message) nor '#bundle'");
        }
    }

    private static void Bundle(ReadOnlySpan<byte> data, OscTimeTag outer, int depth, List<OscTimedMessage> into)
    {
        if (depth >= MaxDepth)
        {
            throw new OscFormatException($"bundles nested deeper than {MaxDepth}");
        }

        var pos = 0;
        if (ReadString(data, ref pos, ascii: true) != "#bundle")
        {
            throw new OscFormatException("'#' starts neither a message nor '#bundle'");
        }

        var time = new OscTimeTag(ReadUInt64(data, ref pos));
        if (!time.IsImmediate && !outer.IsImmediate && time.Value < outer.Value)
        {
            throw new OscFormatException("a nested bundle's time tag is earlier than its enclosing bundle's");
        }

        while (pos < data.Length)
        {
            var size = ReadInt32(data, ref pos);
            if (size <= 0 || size % 4 != 0 || size > data.Length - pos)
            {
                throw new OscFormatException($"bundle element size {size} at byte {pos - 4} (left: {data.Length - pos})");
            }

            Element(data.Slice(pos, size), time.IsImmediate ? outer : time, depth + 1, into);
            pos += size;
        }
    }

    private static OscMessage Message(ReadOnlySpan<byte> data)
    {
        var pos = 0;
        var address = ReadString(data, ref pos, ascii: true);
        if (address.Length < 2 || address.Contains(' ', StringComparison.Ordinal) || address.Contains("//", StringComparison.Ordinal))
        {
            throw new OscFormatException($"'{address}' is not an address pattern");
        }

        if (pos == data.Length)
        {
            return new OscMessage(address, "", []); // no type tag string: no arguments
        }

        var tags = ReadString(data, ref pos, ascii: true);
        if (tags.Length == 0 || tags[0] != ',')
        {
            throw new OscFormatException("the type tag string does not start with ','");
        }

        var args = new object?[tags.Length - 1];
        for (var i = 1; i < tags.Length; i++)
        {
            args[i - 1] = tags[i] switch
            {
                'i' => ReadInt32(data, ref pos),
                'f' => BitConverter.Int32BitsToSingle(ReadInt32(data, ref pos)),
                's' or 'S' => ReadString(data, ref pos, ascii: false),
                'b' => ReadBlob(data, ref pos),
                'h' => (long)ReadUInt64(data, ref pos),
                't' => new OscTimeTag(ReadUInt64(data, ref pos)),
                'd' => BitConverter.Int64BitsToDouble((long)ReadUInt64(data, ref pos)),
                'c' => ReadChar(data, ref pos),
                'r' => ReadInt32(data, ref pos),
                'm' => ReadBytes(data, ref pos, 4),
                'T' => true,
                'F' => false,
                'N' => null,
                'I' => OscImpulse.Value,
                _ => throw new OscFormatException($"type tag '{tags[i]}' is not one this server reads"),
            };
        }

        if (pos != data.Length)
        {
            throw new OscFormatException($"{data.Length - pos} bytes after the last argument");
        }

        return new OscMessage(address, tags[1..], args);
    }

    /// <summary>An OSC-string: bytes up to a zero, then zeros to the next multiple of 4.</summary>
    private static string ReadString(ReadOnlySpan<byte> data, ref int pos, bool ascii)
    {
        var rest = data[pos..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new OscFormatException($"a string at byte {pos} has no terminating zero");
        }

        var padded = (end + 4) & ~3;
        if (padded > rest.Length || rest[end..padded].ContainsAnyExcept((byte)0))
        {
            throw new OscFormatException($"the string at byte {pos} is not padded with zeros to a multiple of 4");
        }

        var bytes = rest[..end];
        if (ascii && bytes.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            throw new OscFormatException($"the address or tags at byte {pos} hold a byte that is not printable ASCII");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new OscFormatException($"the string at byte {pos} is not UTF-8", e);
        }

        pos += padded;
        return text;
    }

    private static byte[] ReadBlob(ReadOnlySpan<byte> data, ref int pos)
    {
        var size = ReadInt32(data, ref pos);
        if (size < 0 || size > data.Length - pos)
        {
            throw new OscFormatException($"blob size {size} at byte {pos - 4} (left: {data.Length - pos})");
        }

        var blob = data.Slice(pos, size).ToArray();
        var padded = (size + 3) & ~3;
        if (padded > data.Length - pos || data.Slice(pos + size, padded - size).ContainsAnyExcept((byte)0))
        {
            throw new OscFormatException($"the blob at byte {pos - 4} is not padded with zeros to a multiple of 4");
        }

        pos += padded;
        return blob;
    }

    private static char ReadChar(ReadOnlySpan<byte> data, ref int pos)
    {
        var v = ReadInt32(data, ref pos);
        return v is >= 0 and <= 0x7F ? (char)v : throw new OscFormatException($"char argument {v} is not ASCII");
    }

    private static byte[] ReadBytes(ReadOnlySpan<byte> data, ref int pos, int count)
    {
        Need(data, pos, count);
        var b = data.Slice(pos, count).ToArray();
        pos += count;
        return b;
    }

    private static int ReadInt32(ReadOnlySpan<byte> data, ref int pos)
    {
        Need(data, pos, 4);
        var v = BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
        pos += 4;
        return v;
    }

    private static ulong ReadUInt64(ReadOnlySpan<byte> data, ref int pos)
    {
        Need(data, pos, 8);
        var v = BinaryPrimitives.ReadUInt64BigEndian(data[pos..]);
        pos += 8;
        return v;
    }

    private static void Need(ReadOnlySpan<byte> data, int pos, int count)
    {
        if (data.Length - pos < count)
        {
            throw new OscFormatException($"{count} bytes wanted at byte {pos}, {data.Length - pos} left");
        }
    }
}
