using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VrrpPS.IO;

namespace VrrpPS.Config;

/// <summary>One logical configuration line after comments, `@ID`, `$NAME` and `~SEQ`/`~LST` were processed.</summary>
internal readonly record struct LogicalLine(string File, int Line, string Text);

/// <summary>
/// keepalived.conf(5) "ADVANCED CONFIGURATION" and "include": reads the file tree and yields logical lines.
/// Order as keepalived: comment stripping, include detection, conditional `@ID`, definitions, substitution, generators.
/// </summary>
/// <remarks>
/// Bounds (Test-VrrpConfig reads files from others; a reload reads as root): each ends the read with
/// one located error — the file and line that asked for more — and nothing after it is processed.
/// Files: regular files only, opened non-blocking (<see cref="RegularFile"/>), at most
/// <see cref="MaxFileBytes"/> each, <see cref="MaxTotalBytes"/> and <see cref="MaxFiles"/> in all,
/// nested at most <see cref="MaxIncludeDepth"/> deep; a file already being read (same device and
/// inode, whatever path or symlinked directory leads to it) is a cycle. `$NAME`: one substitution
/// yields at most <see cref="MaxExpansionChars"/>, all of them <see cref="MaxTotalExpansionChars"/>.
/// `~SEQ`/`~LST`: <see cref="MaxGeneratorIterations"/> iterations in all, nested ones included,
/// a `~SEQ` counted before it starts. keepalived 2.2.7 has none of these limits.
/// </remarks>
internal sealed class KeepalivedPreprocessor
{
    private const int MaxDepth = 24;
    internal const int MaxFileBytes = 16 * 1024 * 1024;
    internal const long MaxTotalBytes = 32L * 1024 * 1024;
    internal const int MaxFiles = 1024;
    internal const int MaxIncludeDepth = 16;
    internal const int MaxExpansionChars = 256 * 1024;
    internal const long MaxTotalExpansionChars = 64L * 1024 * 1024;
    internal const long MaxGeneratorIterations = 100_000;
    private static readonly string[] IncludeWords = ["include", "includer", "includem", "includew", "includeb", "includea"];
    private readonly Dictionary<string, string> _defs = new(StringComparer.Ordinal);
    private readonly List<LogicalLine> _out = [];
    /// <summary>Every include line read, in reading order, with the files it included.</summary>
    internal List<KeepalivedIncludeLine> Includes { get; } = [];
    private readonly Stack<(string Path, long Device, long Inode)> _fileStack = new();
    private long _bytesRead;
    private int _filesRead;
    private long _expandedChars;
    private long _iterations;
    private bool _aborted;
    private readonly string _configId;
    private readonly int _maxLines;
    private readonly DiagnosticSink _diag;

    internal KeepalivedPreprocessor(string configId, int maxLines, DiagnosticSink diag)
    {
        _configId = configId;
        _maxLines = maxLines;
        _diag = diag;
    }

    internal List<LogicalLine> Run(string path)
    {
        ReadFile(Path.GetFullPath(path), null, 0, 0);
        return _out;
    }

    private void ReadFile(string fullPath, string? fromFile, int fromLine, int fromCol)
    {
        // Errors about a file are reported where it was asked for: the include line (or the file itself at the top).
        string at = fromFile ?? fullPath;
        if (Full) return;
        if (_fileStack.Count >= MaxIncludeDepth)
        {
            Abort("KeepalivedIncludeTooDeep", at, fromLine, fromCol, fullPath,
                $"includes nest more than {MaxIncludeDepth} files deep ({string.Join(" -> ", _fileStack.Reverse().Select(f => f.Path))} -> {fullPath}).");
            return;
        }
        if (++_filesRead > MaxFiles)
        {
            Abort("KeepalivedConfigTooLarge", at, fromLine, fromCol, fullPath, $"the configuration reads more than {MaxFiles} files.");
            return;
        }
        long left = MaxTotalBytes - _bytesRead;
        var content = RegularFile.Read(fullPath, (int)Math.Min(MaxFileBytes, left), truncate: false);
        switch (content.Failure)
        {
            case RegularFileFailure.NotRegular:
                _diag.Error("KeepalivedNotRegularFile", at, fromLine, fromCol, fullPath, content.Error + "; a configuration file must be a regular file.");
                return;
            case RegularFileFailure.TooLarge when left < MaxFileBytes:
                Abort("KeepalivedConfigTooLarge", at, fromLine, fromCol, fullPath, $"the configuration's files together exceed {MaxTotalBytes} bytes at '{fullPath}'.");
                return;
            case RegularFileFailure.TooLarge:
                _diag.Error("KeepalivedFileTooLarge", at, fromLine, fromCol, fullPath, content.Error + ".");
                return;
            case RegularFileFailure.CannotOpen or RegularFileFailure.CannotRead:
                _diag.Error("KeepalivedFileNotFound", at, fromLine, fromCol, fullPath, content.Error ?? $"cannot read '{fullPath}'.");
                return;
        }
        if (_fileStack.Any(f => f.Device == content.Device && f.Inode == content.Inode))
        {
            _diag.Error("KeepalivedIncludeCycle", fromFile, fromLine, fromCol, fullPath,
                $"include cycle: '{fullPath}' is already being read ({string.Join(" -> ", _fileStack.Reverse().Select(f => f.Path))}); remove the include.");
            return;
        }
        _bytesRead += content.Length;
        string[] raw = Encoding.UTF8.GetString(content.Data, 0, content.Length).Replace("\r\n", "\n").Split('\n');
        _fileStack.Push((fullPath, content.Device, content.Inode));
        string? savedPwd = _defs.GetValueOrDefault("_PWD");
        _defs["_PWD"] = Path.GetDirectoryName(fullPath) ?? "/";
        for (int i = 0; i < raw.Length && !Full; i++)
        {
            string text = StripComment(raw[i]).TrimEnd();
            int lineNo = i + 1;
            // multi-line definition: `$NAME= \` continues while lines end in '\'
            if (text.TrimStart().StartsWith('$') && text.EndsWith('\\') && text.Contains('='))
            {
                var sb = new StringBuilder(text[..^1].TrimEnd());
                while (raw.Length > i + 1)
                {
                    string next = StripComment(raw[++i]).Trim();
                    bool more = next.EndsWith('\\');
                    if (more) next = next[..^1].TrimEnd();
                    sb.Append('\n').Append(next);
                    if (!more) break;
                }
                text = sb.ToString();
            }
            ProcessLine(fullPath, lineNo, text, 0);
        }
        if (savedPwd is null) _defs.Remove("_PWD"); else _defs["_PWD"] = savedPwd;
        _fileStack.Pop();
    }

    private bool Full => _aborted || _out.Count >= _maxLines;

    /// <summary>A bound was reached: one error where, then nothing more is read or expanded.</summary>
    private void Abort(string id, string file, int line, int col, string? token, string message)
    {
        _diag.Error(id, file, line, col, token, message);
        _aborted = true;
    }

    private void ProcessLine(string file, int line, string text, int depth)
    {
        if (depth > MaxDepth) { _diag.Error("KeepalivedDefinitionRecursion", file, line, 1, text.Split('\n')[0], "definition or generator nesting is too deep (recursive $NAME?)."); return; }
        string lead = text[..(text.Length - text.TrimStart().Length)];
        text = text.Trim();
        if (text.Length == 0 || Full) return;
        if (IsInclude(text, out string word, out string arg)) { Include(file, line, word, arg, text); return; }
        if (text[0] == '@')
        {
            int sp = IndexOfSpace(text);
            string cond = sp < 0 ? text[1..] : text[1..sp];
            bool negate = cond.StartsWith('^');
            if (negate) cond = cond[1..];
            bool match = string.Equals(cond, _configId, StringComparison.Ordinal);
            if (match == negate || sp < 0) return;
            string rest = text[(sp + 1)..];
            lead += new string(' ', text.Length - rest.TrimStart().Length); // keep columns of the original line
            text = rest.TrimStart();
        }
        var def = Regex.Match(text, @"^\$([A-Za-z_][A-Za-z0-9_]*)=(.*)$", RegexOptions.Singleline);
        if (def.Success) { _defs[def.Groups[1].Value] = def.Groups[2].Value.Trim(); return; }
        if (text.StartsWith("~SEQ", StringComparison.Ordinal) || text.StartsWith("~LST", StringComparison.Ordinal)) { Generate(file, line, text, depth); return; }
        string expanded = Substitute(text, file, line);
        if (_aborted) return;
        if (expanded != text && (expanded.Contains('\n') || expanded.TrimStart().StartsWith('@') || expanded.TrimStart().StartsWith('$') || expanded.TrimStart().StartsWith('~')))
        {
            foreach (string part in expanded.Split('\n')) ProcessLine(file, line, StripComment(part), depth + 1);
            return;
        }
        _out.Add(new LogicalLine(file, line, lead + expanded));
    }

    private static int IndexOfSpace(string s)
    {
        for (int i = 0; i < s.Length; i++) if (char.IsWhiteSpace(s[i])) return i;
        return -1;
    }

    private static bool IsInclude(string text, out string word, out string arg)
    {
        int sp = IndexOfSpace(text);
        word = sp < 0 ? text : text[..sp];
        arg = sp < 0 ? "" : text[(sp + 1)..].Trim().Trim('"', '\'');
        return Array.IndexOf(IncludeWords, word) >= 0;
    }

    private void Include(string file, int line, string word, string pattern, string asWritten)
    {
        if (pattern.Length == 0) { _diag.Error("KeepalivedConfigSyntax", file, line, 1, word, $"'{word}' needs a file name."); return; }
        pattern = Substitute(pattern, file, line);
        if (_aborted) return;
        string baseDir = Path.GetDirectoryName(file) ?? "/";
        string full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(baseDir, pattern);
        var matches = IncludeGlob.Expand(full, out string? globError);
        if (globError is not null)
        {
            // keepalived 2.2.7 lets glob(3) match nothing here, silently; a pattern that cannot match is a mistake.
            _diag.Error("KeepalivedIncludePattern", file, line, 1 + word.Length + 1, pattern, $"{word} '{pattern}': {globError}");
            return;
        }
        if (matches.Count == 0)
        {
            if (word == "include")
                _diag.Info("KeepalivedIncludeNoMatch", file, line, 1 + word.Length + 1, pattern, $"include '{pattern}' matched no file (ignored, as keepalived does for plain include).");
            else
                _diag.Warning("KeepalivedIncludeNoMatch", file, line, 1 + word.Length + 1, pattern, $"{word} '{pattern}' matched no file; create it or use plain 'include'.");
            return;
        }
        Includes.Add(new KeepalivedIncludeLine { File = file, Line = line, Text = asWritten, Files = [.. matches.Select(m => Path.GetFullPath(m))] });
        foreach (string m in matches) ReadFile(Path.GetFullPath(m), file, line, word.Length + 2);
    }

    private void Generate(string file, int line, string text, int depth)
    {
        var m = Regex.Match(text, @"^~(SEQx?|LST)\((.*?)\)\s*(.*)$", RegexOptions.Singleline);
        if (!m.Success) { _diag.Error("KeepalivedConfigSyntax", file, line, 1, text.Split(' ')[0], "malformed ~SEQ/~LST generator; expected ~SEQ(var, start, step, end) or ~LST(var, v1, v2…)."); return; }
        string kind = m.Groups[1].Value, rest = m.Groups[3].Value;
        if (kind == "LST")
        {
            // ~LST(var, v1, v2) or ~LST({a,b}, {1,2}, {3,4}) — the parenthesised text may itself contain braces
            int close = FindClose(text, text.IndexOf('('));
            if (close < 0) { _diag.Error("KeepalivedConfigSyntax", file, line, 1, "~LST", "unbalanced parentheses in ~LST."); return; }
            var items = SplitTop(text[(text.IndexOf('(') + 1)..close]);
            rest = text[(close + 1)..].Trim();
            if (items.Count < 2) { _diag.Error("KeepalivedConfigSyntax", file, line, 1, "~LST", "~LST needs a variable and at least one value."); return; }
            string[] vars = Unbrace(items[0]);
            if (!TakeIterations(items.Count - 1, file, line, "~LST")) return;
            foreach (string item in items.Skip(1))
            {
                string[] vals = Unbrace(item);
                for (int k = 0; k < vars.Length; k++) _defs[vars[k]] = k < vals.Length ? vals[k] : "";
                ProcessLine(file, line, rest, depth + 1);
                if (Full) return;
            }
            return;
        }
        string[] a = m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries);
        bool hex = kind == "SEQx";
        long? P(string s) => s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? (long.TryParse(s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long h) ? h : null)
            : (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long d) ? d : null);
        long?[] n = a.Skip(1).Select(P).ToArray();
        if (a.Length < 2 || a.Length > 4 || n.Any(x => x is null)) { _diag.Error("KeepalivedConfigSyntax", file, line, 1, "~" + kind, "~SEQ arguments must be integers: ~SEQ(var, [start, [step,]] end)."); return; }
        long end = n[^1]!.Value;
        long start = n.Length >= 2 ? n[0]!.Value : (end >= 0 ? 1 : -1);
        long step = n.Length == 3 ? n[1]!.Value : (end >= start ? 1 : -1);
        if (step == 0) { _diag.Error("KeepalivedConfigSyntax", file, line, 1, "~" + kind, "~SEQ step must not be 0."); return; }
        // Counted before the loop: end - start may be near 2^64, and a body of definitions adds no lines to stop it.
        Int128 count = (Int128)end - start;
        count = count / step < 0 ? 0 : count / step + 1;
        if (!TakeIterations(count, file, line, "~" + kind)) return;
        for (long v = start; step > 0 ? v <= end : v >= end; v += step)
        {
            _defs[a[0]] = hex ? v.ToString("x", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
            ProcessLine(file, line, rest, depth + 1);
            if (Full) { _diag.Error("KeepalivedTooManyLines", file, line, 1, "~" + kind, $"configuration expands to more than {_maxLines} lines."); return; }
        }
    }

    private bool TakeIterations(Int128 count, string file, int line, string token)
    {
        if (count > MaxGeneratorIterations - _iterations)
        {
            Abort("KeepalivedGeneratorTooLong", file, line, 1, token,
                $"{token} would iterate {count} more times after {_iterations}; the configuration's generators may iterate {MaxGeneratorIterations} times in all.");
            return false;
        }
        _iterations += (long)count;
        return true;
    }

    private static int FindClose(string s, int open)
    {
        int d = 0;
        for (int i = open; i < s.Length; i++) { if (s[i] == '(') d++; else if (s[i] == ')' && --d == 0) return i; }
        return -1;
    }

    private static List<string> SplitTop(string s)
    {
        var parts = new List<string>(); int d = 0, startIdx = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '{') d++; else if (s[i] == '}') d--;
            else if (s[i] == ',' && d == 0) { parts.Add(s[startIdx..i].Trim()); startIdx = i + 1; }
        }
        parts.Add(s[startIdx..].Trim());
        return parts;
    }

    private static string[] Unbrace(string s) => s.StartsWith('{') && s.EndsWith('}')
        ? s[1..^1].Split(',', StringSplitOptions.TrimEntries) : [s.Trim()];

    /// <summary>Replaces `${NAME}` anywhere and `$NAME` before whitespace/end, recursively (bounded); unknown names stay.</summary>
    internal string Substitute(string text, string file, int line)
    {
        string original = text;
        for (int round = 0; round < 16 && text.Contains('$'); round++)
        {
            string next = Regex.Replace(text, @"\$\{(_ENV\s+)?([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)(?=\s|$)", m =>
            {
                string name = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
                if (m.Groups[1].Success) return Environment.GetEnvironmentVariable(name) ?? "";
                return name switch
                {
                    "_HASH" => "#",
                    "_BANG" => "!",
                    "_INSTANCE" => _configId,
                    _ => _defs.TryGetValue(name, out string? v) ? v : m.Value,
                };
            });
            if (next == text) return text;
            _expandedChars += next.Length;
            if (next.Length > MaxExpansionChars || _expandedChars > MaxTotalExpansionChars)
            {
                Abort("KeepalivedExpansionTooLarge", file, line, 1, "$",
                    $"substituting $NAME in '{Shorten(original)}' grows past {(next.Length > MaxExpansionChars ? $"{MaxExpansionChars} characters" : $"{MaxTotalExpansionChars} characters for the whole configuration")} (a definition doubling itself?).");
                return "";
            }
            text = next;
        }
        return text;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>Cuts the line at the first `#` or `!` outside quotes (keepalived.conf(5): comments start anywhere).</summary>
    internal static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0') { if (c == '\\') i++; else if (c == quote) quote = '\0'; }
            else if (c is '"' or '\'') quote = c;
            else if (c is '#' or '!') return line[..i];
        }
        return line;
    }
}
