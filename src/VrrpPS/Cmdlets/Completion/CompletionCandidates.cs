using System.Management.Automation;

namespace VrrpPS.Cmdlets.Completion;

/// <summary>
/// Turns candidate values into completion results the way PowerShell's own completers do: a
/// case-insensitive prefix match (wildcards in the typed word honoured), ordinal order, and values
/// that would not parse as a bare word quoted.
/// </summary>
internal static class CompletionCandidates
{
    public static IEnumerable<CompletionResult> Match(string? wordToComplete, IEnumerable<(string Value, string ToolTip)> candidates)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
        return candidates
            .Where(c => pattern.IsMatch(c.Value))
            .DistinctBy(c => c.Value, StringComparer.Ordinal)
            .OrderBy(c => c.Value, StringComparer.Ordinal)
            .Select(c => new CompletionResult(Quote(c.Value), c.Value, CompletionResultType.ParameterValue, c.ToolTip))
            .ToList();
    }

    private static string Quote(string value) =>
        value.Length > 0 && value.All(ch => char.IsLetterOrDigit(ch) || ch is '_' or '-' or '.' or ':' or '@')
            ? value
            : "'" + value.Replace("'", "''") + "'";
}
