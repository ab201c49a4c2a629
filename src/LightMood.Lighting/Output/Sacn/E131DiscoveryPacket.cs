using System.Buffers.Binary;

namespace LightMood.Lighting.Output.Sacn;

/// <summary>
/// ANSI E1.31-2018 universe discovery packet (section 8, table 4-3): root layer with VECTOR_ROOT_E131_EXTENDED, framing
/// layer with VECTOR_E131_EXTENDED_DISCOVERY (source name, 4 reserved bytes), universe discovery layer with
/// VECTOR_UNIVERSE_DISCOVERY_UNIVERSE_LIST, page, last page and up to 512 sorted universes (16-bit big-endian).
/// Sent every 10 s (E131_UNIVERSE_DISCOVERY_INTERVAL) on universe 64214.
/// </summary>
public static class E131DiscoveryPacket
{
    public const int HeaderLength = 120;
    public const int MaxUniversesPerPage = 512;
    public const int MaxLength = HeaderLength + (2 * MaxUniversesPerPage);
    public const ushort DiscoveryUniverse = 64214;
    public const double IntervalSeconds = 10;

    public const uint VectorRootE131Extended = 0x00000008;
    public const uint VectorE131ExtendedDiscovery = 0x00000002;
    public const uint VectorUniverseDiscoveryUniverseList = 0x00000001;

    /// <summary>Encodes one page; <paramref name="universes"/> must be sorted ascending (at most 512).</summary>
    public static int Write(Span<byte> buffer, ReadOnlySpan<byte> cid, ReadOnlySpan<byte> sourceName, byte page, byte lastPage, ReadOnlySpan<ushort> universes)
    {
        if (cid.Length != 16)
        {
            throw new ArgumentException("CID must be 16 bytes", nameof(cid));
        }

        if (universes.Length > MaxUniversesPerPage)
        {
            throw new ArgumentException($"at most {MaxUniversesPerPage} universes per page, got {universes.Length}", nameof(universes));
        }

        if (page > lastPage)
        {
            throw new ArgumentOutOfRangeException(nameof(page), page, "page is after the last page");
        }

        for (var i = 1; i < universes.Length; i++)
        {
            if (universes[i] <= universes[i - 1])
            {
                throw new ArgumentException("universes must be sorted ascending without duplicates", nameof(universes));
            }
        }

        var total = HeaderLength + (2 * universes.Length);
        if (buffer.Length < total)
        {
            throw new ArgumentException($"buffer of {buffer.Length} bytes is too small for {total}", nameof(buffer));
        }

        var p = buffer[..total];
        // root layer
        BinaryPrimitives.WriteUInt16BigEndian(p[0..], 0x0010);                              // 0: preamble size
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], 0x0000);                              // 2: post-amble size
        E131DataPacket.AcnPacketIdentifier.CopyTo(p[4..]);                                  // 4: ACN packet identifier
        BinaryPrimitives.WriteUInt16BigEndian(p[16..], FlagsAndLength(total - 16));         // 16: flags & length
        BinaryPrimitives.WriteUInt32BigEndian(p[18..], VectorRootE131Extended);             // 18: vector
        cid.CopyTo(p[22..]);                                                                // 22: CID
        // framing layer
        BinaryPrimitives.WriteUInt16BigEndian(p[38..], FlagsAndLength(total - 38));         // 38: flags & length
        BinaryPrimitives.WriteUInt32BigEndian(p[40..], VectorE131ExtendedDiscovery);        // 40: vector
        var name = p.Slice(44, E131DataPacket.SourceNameLength);                            // 44: source name[64]
        name.Clear();
        sourceName[..Math.Min(sourceName.Length, E131DataPacket.SourceNameLength - 1)].CopyTo(name);
        BinaryPrimitives.WriteUInt32BigEndian(p[108..], 0);                                 // 108: reserved
        // universe discovery layer
        BinaryPrimitives.WriteUInt16BigEndian(p[112..], FlagsAndLength(total - 112));       // 112: flags & length
        BinaryPrimitives.WriteUInt32BigEndian(p[114..], VectorUniverseDiscoveryUniverseList); // 114: vector
        p[118] = page;                                                                      // 118: page
        p[119] = lastPage;                                                                  // 119: last page
        for (var i = 0; i < universes.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(p[(HeaderLength + (2 * i))..], universes[i]); // 120: universes
        }

        return total;
    }

    /// <summary>Parses a discovery page; false when malformed or truncated.</summary>
    public static bool TryParse(ReadOnlySpan<byte> d, out byte page, out byte lastPage, out ushort[] universes)
    {
        page = lastPage = 0;
        universes = [];
        if (d.Length < HeaderLength ||
            BinaryPrimitives.ReadUInt16BigEndian(d) != 0x0010 ||
            !d.Slice(4, 12).SequenceEqual(E131DataPacket.AcnPacketIdentifier) ||
            BinaryPrimitives.ReadUInt32BigEndian(d[18..]) != VectorRootE131Extended ||
            BinaryPrimitives.ReadUInt32BigEndian(d[40..]) != VectorE131ExtendedDiscovery ||
            BinaryPrimitives.ReadUInt32BigEndian(d[114..]) != VectorUniverseDiscoveryUniverseList)
        {
            return false;
        }

        var layer = BinaryPrimitives.ReadUInt16BigEndian(d[112..]) & 0x0FFF;
        if (layer < 8 || (layer & 1) != 0 || d.Length < 112 + layer || (layer - 8) / 2 > MaxUniversesPerPage ||
            BinaryPrimitives.ReadUInt16BigEndian(d[16..]) != FlagsAndLength(112 + layer - 16))
        {
            return false;
        }

        page = d[118];
        lastPage = d[119];
        universes = new ushort[(layer - 8) / 2];
        for (var i = 0; i < universes.Length; i++)
        {
            universes[i] = BinaryPrimitives.ReadUInt16BigEndian(d[(HeaderLength + (2 * i))..]);
        }

        return page <= lastPage;
    }

    private static ushort FlagsAndLength(int length) => (ushort)(0x7000 | (length & 0x0FFF));
}
