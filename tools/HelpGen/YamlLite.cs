namespace HelpGen;

/// <summary>
/// The "key: value" subset of YAML that platyPS writes (front matter and parameter blocks):
/// one pair per line, no nesting, no lists, no quoting rules. Blank lines and "#" comments skipped.
/// </summary>
public static class YamlLite
{
    /// <param name="lines">The block's lines.</param>
    /// <param name="file">For diagnostics.</param>
    /// <param name="firstLine">1-based line number of lines[0] in the file.</param>
    public static List<(string Key, string Value, int Line)> Parse(IReadOnlyList<string> lines, string file, int firstLine)
    {
        var result = new List<(string, string, int)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].TrimEnd();
            int lineNo = firstLine + i;
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || char.IsWhiteSpace(line[0]))
            {
                throw new HelpFormatException(file, lineNo, "HelpGen.YamlSyntax",
                    $"expected 'Key: value' at the start of the line, found '{line}'");
            }
            string key = line[..colon].Trim();
            if (!seen.Add(key))
            {
                throw new HelpFormatException(file, lineNo, "HelpGen.YamlDuplicateKey", $"key '{key}' appears twice");
            }
            result.Add((key, line[(colon + 1)..].Trim(), lineNo));
        }
        return result;
    }
}
