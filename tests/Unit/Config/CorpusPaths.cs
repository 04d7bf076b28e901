using System.Runtime.CompilerServices;
using VrrpPS.Config;

namespace VrrpPS.Tests.Config;

internal static class CorpusPaths
{
    internal static string Dir([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Corpus");
    internal static string File(string name) => Path.Combine(Dir(), name);
    internal static IEnumerable<string> TopLevel() => Directory.EnumerateFiles(Dir(), "*.conf").OrderBy(f => f, StringComparer.Ordinal);
    internal static KeepalivedParseResult Read(string name, string? configId = "node_a", bool strict = false) =>
        KeepalivedConfigReader.Read(File(name), new KeepalivedReadOptions { ConfigId = configId, Strict = strict });

    /// <summary>Expected diagnostics written in the corpus file as `# expect: Severity ErrorId line`.</summary>
    internal static List<(string sev, string id, int line)> Expected(string path) =>
        [.. System.IO.File.ReadAllLines(path).Where(l => l.StartsWith("# expect:", StringComparison.Ordinal))
            .Select(l => l["# expect:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => (p[0], p[1], int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture)))];
}
