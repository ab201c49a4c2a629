namespace LightMood.Analysis.Emotion;

/// <summary>Splits a stream into '\n'-terminated lines with their byte offsets, holding at most one line (capped) in memory.</summary>
internal sealed class LineReader(Stream stream, int maxLine)
{
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private long _base;
    private bool _eof;

    /// <summary>The next line (without its '\n'); <paramref name="tooLong"/>: it exceeded the cap and was skipped (empty).</summary>
    public bool Next(out ReadOnlySpan<byte> line, out long start, out bool terminated, out bool tooLong)
    {
        start = _base + _start;
        tooLong = false;
        var scanned = _start;
        while (true)
        {
            var nl = Array.IndexOf(_buffer, (byte)'\n', scanned, _end - scanned);
            if (nl >= 0)
            {
                line = tooLong ? default : _buffer.AsSpan(_start, nl - _start);
                _start = nl + 1;
                terminated = true;
                return true;
            }

            if (_end - _start > maxLine)
            {
                tooLong = true;     // drop what is held and skip on to the next newline
                _start = _end;
            }

            var held = _end - _start; // scanned already: no newline in it
            if (!Fill())
            {
                terminated = false;
                line = tooLong ? default : _buffer.AsSpan(_start, _end - _start);
                var any = tooLong || _end > _start;
                _start = _end;
                return any;
            }

            scanned = _start + held;
        }
    }

    /// <summary>Whether nothing follows the line just returned.</summary>
    public bool AtEnd() => _start == _end && !Fill();

    /// <summary>Reads more bytes (moving the held line to the front, growing up to the cap); false at the end of the stream.</summary>
    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _base += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxLine + (1 << 16)));
        }

        var n = stream.Read(_buffer, _end, _buffer.Length - _end);
        _eof = n == 0;
        _end += n;
        return n > 0;
    }
}
