using LightMood.Osc;

namespace LightMood.Tests.Osc;

/// <summary>The OSC 1.0 parser and address patterns, against the specification's own example bytes and its rules.</summary>
public sealed class OscPacketTests
{
    /// <summary>The spec's first example: "/oscillator/4/frequency" ,f 440.0.</summary>
    private const string SpecFrequency =
        "2f6f7363 696c6c61 746f722f 342f6672 65717565 6e637900 2c660000 43dc0000";

    /// <summary>The spec's second example: "/foo" ,iisff 1000 -1 "hello" 1.234 5.678.</summary>
    private const string SpecFoo =
        "2f666f6f 00000000 2c696973 66660000 000003e8 ffffffff 68656c6c 6f000000 3f9df3b6 40b5b22d";

    [Fact]
    public void The_specifications_example_messages_parse_to_their_values()
    {
        var m = Assert.Single(OscPacket.Parse(OscBytes.Hex(SpecFrequency))).Message;
        Assert.Equal("/oscillator/4/frequency", m.Address);
        Assert.Equal("f", m.Tags);
        Assert.Equal(440.0f, Assert.IsType<float>(m.Arguments[0]));

        var foo = Assert.Single(OscPacket.Parse(OscBytes.Hex(SpecFoo))).Message;
        Assert.Equal("/foo", foo.Address);
        Assert.Equal("iisff", foo.Tags);
        Assert.Equal(1000, foo.Arguments[0]);
        Assert.Equal(-1, foo.Arguments[1]);
        Assert.Equal("hello", foo.Arguments[2]);
        Assert.Equal(1.234f, (float)foo.Arguments[3]!, 5);
        Assert.Equal(5.678f, (float)foo.Arguments[4]!, 5);
        Assert.Equal(OscBytes.Hex(SpecFoo), OscBytes.Message("/foo", 1000, -1, "hello", 1.234f, 5.678f)); // the tests' encoder agrees
    }

    [Fact]
    public void Bundles_carry_their_time_tag_to_every_message_nested_ones_included()
    {
        var later = OscTimeTag.From(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var packet = OscBytes.Bundle(1, OscBytes.Message("/a", 1), OscBytes.Bundle(later.Value, OscBytes.Message("/b", true, false)));
        var all = OscPacket.Parse(packet);
        Assert.Equal(2, all.Count);
        Assert.True(all[0].Time.IsImmediate);
        Assert.Equal("/b", all[1].Message.Address);
        Assert.Equal(later, all[1].Time);
        Assert.Equal(new object?[] { true, false }, all[1].Message.Arguments);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), later.ToDateTimeOffset());
        Assert.Equal("", Assert.Single(OscPacket.Parse(OscBytes.Str("/no/tags"))).Message.Tags); // robust to a missing type tag string
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, OscPacket.Parse(OscBytes.Message("/blob", new byte[] { 1, 2, 3, 4, 5 }))[0].Message.Arguments[0]);
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        var good = OscBytes.Message("/lightmood/master", 0.5f);
        byte[] With(byte[] b, int at, byte value)
        {
            var c = (byte[])b.Clone();
            c[at] = value;
            return c;
        }

        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "not a multiple of 4", good[..^1] },
            { "truncated argument", good[..^4] },
            { "trailing bytes", [.. good, 0, 0, 0, 0] },
            { "neither / nor #", With(good, 0, (byte)'x') },
            { "padding not zero", With(OscBytes.Message("/ab"), 3, 1) },
            { "no terminating zero", "/abc"u8.ToArray() },
            { "type tags without comma", [.. OscBytes.Str("/a"), .. OscBytes.Str("f"), 0, 0, 0, 0] },
            { "unknown type tag", [.. OscBytes.Str("/a"), .. OscBytes.Str(",x"), 0, 0, 0, 0] },
            { "control byte in address", With(OscBytes.Message("/abcdef"), 2, 7) },
            { "space in address", OscBytes.Message("/a b") },
            { "blob longer than the packet", [.. OscBytes.Str("/a"), .. OscBytes.Str(",b"), .. OscBytes.BigEndian(1000), 1, 2, 3, 4] },
            { "negative blob size", [.. OscBytes.Str("/a"), .. OscBytes.Str(",b"), .. OscBytes.BigEndian(-4), 1, 2, 3, 4] },
            { "bundle element size too big", [.. OscBytes.Bundle(1), .. OscBytes.BigEndian(64), .. good] },
            { "bundle element size not a multiple of 4", [.. OscBytes.Bundle(1), .. OscBytes.BigEndian(3), 1, 2, 3, 0] },
            { "bundle element of size 0", [.. OscBytes.Bundle(1), .. OscBytes.BigEndian(0)] },
            { "bundle header cut", OscBytes.Bundle(1)[..12] },
            { "#bundle misspelt", [.. OscBytes.Str("#bundlx"), 0, 0, 0, 0, 0, 0, 0, 1] },
            { "bundles nested too deep", Enumerable.Range(0, OscPacket.MaxDepth + 1).Aggregate(good, (inner, _) => OscBytes.Bundle(1, inner)) },
            { "nested bundle earlier than its parent", OscBytes.Bundle(100UL << 32, OscBytes.Bundle(99UL << 32, good)) },
            { "invalid UTF-8 string", [.. OscBytes.Str("/a"), .. OscBytes.Str(",s"), 0xff, 0xfe, 0, 0] },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_packet_is_refused_whole(string why, byte[] packet)
    {
        var e = Assert.Throws<OscFormatException>(() => OscPacket.Parse(packet));
        Assert.False(string.IsNullOrEmpty(e.Message), why);
    }

    [Theory]
    [InlineData("/lightmood/master", "/lightmood/master", true)]
    [InlineData("/lightmood/maste?", "/lightmood/master", true)]
    [InlineData("/lightmood/*", "/lightmood/master", true)]
    [InlineData("/*/*", "/lightmood/master", true)]
    [InlineData("/*", "/lightmood/master", false)] // * does not cross a slash
    [InlineData("/lightmood/mood/{sad,calm}", "/lightmood/mood/calm", true)]
    [InlineData("/lightmood/mood/{sad,calm}", "/lightmood/mood/happy", false)]
    [InlineData("/lightmood/mood/[a-h]appy", "/lightmood/mood/happy", true)]
    [InlineData("/lightmood/mood/[!h]appy", "/lightmood/mood/happy", false)]
    [InlineData("/lightmood/mood/[st]*", "/lightmood/mood/tense", true)]
    [InlineData("/lightmood/mood/*e*e", "/lightmood/mood/tense", true)]
    [InlineData("/lightmood/mood/t*x", "/lightmood/mood/tense", false)]
    [InlineData("/lightmood/mood/[-s]ad", "/lightmood/mood/sad", true)]
    public void Address_patterns_match_as_the_specification_says(string pattern, string address, bool matches) =>
        Assert.Equal(matches, OscAddressPattern.Matches(pattern, address));

    [Fact]
    public void An_unclosed_bracket_is_a_malformed_pattern_and_hostile_patterns_stay_cheap()
    {
        Assert.Throws<OscFormatException>(() => OscAddressPattern.Matches("/lightmood/[ab", "/lightmood/a"));
        Assert.Throws<OscFormatException>(() => OscAddressPattern.Matches("/lightmood/{ab", "/lightmood/a"));
        var hostile = "/lightmood/" + string.Concat(Enumerable.Repeat("*?", 20000)) + "x";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(OscAddressPattern.Matches(hostile, "/lightmood/master"));
        Assert.True(watch.ElapsedMilliseconds < 1000, $"{watch.ElapsedMilliseconds} ms");
    }
}
