using System.Net;
using LightMood.Lighting.Output.ArtNet;

namespace LightMood.Lighting.Tests.Output;

/// <summary>
/// Art-Net 4 packets against bytes written out by hand from the specification's field tables
/// (ID "Art-Net\0", OpCode little-endian, ProtVer 14 big-endian, ...), not only encode-then-parse.
/// </summary>
public sealed class ArtNetPacketTests
{
    private static readonly byte[] Id = [0x41, 0x72, 0x74, 0x2D, 0x4E, 0x65, 0x74, 0x00]; // "Art-Net\0"

    [Fact]
    public void ArtDmx_matches_the_specification_bytes()
    {
        byte[] expected =
        [
            .. Id,
            0x00, 0x50,             // OpCode 0x5000, low byte first
            0x00, 0x0E,             // ProtVerHi, ProtVerLo = 14
            0x07,                   // Sequence
            0x00,                   // Physical
            0x12,                   // SubUni: SubNet 1, Universe 2
            0x00,                   // Net 0
            0x00, 0x04,             // LengthHi, Length = 4
            0x01, 0x02, 0x03, 0xFF, // data
        ];
        var buffer = new byte[ArtDmxPacket.MaxLength];
        var n = ArtDmxPacket.Write(buffer, new PortAddress(0, 1, 2), 7, 0, [0x01, 0x02, 0x03, 0xFF]);
        Assert.Equal(expected, buffer[..n]);
    }

    [Fact]
    public void ArtDmx_splits_a_15_bit_port_address_into_SubUni_and_Net()
    {
        var buffer = new byte[ArtDmxPacket.MaxLength];
        var n = ArtDmxPacket.Write(buffer, new PortAddress(0x7F, 0xA, 0x5), 255, 3, new byte[512]);
        Assert.Equal(18 + 512, n);
        Assert.Equal(0xA5, buffer[14]);  // SubUni
        Assert.Equal(0x7F, buffer[15]);  // Net
        Assert.Equal(0x02, buffer[16]);  // Length 512 big-endian
        Assert.Equal(0x00, buffer[17]);
        Assert.Equal(3, buffer[13]);
        Assert.Equal(0x7FA5, new PortAddress(0x7F, 0xA, 0x5).Value);
        Assert.Equal("127:10:5", new PortAddress(0x7FA5).ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(513)]
    [InlineData(514)]
    public void ArtDmx_refuses_odd_or_out_of_range_lengths(int length)
    {
        var buffer = new byte[600];
        Assert.Throws<ArgumentException>(() => ArtDmxPacket.Write(buffer, new PortAddress(0), 1, 0, new byte[length]));
    }

    [Fact]
    public void ArtDmx_refuses_a_short_buffer() =>
        Assert.Throws<ArgumentException>(() => ArtDmxPacket.Write(new byte[20], new PortAddress(0), 1, 0, new byte[4]));

    [Fact]
    public void ArtSync_is_14_bytes_header_and_two_zero_aux_bytes()
    {
        byte[] expected = [.. Id, 0x00, 0x52, 0x00, 0x0E, 0x00, 0x00];
        var buffer = new byte[32];
        Array.Fill(buffer, (byte)0xAA);
        var n = ArtSyncPacket.Write(buffer);
        Assert.Equal(expected, buffer[..n]);
        Assert.True(ArtSyncPacket.TryParse(expected));
    }

    [Fact]
    public void ArtPoll_matches_the_specification_bytes()
    {
        byte[] expected =
        [
            .. Id,
            0x00, 0x20,             // OpCode 0x2000
            0x00, 0x0E,             // ProtVer 14
            0x02,                   // Flags
            0x10,                   // DiagPriority DpLow
            0x7F, 0xFF,             // TargetPortAddressTopHi/Lo
            0x00, 0x00,             // TargetPortAddressBottomHi/Lo
            0x00, 0x00,             // EstaManHi/Lo
            0x00, 0x00,             // OemHi/Lo
        ];
        var buffer = new byte[64];
        var n = ArtPollPacket.Write(buffer, 0x02, 0x10);
        Assert.Equal(expected, buffer[..n]);
    }

    [Fact]
    public void ArtPoll_of_14_bytes_from_an_old_controller_is_accepted()
    {
        byte[] old = [.. Id, 0x00, 0x20, 0x00, 0x0E, 0x06, 0x00];
        Assert.True(ArtPollPacket.TryParse(old, out var flags));
        Assert.Equal(6, flags);
    }

    [Fact]
    public void ArtPollReply_matches_the_specification_field_table()
    {
        var expected = new byte[239];
        Id.CopyTo(expected, 0);
        expected[8] = 0x00; expected[9] = 0x21;                                   // OpCode 0x2100 little-endian
        expected[10] = 10; expected[11] = 0; expected[12] = 0; expected[13] = 7;    // IP address
        expected[14] = 0x36; expected[15] = 0x19;                                 // Port 0x1936 little-endian
        expected[16] = 0x00; expected[17] = 0x01;                                 // VersInfoH, VersInfoL
        expected[18] = 0x01;                                                      // NetSwitch
        expected[19] = 0x02;                                                      // SubSwitch
        expected[20] = 0x00; expected[21] = 0xFF;                                 // OemHi, Oem (OemUnknown)
        expected[22] = 0x00;                                                      // Ubea
        expected[23] = 0xD0;                                                      // Status1
        expected[24] = 0xF0; expected[25] = 0x7F;                                 // EstaManLo, EstaManHi
        "LightMood"u8.CopyTo(expected.AsSpan(26));                                // ShortName[18]
        "LightMood long name"u8.CopyTo(expected.AsSpan(44));                      // LongName[64]
        "#0001 [0000] ok"u8.CopyTo(expected.AsSpan(108));                         // NodeReport[64]
        expected[172] = 0x00; expected[173] = 0x01;                               // NumPortsHi, NumPortsLo
        expected[174] = 0x40;                                                     // PortTypes[0]: input, DMX512
        expected[178] = 0x80;                                                     // GoodInput[0]
        expected[186] = 0x03;                                                     // SwIn[0]
        expected[200] = 0x01;                                                     // Style: StController
        expected[207] = 10; expected[208] = 0; expected[209] = 0; expected[210] = 7; // BindIp
        expected[211] = 0x02;                                                     // BindIndex
        expected[212] = 0x08;                                                     // Status2: 15-bit Port-Address

        var buffer = new byte[300];
        Array.Fill(buffer, (byte)0xEE);
        var info = new ArtPollReplyInfo(IPAddress.Parse("10.0.0.7"), "LightMood", "LightMood long name", new PortAddress(1, 2, 3), 2, "#0001 [0000] ok");
        var n = ArtPollReplyPacket.Write(buffer, info);
        Assert.Equal(239, n);
        Assert.Equal(expected, buffer[..n]);

        Assert.True(ArtPollReplyPacket.TryParse(buffer.AsSpan(0, n), out var address, out var shortName, out var universe, out var style));
        Assert.Equal(IPAddress.Parse("10.0.0.7"), address);
        Assert.Equal("LightMood", shortName);
        Assert.Equal(new PortAddress(1, 2, 3), universe);
        Assert.Equal(1, style);
        Assert.True(ArtPollReplyPacket.TryParse(buffer.AsSpan(0, 207), out _, out _, out _, out _));
    }

    [Fact]
    public void Names_longer_than_their_fields_are_cut_and_null_terminated()
    {
        var buffer = new byte[239];
        var info = new ArtPollReplyInfo(IPAddress.Loopback, new string('S', 40), new string('L', 100), new PortAddress(0), 1, new string('R', 100));
        ArtPollReplyPacket.Write(buffer, info);
        Assert.Equal(0, buffer[26 + 17]);
        Assert.Equal((byte)'S', buffer[26 + 16]);
        Assert.Equal(0, buffer[44 + 63]);
        Assert.Equal(0, buffer[108 + 63]);
    }

    public static TheoryData<byte[]> Malformed => new()
    {
        Array.Empty<byte>(),
        B([0x41]),
        Id,
        B([.. Id, 0x00]),
        B([.. "Art-Nat\0"u8.ToArray(), 0x00, 0x50, 0x00, 0x0E, 0, 0, 0, 0, 0x00, 0x02, 1, 2]),      // wrong ID
        B([.. Id, 0x00, 0x51, 0x00, 0x0E, 0, 0, 0, 0, 0x00, 0x02, 1, 2]),                          // wrong OpCode
        B([.. Id, 0x00, 0x50, 0x00, 0x0E, 0, 0, 0, 0, 0x00, 0x04, 1, 2]),                          // truncated data
        B([.. Id, 0x00, 0x50, 0x00, 0x0E, 0, 0, 0, 0, 0x00, 0x03, 1, 2, 3]),                       // odd length
        B([.. Id, 0x00, 0x50, 0x00, 0x0E, 0, 0, 0, 0, 0x02, 0x02, 1, 2]),                          // length 514
        B([.. Id, 0x00, 0x50, 0x00, 0x0E, 0, 0, 0, 0, 0x00, 0x00]),                                // length 0
        B([.. Id, 0x00, 0x50, 0x00, 0x0D, 0, 0, 0, 0, 0x00, 0x02, 1, 2]),                          // ProtVer 13
        B([.. Id, 0x00, 0x50, 0x00, 0x0E, 0, 0, 0]),                                               // header cut
    };

    private static byte[] B(byte[] bytes) => bytes;

    [Theory]
    [MemberData(nameof(Malformed))]
    public void ArtDmx_parser_rejects_malformed_truncated_and_empty_datagrams(byte[] datagram) =>
        Assert.False(ArtDmxPacket.TryParse(datagram, out _, out _, out _));

    [Fact]
    public void Other_parsers_reject_short_or_foreign_datagrams()
    {
        Assert.False(ArtPollPacket.TryParse([], out _));
        Assert.False(ArtPollPacket.TryParse([.. Id, 0x00, 0x20, 0x00], out _));           // 13 bytes
        Assert.False(ArtPollPacket.TryParse([.. Id, 0x00, 0x50, 0x00, 0x0E, 0, 0], out _)); // an ArtDmx header
        Assert.False(ArtSyncPacket.TryParse([.. Id, 0x00, 0x52, 0x00, 0x0E, 0]));          // 13 bytes
        var reply = new byte[239];
        ArtPollReplyPacket.Write(reply, new ArtPollReplyInfo(IPAddress.Loopback, "x", "y", new PortAddress(0), 1, ""));
        Assert.False(ArtPollReplyPacket.TryParse(reply.AsSpan(0, 206), out _, out _, out _, out _));
        Assert.False(ArtPollReplyPacket.TryParse([], out _, out _, out _, out _));
    }

    [Fact]
    public void A_reused_buffer_serialises_like_a_fresh_one()
    {
        var reused = new byte[ArtDmxPacket.MaxLength];
        ArtDmxPacket.Write(reused, new PortAddress(0x7FFF), 200, 9, Enumerable.Repeat((byte)0xFF, 512).ToArray());
        var n1 = ArtDmxPacket.Write(reused, new PortAddress(3), 4, 0, [9, 8, 7, 6]);
        var fresh = new byte[ArtDmxPacket.MaxLength];
        var n2 = ArtDmxPacket.Write(fresh, new PortAddress(3), 4, 0, [9, 8, 7, 6]);
        Assert.Equal(fresh[..n2], reused[..n1]);

        var replyReused = new byte[239];
        Array.Fill(replyReused, (byte)0x55);
        ArtPollReplyPacket.Write(replyReused, new ArtPollReplyInfo(IPAddress.Parse("1.2.3.4"), "long short name xx", "a", new PortAddress(77), 9, "report"));
        var info = new ArtPollReplyInfo(IPAddress.Loopback, "b", "c", new PortAddress(1), 1, "");
        ArtPollReplyPacket.Write(replyReused, info);
        var replyFresh = new byte[239];
        ArtPollReplyPacket.Write(replyFresh, info);
        Assert.Equal(replyFresh, replyReused);
    }

    [Fact]
    public void Parse_reads_back_what_the_spec_bytes_say()
    {
        byte[] datagram = [.. Id, 0x00, 0x50, 0x00, 0x0E, 0x2A, 0x00, 0x34, 0x05, 0x00, 0x02, 0xAB, 0xCD];
        Assert.True(ArtDmxPacket.TryParse(datagram, out var address, out var sequence, out var data));
        Assert.Equal(0x0534, address.Value);
        Assert.Equal(5, address.Net);
        Assert.Equal(3, address.SubNet);
        Assert.Equal(4, address.Universe);
        Assert.Equal(0x2A, sequence);
        Assert.Equal(new byte[] { 0xAB, 0xCD }, data.ToArray());
    }
}
