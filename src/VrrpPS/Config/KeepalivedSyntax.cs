using System.Text;

namespace VrrpPS.Config;

/// <summary>A word of a logical line: its text (quotes removed, escapes applied) and 1-based column.</summary>
internal readonly record struct ConfToken(string Text, int Column, bool Quoted)
{
    internal bool IsOpen => !Quoted && Text == "{";
    internal bool IsClose => !Quoted && Text == "}";
}

/// <summary>A statement: keyword, arguments on its line, and an optional `{ }` block.</summary>
internal sealed class ConfNode
{
    internal required ConfToken Keyword { get; init; }
    internal List<ConfToken> Args { get; } = [];
    internal List<ConfNode>? Children { get; set; }
    internal required string File { get; init; }
    internal required int Line { get; init; }
    internal string Name => Keyword.Text;
}

/// <summary>keepalived.conf(5) lexer (quoted strings, adjacent concatenation, escapes) and block parser.</summary>
internal static class KeepalivedSyntax
{
    internal static List<ConfToken> Tokenize(string line)
    {
        var tokens = new List<ConfToken>();
        int i = 0;
        while (i < line.Length)
        {
            if (char.IsWhiteSpace(line[i])) { i++; continue; }
            int col = i + 1;
            if (line[i] is '{' or '}') { tokens.Add(new ConfToken(line[i].ToString(), col, false)); i++; continue; }
            var sb = new StringBuilder();
            bool quoted = false;
            char q = '\0';
            while (i < line.Length)
            {
                char c = line[i];
                if (q != '\0')
                {
                    if (c == q) { q = '\0'; i++; continue; }
                    if (c == '\\' && i + 1 < line.Length) { i = Escape(line, i + 1, sb); continue; }
                    sb.Append(c); i++; continue;
                }
                if (char.IsWhiteSpace(c) || c is '{' or '}') break;
                if (c is '"' or '\'') { q = c; quoted = true; i++; continue; }
                sb.Append(c); i++;
            }
            tokens.Add(new ConfToken(sb.ToString(), col, quoted));
        }
        return tokens;
    }

    private static int Escape(string s, int i, StringBuilder sb)
    {
        char c = s[i];
        switch (c)
        {
            case 'a': sb.Append('\a'); return i + 1;
            case 'b': sb.Append('\b'); return i + 1;
            case 'E': sb.Append('\x1b'); return i + 1;
            case 'f': sb.Append('\f'); return i + 1;
            case 'n': sb.Append('\n'); return i + 1;
            case 'r': sb.Append('\r'); return i + 1;
            case 't': sb.Append('\t'); return i + 1;
            case 'v': sb.Append('\v'); return i + 1;
            case 'c' when i + 1 < s.Length: sb.Append((char)(char.ToUpperInvariant(s[i + 1]) ^ 0x40)); return i + 2;
            case 'x':
            {
                int j = i + 1, v = 0;
                while (j < s.Length && j < i + 3 && Uri.IsHexDigit(s[j])) v = v * 16 + Convert.ToInt32(s[j++].ToString(), 16);
                if (j == i + 1) { sb.Append('x'); return j; }
                sb.Append((char)v); return j;
            }
            case >= '0' and <= '7':
            {
                int j = i, v = 0;
                while (j < s.Length && j < i + 3 && s[j] is >= '0' and <= '7') v = v * 8 + (s[j++] - '0');
                sb.Append((char)(v & 0xff)); return j;
            }
            default: sb.Append(c); return i + 1;
        }
    }

    /// <summary>Builds the statement tree. Braces may be on the keyword's line or the next; several blocks may share a line.</summary>
    internal static List<ConfNode> Parse(IReadOnlyList<LogicalLine> lines, DiagnosticSink diag)
    {
        var root = new List<ConfNode>();
        var stack = new Stack<(List<ConfNode> list, ConfNode? owner)>();
        var current = root;
        ConfNode? last = null; // last statement, may still receive a '{' at the start of the next line
        foreach (var ll in lines)
        {
            var toks = Tokenize(ll.Text);
            ConfNode? stmt = null;
            for (int t = 0; t < toks.Count; t++)
            {
                var tok = toks[t];
                if (tok.IsOpen)
                {
                    var owner = stmt ?? (t == 0 ? last : null);
                    if (owner is null || owner.Children is not null)
                    {
                        diag.Error("KeepalivedConfigSyntax", ll.File, ll.Line, tok.Column, "{", "unexpected '{' without a keyword before it.");
                        owner = new ConfNode { Keyword = tok, File = ll.File, Line = ll.Line };
                    }
                    owner.Children = [];
                    stack.Push((current, owner));
                    current = owner.Children;
                    stmt = null; last = null;
                }
                else if (tok.IsClose)
                {
                    if (stack.Count == 0) { diag.Error("KeepalivedConfigSyntax", ll.File, ll.Line, tok.Column, "}", "extra '}' with no open block; remove it."); continue; }
                    var (list, owner) = stack.Pop();
                    current = list;
                    stmt = null; last = owner;
                    last = null;
                }
                else if (stmt is null)
                {
                    stmt = new ConfNode { Keyword = tok, File = ll.File, Line = ll.Line };
                    current.Add(stmt);
                }
                else stmt.Args.Add(tok);
            }
            if (stmt is not null) last = stmt;
            else if (toks.Count > 0 && !toks[^1].IsOpen) last = null;
        }
        while (stack.Count > 0)
        {
            var (_, owner) = stack.Pop();
            diag.Error("KeepalivedConfigSyntax", owner?.File, owner?.Line ?? 0, owner?.Keyword.Column ?? 0, owner?.Name,
                $"block '{owner?.Name}' is never closed: add the missing '}}'.");
        }
        return root;
    }
}
