using System.Buffers.Binary;
using System.Text;

namespace LightMood.Lighting.Output.Sacn;

/// <summary>
/// ANSI E1.31-2018 (sACN) data packet: root layer (preamble, ACN packet identifier, vector
/// VECTOR_ROOT_E131_DATA, CID), framing layer (vector VECTOR_E131_DATA_PACKET, source name, priority, sync address,
/// sequence, options, universe) and DMP layer (set property, address/data type 0xA1, first address 0, increment 1,
/// property count = 1 + slots, START code 0, slots). All multi-byte fields big-endian (network order).
/// Field offsets: E1.31-2018 table 4-1.
/// </summary>
public static class E131DataPacket
{
    public const int Port = 5568;
    public const int HeaderLength = 126;
    public const int MaxLength = HeaderLength + 512;
    public const int SourceNameLength = 64;
    public const byte DefaultPriority = 100;
    public const int MaxUniverse = 63999;

    public const uint VectorRootE131Data = 0x00000004;
    public const uint VectorE131DataPacket = 0x00000002;
    public const byte VectorDmpSetProperty = 0x02;

    /// <summary>Options bit 6: Stream_Terminated.</summary>
    public const byte OptionStreamTerminated = 0x40;

    /// <summary>Options bit 7: Preview_Data.</summary>
    public const byte OptionPreview = 0x80;

    /// <summary>The 12-byte ACN Packet Identifier "ASC-E1.17\0\0\0".</summary>
    public static ReadOnlySpan<byte> AcnPacketIdentifier => [0x41, 0x53, 0x43, 0x2D, 0x45, 0x31, 0x2E, 0x31, 0x37, 0x00, 0x00, 0x00];

    /// <summary>Encodes a data packet into <paramref name="buffer"/> and returns its length.</summary>
    /// <param name="cid">The 16-byte component identifier (UUID, network byte order).</param>
    /// <param name="sourceName">UTF-8, at most 63 bytes are written (null-terminated).</param>
    public static int Write(Span<byte> buffer, ReadOnlySpan<byte> cid, ReadOnlySpan<byte> sourceName, byte priority, ushort syncAddress, byte sequence, byte options, ushort universe, ReadOnlySpan<byte> slots)
    {
        if (cid.Length != 16)
        {
            throw new ArgumentException("CID must be 16 bytes", nameof(cid));
        }

        if (slots.Length is < 1 or > 512)
        {
            throw new ArgumentException($"sACN slot count must be within 1..512, got {slots.Length}", nameof(slots));
        }

        if (universe is < 1 or > MaxUniverse)
        {
            throw new ArgumentOutOfRangeException(nameof(universe), universe, "sACN universe must be within 1..63999");
        }

        if (priority > 200)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "sACN priority must be within 0..200");
        }

        var total = HeaderLength + slots.Length;
        if (buffer.Length < total)
        {
            throw new ArgumentException($"buffer of {buffer.Length} bytes is too small for {total}", nameof(buffer));
        }

        var p = buffer[..total];
        // root layer
        BinaryPrimitives.WriteUInt16BigEndian(p[0..], 0x0010);                              // 0: preamble size
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], 0x0000);                              // 2: post-amble size
        AcnPacketIdentifier.CopyTo(p[4..]);                                                 // 4: ACN packet identifier
        BinaryPrimitives.WriteUInt16BigEndian(p[16..], FlagsAndLength(total - 16));         // 16: flags (0x7) & length
        BinaryPrimitives.WriteUInt32BigEndian(p[18..], VectorRootE131Data);                 // 18: vector
        cid.CopyTo(p[22..]);                                                                // 22: CID
        // framing layer
        BinaryPrimitives.WriteUInt16BigEndian(p[38..], FlagsAndLength(total - 38));         // 38: flags & length
        BinaryPrimitives.WriteUInt32BigEndian(p[40..], VectorE131DataPacket);               // 40: vector
        var name = p.Slice(44, SourceNameLength);                                           // 44: source name[64]
        name.Clear();
        sourceName[..Math.Min(sourceName.Length, SourceNameLength - 1)].CopyTo(name);
        p[108] = priority;                                                                  // 108: priority
        BinaryPrimitives.WriteUInt16BigEndian(p[109..], syncAddress);                       // 109: synchronization address
        p[111] = sequence;                                                                  // 111: sequence number
        p[112] = options;                                                                   // 112: options
        BinaryPrimitives.WriteUInt16BigEndian(p[113..], universe);                          // 113: universe
        // DMP layer
        BinaryPrimitives.WriteUInt16BigEndian(p[115..], FlagsAndLength(total - 115));       // 115: flags & length
        p[117] = VectorDmpSetProperty;                                                      // 117: vector
        p[118] = 0xA1;                                                                      // 118: address type & data type
        BinaryPrimitives.WriteUInt16BigEndian(p[119..], 0x0000);                            // 119: first property address
        BinaryPrimitives.WriteUInt16BigEndian(p[121..], 0x0001);                            // 121: address increment
        BinaryPrimitives.WriteUInt16BigEndian(p[123..], (ushort)(slots.Length + 1));        // 123: property value count
        p[125] = 0x00;                                                                      // 125: DMX512-A START code
        slots.CopyTo(p[HeaderLength..]);                                                    // 126: slots
        return total;
    }

    /// <summary>The fields of a parsed data packet (slots slice the datagram).</summary>
    public readonly ref struct Parsed
    {
        public ReadOnlySpan<byte> Cid { get; init; }

        /// <summary>The source name's UTF-8 bytes, up to its terminating zero.</summary>
        public ReadOnlySpan<byte> SourceNameBytes { get; init; }

        /// <summary>The source name (decoded on each call: a receiver that needs no string reads <see cref="SourceNameBytes"/>).</summary>
        public string SourceName => Encoding.UTF8.GetString(SourceNameBytes);

        public byte Priority { get; init; }

        public byte Sequence { get; init; }

        public byte Options { get; init; }

        public ushort Universe { get; init; }

        public ReadOnlySpan<byte> Slots { get; init; }
    }

    /// <summary>Parses a data packet; false on anything malformed (short, wrong identifier/vectors/lengths, truncated).</summary>
    public static bool TryParse(ReadOnlySpan<byte> d, out Parsed packet)
    {
        packet = default;
        if (d.Length < HeaderLength + 1 ||
            BinaryPrimitives.ReadUInt16BigEndian(d) != 0x0010 || BinaryPrimitives.ReadUInt16BigEndian(d[2..]) != 0 ||
            !d.Slice(4, 12).SequenceEqual(AcnPacketIdentifier) ||
            BinaryPrimitives.ReadUInt32BigEndian(d[18..]) != VectorRootE131Data ||
            BinaryPrimitives.ReadUInt32BigEndian(d[40..]) != VectorE131DataPacket ||
            d[117] != VectorDmpSetProperty || d[118] != 0xA1 ||
            BinaryPrimitives.ReadUInt16BigEndian(d[119..]) != 0 || BinaryPrimitives.ReadUInt16BigEndian(d[121..]) != 1)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(d[123..]);
        var total = 125 + count;
        if (count is < 1 or > 513 || d.Length < total ||
            BinaryPrimitives.ReadUInt16BigEndian(d[16..]) != FlagsAndLength(total - 16) ||
            BinaryPrimitives.ReadUInt16BigEndian(d[38..]) != FlagsAndLength(total - 38) ||
            BinaryPrimitives.ReadUInt16BigEndian(d[115..]) != FlagsAndLength(total - 115))
        {
            return false;
        }

        var universe = BinaryPrimitives.ReadUInt16BigEndian(d[113..]);
        if (universe is < 1 or > MaxUniverse || d[108] > 200)
        {
            return false;
        }

        var name = d.Slice(44, SourceNameLength);
        var end = name.IndexOf((byte)0);
        packet = new Parsed
        {
            Cid = d.Slice(22, 16),
            SourceNameBytes = end < 0 ? name : name[..end],
            Priority = d[108],
            Sequence = d[111],
            Options = d[112],
            Universe = universe,
            Slots = d.Slice(HeaderLength, count - 1),
        };
        return true;
    }

    /// <summary>The multicast group of a universe: 239.255.hi.lo (E1.31 section 9.3.1).</summary>
    public static System.Net.IPAddress MulticastGroup(int universe) =>
        new([239, 255, (byte)(universe >> 8), (byte)(universe & 0xFF)]);

    private static ushort FlagsAndLength(int length) => (ushort)(0x7000 | (length & 0x0FFF));
}
