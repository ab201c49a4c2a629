namespace LightMood.Osc;

/// <summary>
/// OSC 1.0 address pattern matching, part by part between the slashes: <c>?</c> one character, <c>*</c> any run of
/// characters, <c>[abc]</c>, <c>[a-z]</c> and <c>[!…]</c> one character of (not of) a set, <c>{foo,bar}</c> one of the
/// strings. Matched by a set of reachable positions (no backtracking), so a hostile pattern costs linear time.
/// An unclosed <c>[</c> or <c>{</c> is a malformed pattern (<see cref="OscFormatException"/>).
/// </summary>
public static class OscAddressPattern
{
    /// <summary>True when <paramref name="pattern"/> matches the address <paramref name="address"/> (which has no wildcards).</summary>
    public static bool Matches(string pattern, string address)
    {
        var p = pattern.Split('/');
        var a = address.Split('/');
        if (p.Length != a.Length)
        {
            return false;
        }

        for (var i = 0; i < p.Length; i++)
        {
            if (!MatchPart(p[i], a[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchPart(string pattern, string text)
    {
        var reach = new bool[text.Length + 1];
        var next = new bool[text.Length + 1];
        reach[0] = true;
        var i = 0;
        while (i < pattern.Length)
        {
            Array.Clear(next);
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    var first = Array.IndexOf(reach, true);
                    for (var k = first < 0 ? next.Length : first; k < next.Length; k++)
                    {
                        next[k] = true;
                    }

                    i++;
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        throw new OscFormatException($"'[' without ']' in '{pattern}'");
                    }

                    var set = pattern[(i + 1)..close];
                    Step(reach, next, text, ch => InSet(set, ch));
                    i = close + 1;
                    break;
                case '{':
                    var end = pattern.IndexOf('}', i + 1);
                    if (end < 0)
                    {
                        throw new OscFormatException($"'{{' without '}}' in '{pattern}'");
                    }

                    var options = pattern[(i + 1)..end].Split(',');
                    for (var k = 0; k < reach.Length; k++)
                    {
                        if (!reach[k])
                        {
                            continue;
                        }

                        foreach (var o in options)
                        {
                            if (k + o.Length <= text.Length && string.CompareOrdinal(text, k, o, 0, o.Length) == 0)
                            {
                                next[k + o.Length] = true;
                            }
                        }
                    }

                    i = end + 1;
                    break;
                default:
                    Step(reach, next, text, ch => c == '?' || ch == c);
                    i++;
                    break;
            }

            (reach, next) = (next, reach);
            if (Array.IndexOf(reach, true) < 0)
            {
                return false;
            }
        }

        return reach[text.Length];
    }

    private static void Step(bool[] reach, bool[] next, string text, Func<char, bool> accepts)
    {
        for (var k = 0; k < text.Length; k++)
        {
            if (reach[k] && accepts(text[k]))
            {
                next[k + 1] = true;
            }
        }
    }

    /// <summary><c>[…]</c>: characters and ranges <c>a-z</c>; a leading <c>!</c> negates; a <c>-</c> first or last is literal.</summary>
    private static bool InSet(string set, char ch)
    {
        var negate = set.StartsWith('!');
        var s = negate ? set[1..] : set;
        var found = false;
        for (var k = 0; k < s.Length && !found; k++)
        {
            if (k + 2 < s.Length && s[k + 1] == '-')
            {
                var (lo, hi) = s[k] <= s[k + 2] ? (s[k], s[k + 2]) : (s[k + 2], s[k]);
                found = ch >= lo && ch <= hi;
                k += 2;
            }
            else
            {
                found = s[k] == ch;
            }
        }

        return found != negate;
    }
}
