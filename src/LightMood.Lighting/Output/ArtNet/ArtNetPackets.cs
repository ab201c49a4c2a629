using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace LightMood.Lighting.Output.ArtNet;

/// <summary>Art-Net 4 OpCodes (Art-Net 4 specification, table 1; sent little-endian).</summary>
public enum ArtNetOpCode : ushort
{
    Poll = 0x2000,
    PollReply = 0x2100,
    Dmx = 0x5000,
    Sync = 0x5200,
}

/// <summary>
/// The Art-Net header every packet starts with: ID <c>"Art-Net\0"</c> (8 bytes), OpCode (16-bit little-endian),
/// and — except in ArtPollReply — ProtVer (16-bit big-endian, 14). Art-Net 4 specification, "Packet formats".
/// </summary>
public static class ArtNetHeader
{
    public const int Port = 6454;
    public const ushort ProtocolVersion = 14;
    public const int IdLength = 8;

    /// <summary>Length of ID + OpCode + ProtVer.</summary>
    public const int Length = 12;

    public static ReadOnlySpan<byte> Id => "Art-Net\0"u8;

    /// <summary>Writes ID and OpCode (little-endian); returns 10.</summary>
    public static int WriteIdAndOpCode(Span<byte> buffer, ArtNetOpCode op)
    {
        Id.CopyTo(buffer);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[8..], (ushort)op);
        return 10;
    }

    /// <summary>Writes ID, OpCode (little-endian) and ProtVer 14 (big-endian); returns 12.</summary>
    public static int Write(Span<byte> buffer, ArtNetOpCode op)
    {
        WriteIdAndOpCode(buffer, op);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[10..], ProtocolVersion);
        return Length;
    }

    /// <summary>Reads the OpCode of a datagram; false when it is shorter than ID + OpCode or the ID is wrong.</summary>
    public static bool TryReadOpCode(ReadOnlySpan<byte> datagram, out ArtNetOpCode op)
    {
        op = default;
        if (datagram.Length < 10 || !datagram[..IdLength].SequenceEqual(Id))
        {
            return false;
        }

        op = (ArtNetOpCode)BinaryPrimitives.ReadUInt16LittleEndian(datagram[8..]);
        return true;
    }
}

/// <summary>An Art-Net 15-bit Port-Address: Net (7 bits) &lt;&lt; 8 | SubNet (4 bits) &lt;&lt; 4 | Universe (4 bits).</summary>
public readonly record struct PortAddress
{
    public const int Max = 0x7FFF;

    public PortAddress(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Max);
        Value = (ushort)value;
    }

    public PortAddress(int net, int subNet, int universe)
        : this(CheckedCompose(net, subNet, universe))
    {
    }

    public ushort Value { get; }

    public int Net => (Value >> 8) & 0x7F;

    public int SubNet => (Value >> 4) & 0xF;

    public int Universe => Value & 0xF;

    /// <summary>SubUni byte of ArtDmx: SubNet (high nibble) and Universe (low nibble).</summary>
    public byte SubUni => (byte)(Value & 0xFF);

    public override string ToString() => $"{Net}:{SubNet}:{Universe}";

    private static int CheckedCompose(int net, int subNet, int universe)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(net);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(net, 0x7F);
        ArgumentOutOfRangeException.ThrowIfNegative(subNet);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subNet, 0xF);
        ArgumentOutOfRangeException.ThrowIfNegative(universe);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(universe, 0xF);
        return (net << 8) | (subNet << 4) | universe;
    }
}

/// <summary>
/// ArtDmx (OpCode 0x5000): header, Sequence (1..255, 0 = disabled), Physical, SubUni, Net, Length (16-bit
/// big-endian, even, 2..512), then the data. Art-Net 4 specification, "ArtDmx".
/// </summary>
public static class ArtDmxPacket
{
    public const int HeaderLength = 18;
    public const int MaxLength = HeaderLength + 512;

    /// <summary>Encodes an ArtDmx into <paramref name="buffer"/>; returns the byte count.</summary>
    /// <exception cref="ArgumentException">Data length odd or outside 2..512, or the buffer is too small.</exception>
    public static int Write(Span<byte> buffer, PortAddress address, byte sequence, byte physical, ReadOnlySpan<byte> data)
    {
        if (data.Length is < 2 or > 512 || (data.Length & 1) != 0)
        {
            throw new ArgumentException($"ArtDmx data length must be even and within 2..512, got {data.Length}", nameof(data));
        }

        var total = HeaderLength + data.Length;
        if (buffer.Length < total)
        {
            throw new ArgumentException($"buffer of {buffer.Length} bytes is too small for {total}", nameof(buffer));
        }

        ArtNetHeader.Write(buffer, ArtNetOpCode.Dmx);
        buffer[12] = sequence;
        buffer[13] = physical;
        buffer[14] = address.SubUni;                        // SubUni: low byte of the Port-Address
        buffer[15] = (byte)(address.Value >> 8);            // Net: high 7 bits
        BinaryPrimitives.WriteUInt16BigEndian(buffer[16..], (ushort)data.Length);
        data.CopyTo(buffer[HeaderLength..]);
        return total;
    }

    /// <summary>Parses an ArtDmx; false for anything malformed (short, wrong ID/OpCode, bad length, truncated data).</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out PortAddress address, out byte sequence, out ReadOnlySpan<byte> data)
    {
        address = default;
        sequence = 0;
        data = default;
        if (datagram.Length < HeaderLength + 2 || !ArtNetHeader.TryReadOpCode(datagram, out var op) || op != ArtNetOpCode.Dmx)
        {
            return false;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]) < ArtNetHeader.ProtocolVersion)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[16..]);
        if (length is < 2 or > 512 || (length & 1) != 0 || datagram.Length < HeaderLength + length)
        {
            return false;
        }

        address = new PortAddress(((datagram[15] & 0x7F) << 8) | datagram[14]);
        sequence = datagram[12];
        data = datagram.Slice(HeaderLength, length);
        return true;
    }
}

/// <summary>ArtSync (OpCode 0x5200): header + Aux1 + Aux2 (both 0) = 14 bytes. Art-Net 4 specification, "ArtSync".</summary>
public static class ArtSyncPacket
{
    public const int Length = 14;

    public static int Write(Span<byte> buffer)
    {
        if (buffer.Length < Length)
        {
            throw new ArgumentException($"buffer of {buffer.Length} bytes is too small for {Length}", nameof(buffer));
        }

        ArtNetHeader.Write(buffer, ArtNetOpCode.Sync);
        buffer[12] = 0;
        buffer[13] = 0;
        return Length;
    }

    public static bool TryParse(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= Length && ArtNetHeader.TryReadOpCode(datagram, out var op) && op == ArtNetOpCode.Sync &&
        BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]) >= ArtNetHeader.ProtocolVersion;
}

/// <summary>
/// ArtPoll (OpCode 0x2000): header, Flags, DiagPriority, then optional Art-Net 4 fields (target Port-Address range,
/// ESTA, OEM). Receivers accept ≥ 14 bytes (older controllers send only 14).
/// </summary>
public static class ArtPollPacket
{
    public const int MinLength = 14;
    public const int Length = 22;

    /// <summary>Flags bit 1: nodes send ArtPollReply whenever their conditions change (not only when polled).</summary>
    public const byte FlagReplyOnChange = 0x02;

    /// <summary>DiagPriority DpLow (diagnostics are not requested: Flags bit 2 is 0).</summary>
    public const byte DiagPriorityLow = 0x10;

    /// <summary>Writes the full Art-Net 4 ArtPoll (22 bytes, no targeted mode).</summary>
    public static int Write(Span<byte> buffer, byte flags, byte diagPriority)
    {
        if (buffer.Length < Length)
        {
            throw new ArgumentException($"buffer of {buffer.Length} bytes is too small for {Length}", nameof(buffer));
        }

        ArtNetHeader.Write(buffer, ArtNetOpCode.Poll);
        buffer[12] = flags;
        buffer[13] = diagPriority;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[14..], PortAddress.Max);   // TargetPortAddressTop (hi, lo)
        BinaryPrimitives.WriteUInt16BigEndian(buffer[16..], 0);                 // TargetPortAddressBottom (hi, lo)
        BinaryPrimitives.WriteUInt16BigEndian(buffer[18..], 0);                 // EstaMan (hi, lo)
        BinaryPrimitives.WriteUInt16BigEndian(buffer[20..], 0);                 // Oem (hi, lo)
        return Length;
    }

    public static bool TryParse(ReadOnlySpan<byte> datagram, out byte flags)
    {
        flags = 0;
        if (datagram.Length < MinLength || !ArtNetHeader.TryReadOpCode(datagram, out var op) || op != ArtNetOpCode.Poll)
        {
            return false;
        }

        flags = datagram[12];
        return true;
    }
}

/// <summary>What a node says about itself in ArtPollReply.</summary>
/// <param name="Address">IPv4 address of the node.</param>
/// <param name="ShortName">Up to 17 characters.</param>
/// <param name="LongName">Up to 63 characters.</param>
/// <param name="Universe">Port-Address of the (single) input port this reply describes.</param>
/// <param name="BindIndex">1-based index of this reply among the node's replies (Art-Net 4 BindIndex).</param>
/// <param name="NodeReport">Status text, up to 63 characters.</param>
public sealed record ArtPollReplyInfo(IPAddress Address, string ShortName, string LongName, PortAddress Universe, byte BindIndex, string NodeReport);

/// <summary>
/// ArtPollReply (OpCode 0x2100), 239 bytes as Art-Net 4 defines it; receivers accept ≥ 207 bytes. Unlike other
/// packets it has no ProtVer; its Port field is little-endian. Field offsets from the Art-Net 4 specification.
/// </summary>
public static class ArtPollReplyPacket
{
    public const int Length = 239;
    public const int MinLength = 207;

    /// <summary>Style code StController (a lighting console / controller).</summary>
    public const byte StyleController = 0x01;

    /// <summary>ESTA manufacturer code for prototyping ("zz" is reserved for experimental use: 0x7FF0).</summary>
    public const ushort EstaManufacturer = 0x7FF0;

    /// <summary>OEM code: 0x00FF = OemUnknown.</summary>
    public const ushort Oem = 0x00FF;

    public static int Write(Span<byte> buffer, ArtPollReplyInfo info)
    {
        if (buffer.Length < Length)
        {
            throw new ArgumentException($"buffer of {buffer.Length} bytes is too small for {Length}", nameof(buffer));
        }

        var p = buffer[..Length];
        p.Clear();
        ArtNetHeader.WriteIdAndOpCode(p, ArtNetOpCode.PollReply);
        if (!info.Address.TryWriteBytes(p.Slice(10, 4), out _))               // 10: IP address
        {
            throw new ArgumentException("ArtPollReply needs an IPv4 address", nameof(info));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(p[14..], ArtNetHeader.Port);  // 14: Port 0x1936, little-endian
        BinaryPrimitives.WriteUInt16BigEndian(p[16..], 1);                     // 16: VersInfoH, VersInfoL (firmware 1)
        p[18] = (byte)info.Universe.Net;                                       // 18: NetSwitch
        p[19] = (byte)info.Universe.SubNet;                                    // 19: SubSwitch
        BinaryPrimitives.WriteUInt16BigEndian(p[20..], Oem);                   // 20: OemHi, Oem
        p[22] = 0;                                                             // 22: Ubea Version
        p[23] = 0xD0;                                                          // 23: Status1: indicators normal (bits 7-6 = 11), Port-Address set locally (bits 5-4 = 01, "front panel")
        BinaryPrimitives.WriteUInt16LittleEndian(p[24..], EstaManufacturer);   // 24: EstaManLo, EstaManHi
        WriteText(p.Slice(26, 18), info.ShortName);                            // 26: ShortName[18]
        WriteText(p.Slice(44, 64), info.LongName);                             // 44: LongName[64]
        WriteText(p.Slice(108, 64), info.NodeReport);                          // 108: NodeReport[64]
        BinaryPrimitives.WriteUInt16BigEndian(p[172..], 1);                    // 172: NumPortsHi, NumPortsLo
        p[174] = 0x40;                                                         // 174: PortTypes[0]: can input onto the Art-Net network, DMX512
        p[178] = 0x80;                                                         // 178: GoodInput[0]: data received
        p[186] = (byte)info.Universe.Universe;                                 // 186: SwIn[0]
        p[200] = StyleController;                                              // 200: Style
        info.Address.TryWriteBytes(p.Slice(207, 4), out _);                    // 207: BindIp
        p[211] = info.BindIndex;                                               // 211: BindIndex
        p[212] = 0x08;                                                         // 212: Status2: supports 15-bit Port-Address
        return Length;
    }

    /// <summary>Parses the fields LightMood's tests and tools need; false when malformed or shorter than 207 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out IPAddress? address, out string shortName, out PortAddress universe, out byte style)
    {
        address = null;
        shortName = "";
        universe = default;
        style = 0;
        if (datagram.Length < MinLength || !ArtNetHeader.TryReadOpCode(datagram, out var op) || op != ArtNetOpCode.PollReply)
        {
            return false;
        }

        address = new IPAddress(datagram.Slice(10, 4));
        shortName = ReadText(datagram.Slice(26, 18));
        universe = new PortAddress(((datagram[18] & 0x7F) << 8) | ((datagram[19] & 0xF) << 4) | (datagram[186] & 0xF));
        style = datagram[200];
        return true;
    }

    private static void WriteText(Span<byte> field, string text)
    {
        field.Clear();
        var n = Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, field.Length - 1)), field);
        field[n] = 0;
    }

    private static string ReadText(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }
}
