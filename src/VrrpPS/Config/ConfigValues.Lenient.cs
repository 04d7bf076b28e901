using System.Globalization;

namespace VrrpPS.Config;

/// <summary>
/// keepalived 2.2.7's number readers as its daemon runs them (lib/parser.c, read with "ignore_error"; `keepalived -t` is
/// stricter and rejects these lines, but the daemon runs them). Every problem is a warning at file:line naming the value
/// keepalived goes on with, never an error: keepalived starts with such a config, so VrrpPS must too, with the same values.
/// <list type="bullet">
/// <item><see cref="Whole"/>: strtoul/strtol — text after the leading digits is a warning and the leading digits are used (no
/// digits: 0); a negative value for an unsigned keyword, or a value outside the keyword's range, is a warning and the line is
/// ignored.</item>
/// <item><see cref="Decimal"/>: up to 6 decimal places; the digits on both sides of the point are joined and padded to
/// microseconds before strtoull reads the leading digits, so "5abc" is 5 µs and "1.5x" 15 µs; more than 6 places round with a
/// warning; out of range: ignored with a warning.</item>
/// </list>
/// </summary>
internal sealed partial class ConfigValues
{
    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>] as keepalived's daemon reads it, or null
    /// when keepalived ignores the line (a warning says so). Signed when <paramref name="min"/> is negative.</summary>
    internal long? Whole(ConfNode n, long min, long max, int i = 0, string? instead = null)
    {
        if (Arg(n, i) is not { } t) return null;
        string s = t.Text.TrimStart(' ', '\t');
        int k = 0;
        bool negative = false;
        if (k < s.Length && s[k] is '+' or '-') { negative = s[k] == '-'; k++; }
        int start = k;
        while (k < s.Length && char.IsAsciiDigit(s[k])) k++;
        bool overflow = !long.TryParse(s.AsSpan(start, k - start), NumberStyles.None, CultureInfo.InvariantCulture, out long v) && k > start;
        if (k == start) v = 0;
        if (negative) v = -v;
        bool trailing = k < s.Length;
        if (negative && min >= 0 && v != 0)
            { Ignore(n, t, $"'{n.Name}' takes no negative number, got '{t.Text}'", instead); return null; }
        if (overflow || v < min || v > max)
            { Ignore(n, t, $"'{n.Name}' value '{t.Text}' is outside [{min}, {max}]", instead); return null; }
        if (trailing)
            Diag.Warning("KeepalivedInvalidNumber", n.File, n.Line, t.Column, t.Text,
                $"'{n.Name}' expects a whole number, got '{t.Text}'; keepalived reads its leading digits: {v.ToString(CultureInfo.InvariantCulture)}.");
        return v;
    }

    /// <summary>A number of seconds with up to 6 decimal places in [<paramref name="min"/>, <paramref name="max"/>] as keepalived's
    /// daemon reads it (read_decimal_unsigned, microseconds), or null when keepalived ignores the line (a warning says so).</summary>
    internal double? Decimal(ConfNode n, double min, double max, int i = 0)
    {
        const int Places = 6;
        if (Arg(n, i) is not { } t) return null;
        string s = t.Text;
        if (s.StartsWith('-')) { Ignore(n, t, $"'{n.Name}' takes no negative number, got '{s}'"); return null; }
        int dp = s.IndexOf('.');
        int places = dp >= 0 ? s.Length - dp - 1 : 0;
        bool roundUp = false;
        if (places > Places)
        {
            roundUp = s[dp + Places + 1] >= '5';
            places = Places;
            Diag.Warning("KeepalivedInvalidNumber", n.File, n.Line, t.Column, s, $"'{n.Name}' has more than {Places} decimal places ('{s}'); keepalived rounds it to microseconds.");
        }
        string joined = (dp >= 0 ? s[..dp] + s.Substring(dp + 1, places) : s) + new string('0', Places - places);
        string lead = joined.TrimStart(' ', '\t', '\n', '\v', '\f', '\r');
        int k = lead.Length > 0 && lead[0] == '+' ? 1 : 0, start = k;
        while (k < lead.Length && char.IsAsciiDigit(lead[k])) k++;
        if (!ulong.TryParse(lead.AsSpan(start, k - start), NumberStyles.None, CultureInfo.InvariantCulture, out ulong us) && k > start)
            { Ignore(n, t, $"'{n.Name}' value '{s}' is too large"); return null; }
        if (roundUp) us++;
        double seconds = us / 1e6;
        if (us < (ulong)Math.Round(min * 1e6) || us > (ulong)Math.Round(max * 1e6))
            { Ignore(n, t, k < lead.Length
                ? $"'{n.Name}' expects a number of seconds, got '{s}', which keepalived reads as {seconds.ToString("0.######", CultureInfo.InvariantCulture)} s, outside [{min}, {max}]"
                : $"'{n.Name}' value '{s}' is outside [{min}, {max}]"); return null; }
        if (k < lead.Length)
            Diag.Warning("KeepalivedInvalidNumber", n.File, n.Line, t.Column, s,
                $"'{n.Name}' expects a number of seconds, got '{s}'; keepalived joins the digits around the point and reads {seconds.ToString("0.######", CultureInfo.InvariantCulture)} s.");
        return seconds;
    }

    private void Ignore(ConfNode n, ConfToken t, string why, string? instead = null) =>
        Diag.Warning("KeepalivedValueIgnored", n.File, n.Line, t.Column, t.Text,
            why + (instead is null ? "; keepalived ignores the line, and so does VrrpPS." : $"; keepalived uses {instead}, and so does VrrpPS."));

    /// <summary>A track or script weight: read leniently (leading digits), but a value outside ±<paramref name="range"/> stays an
    /// error (keepalived 2.2.7 keeps an out-of-range vrrp_script weight with an error message; we refuse it).</summary>
    internal int? Weight(ConfNode n, int range, int i = 0)
    {
        if (Whole(n, int.MinValue, int.MaxValue, i) is not long w) return null;
        if (w >= -range && w <= range) return (int)w;
        var t = n.Args[i];
        Diag.Error("KeepalivedValueOutOfRange", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' value {w} is outside [{-range}, {range}].");
        return null;
    }

    /// <summary>garp repeat counts: keepalived reads 0 (allowed before 2.0.7) as 1, with a message.</summary>
    internal int? Repeat(ConfNode n)
    {
        if (Whole(n, 0, uint.MaxValue) is not long r) return null;
        if (r == 0)
        {
            Diag.Warning("KeepalivedValueReplaced", n.File, n.Line, n.Args[0].Column, n.Args[0].Text, $"'{n.Name}' must be greater than 0; keepalived uses 1, and so does VrrpPS.");
            return 1;
        }
        return (int)Math.Min(r, int.MaxValue);
    }
}
