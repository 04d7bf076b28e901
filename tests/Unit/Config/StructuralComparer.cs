using System.Collections;
using System.Reflection;

namespace VrrpPS.Tests.Config;

/// <summary>Compares two config object graphs on every public readable property (arrays element by element),
/// ignoring only where an object came from (SourceFile/SourceLine). Returns the path of the first difference.</summary>
internal static class StructuralComparer
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "SourceFile", "SourceLine" };

    internal static string? FirstDifference(object? expected, object? actual, string path = "$")
    {
        if (expected is null || actual is null)
            return expected is null && actual is null ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        var t = expected.GetType();
        if (t != actual.GetType()) return $"{path}: expected type {t.Name}, got {actual.GetType().Name}";
        if (t.IsPrimitive || t.IsEnum || expected is string or decimal)
            return expected.Equals(actual) ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        if (expected is IList le && actual is IList la)
        {
            if (le.Count != la.Count) return $"{path}: expected {le.Count} elements, got {la.Count}";
            for (int i = 0; i < le.Count; i++)
                if (FirstDifference(le[i], la[i], $"{path}[{i}]") is string d) return d;
            return null;
        }
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && !Ignored.Contains(p.Name)))
            if (FirstDifference(p.GetValue(expected), p.GetValue(actual), $"{path}.{p.Name}") is string d) return d;
        return null;
    }

    private static string Show(object? o) => o switch { null => "null", string s => $"\"{s}\"", _ => o.ToString() ?? "" };
}
