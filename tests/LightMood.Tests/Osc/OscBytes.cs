using System.Buffers.Binary;
using System.Text;

namespace LightMood.Tests.Osc;

/// <summary>Builds OSC 1.0 datagrams for the tests (written from the specification, apart from the server's parser).</summary>
internal static class OscBytes
{
    public static byte[] Message(string address, params object[] args)
    {
        var body = new List<byte>();
        var tags = new StringBuilder(",");
        foreach (var a in args)
        {
            switch (a)
            {
                case int i:
                    tags.Append('i');
                    body.AddRange(BigEndian(i));
                    break;
                case float f:
                    tags.Append('f');
                    body.AddRange(BigEndian(BitConverter.SingleToInt32Bits(f)));
                    break;
                case string s:
                    tags.Append('s');
                    body.AddRange(Str(s));
                    break;
                case bool b:
                    tags.Append(b ? 'T' : 'F');
                    break;
                case byte[] blob:
                    tags.Append('b');
                    body.AddRange(BigEndian(blob.Length));
                    body.AddRange(blob);
                    body.AddRange(new byte[(4 - (blob.Length % 4)) % 4]);
                    break;
                default:
                    throw new ArgumentException(a.GetType().Name);
            }
        }

        return [.. Str(address), .. Str(tags.ToString()), .. body];
    }

    public static byte[] Bundle(ulong timeTag, params byte[][] elements)
    {
        var b = new List<byte>(Str("#bundle"));
        var t = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(t, timeTag);
        b.AddRange(t);
        foreach (var e in elements)
        {
            b.AddRange(BigEndian(e.Length));
            b.AddRange(e);
        }

        return [.. b];
    }

    public static byte[] Str(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        return [.. bytes, .. new byte[4 - (bytes.Length % 4)]];
    }

    public static byte[] BigEndian(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, v);
        return b;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
}
