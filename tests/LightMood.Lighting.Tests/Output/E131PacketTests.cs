using LightMood.Lighting.Output.Sacn;

namespace LightMood.Lighting.Tests.Output;

/// <summary>E1.31 data packets against bytes written out from ANSI E1.31-2018 table 4-1.</summary>
public sealed class E131PacketTests
{
    private static readonly byte[] Cid =
        [0x56, 0x7E, 0xA6, 0x95, 0x42, 0xA6, 0x4A, 0x39, 0x9F, 0xF1, 0x01, 0x54, 0x72, 0xC7, 0xA0, 0x39];

    private static byte[] Expected(byte sequence, byte options, ushort universe, byte[] slots)
    {
        var total = 126 + slots.Length;
        var p = new List<byte>
        {
            0x00, 0x10,                                                     // preamble size
            0x00, 0x00,                                                     // post-amble size
            0x41, 0x53, 0x43, 0x2D, 0x45, 0x31, 0x2E, 0x31, 0x37, 0x00, 0x00, 0x00, // "ASC-E1.17\0\0\0"
            (byte)(0x70 | ((total - 16) >> 8)), (byte)(total - 16),         // root flags & length
            0x00, 0x00, 0x00, 0x04,                                         // VECTOR_ROOT_E131_DATA
        };
        p.AddRange(Cid);
        p.AddRange([(byte)(0x70 | ((total - 38) >> 8)), (byte)(total - 38)]); // framing flags & length
        p.AddRange([0x00, 0x00, 0x00, 0x02]);                                  // VECTOR_E131_DATA_PACKET
        var name = new byte[64];
        "LightMood test"u8.CopyTo(name);
        p.AddRange(name);                                                      // source name
        p.Add(100);                                                            // priority
        p.AddRange([0x00, 0x00]);                                              // sync address
        p.Add(sequence);                                                       // sequence
        p.Add(options);                                                        // options
        p.AddRange([(byte)(universe >> 8), (byte)universe]);                   // universe
        p.AddRange([(byte)(0x70 | ((total - 115) >> 8)), (byte)(total - 115)]); // DMP flags & length
        p.Add(0x02);                                                           // VECTOR_DMP_SET_PROPERTY
        p.Add(0xA1);                                                           // address & data type
        p.AddRange([0x00, 0x00]);                                              // first property address
        p.AddRange([0x00, 0x01]);                                              // address increment
        p.AddRange([(byte)((slots.Length + 1) >> 8), (byte)(slots.Length + 1)]); // property value count
        p.Add(0x00);                                                           // START code
        p.AddRange(slots);
        return [.. p];
    }

    [Fact]
    public void Data_packet_matches_the_specification_bytes()
    {
        byte[] slots = [0xFF, 0x80, 0x00, 0x01];
        var expected = Expected(5, 0, 1, slots);
        Assert.Equal(130, expected.Length);
        Assert.Equal(new byte[] { 0x70, 0x72 }, expected[16..18]);
        Assert.Equal(new byte[] { 0x70, 0x5C }, expected[38..40]);
        Assert.Equal(new byte[] { 0x70, 0x0F }, expected[115..117]);
        var buffer = new byte[E131DataPacket.MaxLength];
        var n = E131DataPacket.Write(buffer, Cid, "LightMood test"u8, 100, 0, 5, 0, 1, slots);
        Assert.Equal(expected, buffer[..n]);
    }

    [Fact]
    public void A_full_universe_has_the_lengths_the_standard_lists()
    {
        var buffer = new byte[E131DataPacket.MaxLength];
        var n = E131DataPacket.Write(buffer, Cid, "LightMood test"u8, 100, 0, 0, 0, 63999, new byte[512]);
        Assert.Equal(638, n);
        Assert.Equal(new byte[] { 0x72, 0x6E }, buffer[16..18]);   // root: 0x726E
        Assert.Equal(new byte[] { 0x72, 0x58 }, buffer[38..40]);   // framing: 0x7258
        Assert.Equal(new byte[] { 0x72, 0x0B }, buffer[115..117]); // DMP: 0x720B
        Assert.Equal(new byte[] { 0x02, 0x01 }, buffer[123..125]); // 513 properties
        Assert.Equal(new byte[] { 0xF9, 0xFF }, buffer[113..115]); // universe 63999
        Assert.Equal(Expected(0, 0, 63999, new byte[512]), buffer[..n]);
    }

    [Fact]
    public void Stream_terminated_sets_options_bit_6()
    {
        var buffer = new byte[E131DataPacket.MaxLength];
        var n = E131DataPacket.Write(buffer, Cid, "LightMood test"u8, 100, 0, 9, E131DataPacket.OptionStreamTerminated, 2, [1, 2]);
        Assert.Equal(Expected(9, 0x40, 2, [1, 2]), buffer[..n]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64000)]
    public void Universe_outside_1_to_63999_is_refused(int universe) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => E131DataPacket.Write(new byte[638], Cid, "x"u8, 100, 0, 0, 0, (ushort)universe, new byte[512]));

    [Fact]
    public void Priority_above_200_and_bad_slot_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => E131DataPacket.Write(new byte[638], Cid, "x"u8, 201, 0, 0, 0, 1, new byte[512]));
        Assert.Throws<ArgumentException>(() => E131DataPacket.Write(new byte[700], Cid, "x"u8, 100, 0, 0, 0, 1, new byte[513]));
        Assert.Throws<ArgumentException>(() => E131DataPacket.Write(new byte[700], Cid, "x"u8, 100, 0, 0, 0, 1, []));
    }

    [Fact]
    public void Parser_reads_the_spec_bytes()
    {
        var bytes = Expected(77, 0x40, 300, [10, 20, 30]);
        Assert.True(E131DataPacket.TryParse(bytes, out var p));
        Assert.Equal(Cid, p.Cid.ToArray());
        Assert.Equal("LightMood test", p.SourceName);
        Assert.Equal(100, p.Priority);
        Assert.Equal(77, p.Sequence);
        Assert.Equal(0x40, p.Options);
        Assert.Equal(300, p.Universe);
        Assert.Equal(new byte[] { 10, 20, 30 }, p.Slots.ToArray());
    }

    [Fact]
    public void Parser_rejects_malformed_truncated_and_empty_packets()
    {
        var good = Expected(1, 0, 1, [1, 2, 3, 4]);
        Assert.False(E131DataPacket.TryParse([], out _));
        Assert.False(E131DataPacket.TryParse(good.AsSpan(0, 126), out _));          // no slots
        Assert.False(E131DataPacket.TryParse(good.AsSpan(0, good.Length - 1), out _)); // truncated
        foreach (var (offset, value) in new (int, byte)[] { (1, 0x11), (4, 0x42), (21, 0x08), (43, 0x01), (117, 0x01), (118, 0xA0), (16, 0x71), (115, 0x71), (113, 0x00) })
        {
            var bad = (byte[])good.Clone();
            bad[offset] = value;
            if (offset == 113)
            {
                bad[114] = 0; // universe 0
            }

            Assert.False(E131DataPacket.TryParse(bad, out _), $"byte {offset} = {value:x2} should be rejected");
        }
    }

    [Fact]
    public void A_reused_buffer_serialises_like_a_fresh_one()
    {
        var reused = new byte[E131DataPacket.MaxLength];
        E131DataPacket.Write(reused, Cid, "a much longer source name than the next one"u8, 200, 7, 255, 0x40, 9999, Enumerable.Repeat((byte)0xFF, 512).ToArray());
        var n1 = E131DataPacket.Write(reused, Cid, "LightMood test"u8, 100, 0, 5, 0, 1, [0xFF, 0x80, 0x00, 0x01]);
        Assert.Equal(Expected(5, 0, 1, [0xFF, 0x80, 0x00, 0x01]), reused[..n1]);
    }

    [Fact]
    public void Universe_discovery_matches_the_specification_bytes()
    {
        var expected = new List<byte>
        {
            0x00, 0x10, 0x00, 0x00,                                                 // preamble, post-amble
            0x41, 0x53, 0x43, 0x2D, 0x45, 0x31, 0x2E, 0x31, 0x37, 0x00, 0x00, 0x00, // ACN packet identifier
            0x70, 0x6C,                                                             // root flags & length: 124 − 16 = 108
            0x00, 0x00, 0x00, 0x08,                                                 // VECTOR_ROOT_E131_EXTENDED
        };
        expected.AddRange(Cid);
        expected.AddRange([0x70, 0x56]);                                            // framing flags & length: 124 − 38 = 86
        expected.AddRange([0x00, 0x00, 0x00, 0x02]);                                // VECTOR_E131_EXTENDED_DISCOVERY
        var name = new byte[64];
        "LightMood test"u8.CopyTo(name);
        expected.AddRange(name);                                                    // source name
        expected.AddRange([0x00, 0x00, 0x00, 0x00]);                                // reserved
        expected.AddRange([0x70, 0x0C]);                                            // discovery layer flags & length: 124 − 112 = 12
        expected.AddRange([0x00, 0x00, 0x00, 0x01]);                                // VECTOR_UNIVERSE_DISCOVERY_UNIVERSE_LIST
        expected.AddRange([0x00, 0x00]);                                            // page 0 of last page 0
        expected.AddRange([0x00, 0x01, 0xF9, 0xFF]);                                // universes 1, 63999
        var buffer = new byte[E131DiscoveryPacket.MaxLength];
        Array.Fill(buffer, (byte)0xCC);
        var n = E131DiscoveryPacket.Write(buffer, Cid, "LightMood test"u8, 0, 0, [1, 63999]);
        Assert.Equal(expected.ToArray(), buffer[..n]);
        Assert.Equal(120, E131DiscoveryPacket.Write(buffer, Cid, "x"u8, 0, 0, []));
        Assert.Throws<ArgumentException>(() => E131DiscoveryPacket.Write(buffer, Cid, "x"u8, 0, 0, [5, 2]));
        Assert.Throws<ArgumentException>(() => E131DiscoveryPacket.Write(buffer, Cid, "x"u8, 0, 0, new ushort[513]));
        Assert.False(E131DiscoveryPacket.TryParse(expected.ToArray().AsSpan(0, 121), out _, out _, out _));
        Assert.False(E131DiscoveryPacket.TryParse([], out _, out _, out _));
    }

    [Fact]
    public void Multicast_group_is_239_255_hi_lo() =>
        Assert.Equal("239.255.1.44", E131DataPacket.MulticastGroup(300).ToString());
}
