using System.Text;
using System.Text.RegularExpressions;

namespace VrrpPS.Config;

/// <summary>glob(3) as keepalived's include uses it: `*`, `?`, `[...]` per path segment and csh brace expansion; sorted results.</summary>
internal static class IncludeGlob
{
    private const int MaxResults = 4096;

    /// <summary>The sorted matches; <paramref name="error"/> says why a pattern that cannot be used matched nothing.</summary>
    internal static List<string> Expand(string pattern, out string? error)
    {
        error = null;
        var result = new SortedSet<string>(StringComparer.Ordinal);
        int patterns = 0;
        try
        {
            foreach (string p in ExpandBraces(pattern, 0))
            {
                if (++patterns > MaxResults)
                {
                    error = $"brace expansion gives more than {MaxResults} patterns.";
                    return [];
                }
                foreach (string m in Match(p)) { result.Add(m); if (result.Count >= MaxResults) break; }
            }
        }
        catch (ArgumentException ex)
        {
            // e.g. [z-a]: a range in reverse order cannot match anything (.NET's regex refuses it).
            error = $"the pattern is not valid: {ex.Message}";
            return [];
        }
        return [.. result];
    }

    internal static IEnumerable<string> ExpandBraces(string s, int depth)
    {
        int open = s.IndexOf('{');
        if (open < 0 || depth > 8) { yield return s; yield break; }
        int d = 0, close = -1;
        var alts = new List<string>(); int start = open + 1;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] == '{') d++;
            else if (s[i] == '}' && --d == 0) { close = i; alts.Add(s[start..i]); break; }
            else if (s[i] == ',' && d == 1) { alts.Add(s[start..i]); start = i + 1; }
        }
        if (close < 0) { yield return s; yield break; }
        foreach (string alt in alts)
            foreach (string e in ExpandBraces(s[..open] + alt + s[(close + 1)..], depth + 1)) yield return e;
    }

    private static bool HasWild(string s) => s.IndexOfAny(['*', '?', '[']) >= 0;

    private static IEnumerable<string> Match(string pattern)
    {
        if (!HasWild(pattern)) return File.Exists(pattern) ? [pattern] : [];
        string[] segs = pattern.Split('/');
        IEnumerable<string> current = [segs[0].Length == 0 ? "/" : segs[0]];
        for (int i = 1; i < segs.Length; i++)
        {
            string seg = segs[i];
            bool last = i == segs.Length - 1;
            if (seg.Length == 0) continue;
            if (!HasWild(seg)) { current = current.Select(c => Path.Combine(c, seg)); if (!last) current = current.Where(Directory.Exists); continue; }
            var rx = new Regex("^" + ToRegex(seg) + "$");
            current = current.Where(Directory.Exists).SelectMany(dir =>
            {
                try
                {
                    return (last ? Directory.EnumerateFiles(dir) : Directory.EnumerateDirectories(dir))
                        .Where(f => { string n = Path.GetFileName(f); return !n.StartsWith('.') && rx.IsMatch(n); }).Take(MaxResults).ToList();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return []; }
            });
        }
        return current.Where(File.Exists);
    }

    private static string ToRegex(string seg)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < seg.Length; i++)
        {
            char c = seg[i];
            if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else if (c == '[')
            {
                int close = seg.IndexOf(']', i + 1);
                if (close < 0) { sb.Append(@"\["); continue; }
                string body = seg[(i + 1)..close];
                if (body.StartsWith('!')) body = "^" + body[1..];
                sb.Append('[').Append(body.Replace("\\", "\\\\")).Append(']');
                i = close;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}

/// <summary>Collects diagnostics; with Strict, unknown keywords are errors.</summary>
internal sealed class DiagnosticSink
{
    internal readonly List<ConfigDiagnostic> Items = [];
    internal bool Strict { get; init; }

    private void Add(ConfigDiagnosticSeverity sev, string id, string? file, int line, int col, string? token, string msg) =>
        Items.Add(new ConfigDiagnostic { Severity = sev, ErrorId = id, File = file, Line = line, Column = col, Token = token, Message = msg });

    internal void Error(string id, string? file, int line, int col, string? token, string msg) => Add(ConfigDiagnosticSeverity.Error, id, file, line, col, token, msg);
    internal void Warning(string id, string? file, int line, int col, string? token, string msg) => Add(ConfigDiagnosticSeverity.Warning, id, file, line, col, token, msg);
    internal void Info(string id, string? file, int line, int col, string? token, string msg) => Add(ConfigDiagnosticSeverity.Info, id, file, line, col, token, msg);
    internal void Unknown(string? file, int line, int col, string token, string where) =>
        Add(Strict ? ConfigDiagnosticSeverity.Error : ConfigDiagnosticSeverity.Warning, "KeepalivedUnknownKeyword", file, line, col, token,
            $"unknown keyword '{token}' in {where}; remove it or check its spelling in keepalived.conf(5).");
}
