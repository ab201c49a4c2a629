using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace LightMood.Lighting.Output.ArtNet;

/// <summary>
/// What a node announces in one ArtPollReply (OpCode 0x2100), read the way a controller needs it for discovery: who it
/// is, and which Port-Addresses its ports output from the network (the universes to send it). Field offsets from the
/// Art-Net 4 specification, "ArtPollReply"; a node with more than four ports sends one reply per group of ports,
/// numbered by BindIndex.
/// </summary>
/// <param name="Address">IP address field (offset 10).</param>
/// <param name="ShortName">ShortName[18] (offset 26).</param>
/// <param name="LongName">LongName[64] (offset 44).</param>
/// <param name="NodeReport">NodeReport[64] (offset 108).</param>
/// <param name="Style">Style code (offset 200): 0 StNode, 1 StController, 2 StMedia, ...</param>
/// <param name="BindIndex">BindIndex (offset 211): 1..n for the replies of one device; 0 from Art-Net 3 devices (read as 1).</param>
/// <param name="Outputs">Port-Addresses of the ports that output DMX from Art-Net (PortTypes bit 7): NetSwitch, SubSwitch and SwOut.</param>
/// <param name="Inputs">Port-Addresses of the ports that input DMX to Art-Net (PortTypes bit 6): NetSwitch, SubSwitch and SwIn.</param>
public sealed record ArtPollReply(
    IPAddress Address,
    string ShortName,
    string LongName,
    string NodeReport,
    byte Style,
    byte BindIndex,
    IReadOnlyList<PortAddress> Outputs,
    IReadOnlyList<PortAddress> Inputs)
{
    public const byte StyleNode = 0x00;

    /// <summary>PortTypes bit 7: the port can output data from the Art-Net network (a DMX output of a node).</summary>
    public const byte PortOutputsFromArtNet = 0x80;

    /// <summary>PortTypes bit 6: the port can input data onto the Art-Net network.</summary>
    public const byte PortInputsToArtNet = 0x40;

    /// <summary>
    /// Parses an ArtPollReply; false when it is not one or is shorter than 207 bytes (the Art-Net 3 length; the
    /// fields after offset 207, BindIp and BindIndex, are read only when present).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out ArtPollReply reply)
    {
        reply = null!;
        if (datagram.Length < ArtPollReplyPacket.MinLength || !ArtNetHeader.TryReadOpCode(datagram, out var op) || op != ArtNetOpCode.PollReply)
        {
            return false;
        }

        var net = datagram[18] & 0x7F;                                      // 18: NetSwitch (7 bits)
        var sub = datagram[19] & 0x0F;                                      // 19: SubSwitch (4 bits)
        var ports = Math.Min(4, (int)BinaryPrimitives.ReadUInt16BigEndian(datagram[172..]));   // 172: NumPortsHi, NumPortsLo
        var outputs = new List<PortAddress>(ports);
        var inputs = new List<PortAddress>(ports);
        for (var i = 0; i < ports; i++)
        {
            var type = datagram[174 + i];                                   // 174: PortTypes[4]
            if ((type & PortOutputsFromArtNet) != 0)
            {
                outputs.Add(new PortAddress((net << 8) | (sub << 4) | (datagram[190 + i] & 0x0F)));   // 190: SwOut[4]
            }

            if ((type & PortInputsToArtNet) != 0)
            {
                inputs.Add(new PortAddress((net << 8) | (sub << 4) | (datagram[186 + i] & 0x0F)));    // 186: SwIn[4]
            }
        }

        var bindIndex = datagram.Length > 211 ? datagram[211] : (byte)0;   // 211: BindIndex
        reply = new ArtPollReply(
            new IPAddress(datagram.Slice(10, 4)),
            Text(datagram.Slice(26, 18)),
            Text(datagram.Slice(44, 64)),
            Text(datagram.Slice(108, 64)),
            datagram[200],
            bindIndex == 0 ? (byte)1 : bindIndex,
            outputs,
            inputs);
        return true;
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        var text = Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
        return string.Create(text.Length, text, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }
}
