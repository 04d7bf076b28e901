using System.Globalization;
using System.Net;

namespace VrrpPS.Config;

/// <summary>Typed argument readers with keepalived's ranges; problems go to the sink with the token's position.</summary>
internal sealed partial class ConfigValues(DiagnosticSink diag)
{
    internal DiagnosticSink Diag { get; } = diag;

    internal ConfToken? Arg(ConfNode n, int i = 0)
    {
        if (n.Args.Count > i) return n.Args[i];
        Diag.Error("KeepalivedMissingValue", n.File, n.Line, n.Keyword.Column, n.Name, $"'{n.Name}' needs a value.");
        return null;
    }

    /// <summary>A whole number read strictly (an error otherwise); <paramref name="keepalived"/> says what keepalived's daemon does instead.</summary>
    internal int? Int(ConfNode n, int min, int max, int i = 0, string? keepalived = null)
    {
        if (Arg(n, i) is not { } t) return null;
        string also = keepalived is null ? "" : $" ({keepalived}.)";
        if (!long.TryParse(t.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
        { Diag.Error("KeepalivedInvalidNumber", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' expects an integer, got '{t.Text}'.{also}"); return null; }
        if (v < min || v > max)
        { Diag.Error("KeepalivedValueOutOfRange", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' value {v} is outside [{min}, {max}].{also}"); return null; }
        return (int)v;
    }

    internal double? Timer(ConfNode n, double min, double max, int i = 0)
    {
        if (Arg(n, i) is not { } t) return null;
        if (!double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsNaN(v) || double.IsInfinity(v))
        { Diag.Error("KeepalivedInvalidNumber", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' expects a number of seconds, got '{t.Text}'."); return null; }
        if (v < min || v > max)
        { Diag.Error("KeepalivedValueOutOfRange", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' value {t.Text} is outside [{min}, {max}]."); return null; }
        return v;
    }

    /// <summary>&lt;BOOL&gt; = on|off|true|false|yes|no; a missing argument means true.</summary>
    internal bool Bool(ConfNode n, int i = 0)
    {
        if (n.Args.Count <= i) return true;
        var t = n.Args[i];
        switch (t.Text.ToLowerInvariant())
        {
            case "on" or "true" or "yes": return true;
            case "off" or "false" or "no": return false;
            default:
                Diag.Error("KeepalivedInvalidBoolean", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' expects on|off|true|false|yes|no, got '{t.Text}'.");
                return true;
        }
    }

    internal string? Address(ConfNode n, ConfToken t)
    {
        if (IPAddress.TryParse(t.Text, out var a) && (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? t.Text.Count(c => c == '.') == 3 : true))
            return a.ToString();
        Diag.Error("KeepalivedInvalidAddress", n.File, n.Line, t.Column, t.Text, $"'{t.Text}' is not an IP address.");
        return null;
    }

    /// <summary>A user and an optional group written from argument <paramref name="first"/> on (vrrp_script `user`, script_user, after a notify program).</summary>
    internal static (string? User, string? Group) UserGroup(ConfNode n, int first) =>
        (n.Args.Count > first ? n.Args[first].Text : null, n.Args.Count > first + 1 ? n.Args[first + 1].Text : null);

    /// <summary>
    /// A notify_* line as keepalived 2.2.7 reads it: the program is the first word (quoted when it has
    /// arguments); a second and third word are the user and group it runs as (unquoted words after the
    /// program are never its arguments). Returns the program and the notify users with this line's.
    /// </summary>
    internal static (string Command, VrrpNotifyUser[] Users) Notify(ConfNode n, VrrpNotifyUser[] users)
    {
        var others = users.Where(u => u.Keyword != n.Name);
        var (user, group) = UserGroup(n, 1);
        return (n.Args.Count == 0 ? "" : n.Args[0].Text,
            user is null ? [.. others] : [.. others, new VrrpNotifyUser { Keyword = n.Name, User = user, Group = group }]);
    }

    /// <summary>Rest of the line as the command text (quotes removed), plus optional user/group after a quoted command.</summary>
    internal static string Command(ConfNode n) => n.Args.Count == 0 ? "" : n.Args[0].Quoted ? n.Args[0].Text : string.Join(' ', n.Args.Select(a => a.Text));

    /// <summary>Splits a script command as keepalived does: whitespace separates, single or double quotes group.</summary>
    internal static string[] SplitCommand(string cmd)
    {
        var parts = new List<string>();
        var sb = new System.Text.StringBuilder();
        bool any = false; char q = '\0';
        foreach (char c in cmd)
        {
            if (q != '\0') { if (c == q) q = '\0'; else sb.Append(c); continue; }
            if (c is '"' or '\'') { q = c; any = true; continue; }
            if (char.IsWhiteSpace(c)) { if (any || sb.Length > 0) parts.Add(sb.ToString()); sb.Clear(); any = false; continue; }
            sb.Append(c);
        }
        if (any || sb.Length > 0) parts.Add(sb.ToString());
        return [.. parts];
    }
}
