namespace LightMood.Audio.Decoding;

/// <summary>
/// Finds MPEG audio frames (ISO/IEC 11172-3 §2.4.2.3, 13818-3 for MPEG-2/2.5 low rates) before NLayer is trusted with
/// a stream: a real MP3 has frame headers that chain (each frame's length, from bitrate, sample rate and padding, leads
/// to the next header). Random bytes with an <c>.mp3</c> name, or a lone 0xFFE sync by chance, do not.
/// </summary>
internal static class MpegFrameScanner
{
    /// <summary>Consecutive chained frames required.</summary>
    public const int FramesRequired = 3;

    /// <summary>How far past the ID3v2 tag a first frame is looked for.</summary>
    public const int SearchBytes = 64 * 1024;

    // kbit/s by [version row][layer][index]: row 0 = MPEG-1, row 1 = MPEG-2 and 2.5; layer 0 = I, 1 = II, 2 = III.
    private static readonly int[][][] Bitrates =
    [
        [
            [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
            [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
            [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        ],
        [
            [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
            [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
            [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
        ],
    ];

    private static readonly int[] SampleRates = [44100, 48000, 32000];

    /// <summary>True when <paramref name="stream"/> holds <see cref="FramesRequired"/> chained frames near its start. Rewinds the stream.</summary>
    public static bool HasFrames(Stream stream)
    {
        var start = stream.Position;
        try
        {
            var head = new byte[10];
            var offset = 0L;
            if (stream.ReadAtLeast(head, 10, throwOnEndOfStream: false) == 10 && head.AsSpan(0, 3).SequenceEqual("ID3"u8))
            {
                // ID3v2: 28-bit syncsafe size after a 10-byte header, plus a 10-byte footer when flag bit 4 is set
                var size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9];
                offset = 10 + size + ((head[5] & 0x10) != 0 ? 10 : 0);
            }

            if (offset >= stream.Length)
            {
                return false;
            }

            stream.Position = offset;
            var window = new byte[(int)Math.Min(SearchBytes + (8 * 2881), stream.Length - offset)];
            var read = stream.ReadAtLeast(window, window.Length, throwOnEndOfStream: false);
            var bytes = window.AsSpan(0, read);
            for (var i = 0; i + 4 <= bytes.Length && i < SearchBytes; i++)
            {
                if (Chains(bytes, i))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static bool Chains(ReadOnlySpan<byte> bytes, int at)
    {
        for (var frame = 0; frame < FramesRequired; frame++)
        {
            if (at + 4 > bytes.Length)
            {
                // the file ends after at least one good frame: a short file, still MPEG audio
                return frame > 0 && at == bytes.Length;
            }

            var length = FrameLength(bytes.Slice(at, 4));
            if (length <= 0)
            {
                return false;
            }

            at += length;
        }

        return true;
    }

    /// <summary>Frame length in bytes from a 4-byte header, or 0 when it is not a valid header.</summary>
    internal static int FrameLength(ReadOnlySpan<byte> h)
    {
        if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0)
        {
            return 0;
        }

        var version = (h[1] >> 3) & 3; // 0 = 2.5, 1 reserved, 2 = MPEG-2, 3 = MPEG-1
        var layerBits = (h[1] >> 1) & 3; // 1 = III, 2 = II, 3 = I, 0 reserved
        var bitrateIndex = h[2] >> 4;
        var rateIndex = (h[2] >> 2) & 3;
        if (version == 1 || layerBits == 0 || bitrateIndex is 0 or 15 || rateIndex == 3)
        {
            return 0;
        }

        var layer = 3 - layerBits; // 0 = I, 1 = II, 2 = III
        var bitrate = Bitrates[version == 3 ? 0 : 1][layer][bitrateIndex] * 1000;
        var sampleRate = SampleRates[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        var padding = (h[2] >> 1) & 1;
        return layer switch
        {
            0 => ((12 * bitrate / sampleRate) + padding) * 4,
            2 when version != 3 => (72 * bitrate / sampleRate) + padding,
            _ => (144 * bitrate / sampleRate) + padding,
        };
    }
}
