using System.Text;
using VrrpPS.Engine;

namespace VrrpPS.Config;

/// <summary>
/// Export of an include tree as a tree (Export-KeepalivedConfig -PreserveIncludes). The source's main file and every file it
/// included, directly or not, are written again: each object in the file it came from (its SourceFile), in source-line order,
/// with the include lines of that file where they were. The tree moves with the main file: an included file under the main
/// file's directory keeps its place relative to it, and an absolute include path into that directory is rewritten to the new
/// place (relative ones are left as written: keepalived resolves them from the including file's directory). A file outside that
/// directory can only be written in place, so exporting elsewhere is refused. Objects from no known file go to the main file.
/// </summary>
internal static class KeepalivedTreeWriter
{
    private readonly record struct Entry(int Line, int Order, object Item);

    internal static IReadOnlyList<(string Path, string Text)> Write(List<object> items, KeepalivedWriteOptions options, string mainPath)
    {
        string newMain = Path.GetFullPath(mainPath);
        var global = items.OfType<KeepalivedGlobalConfig>().FirstOrDefault();
        var first = items.OfType<VrrpInstanceConfig>().FirstOrDefault();
        string origMain = global?.ConfigPath ?? first?.ConfigPath ?? newMain;
        var includes = global?.Includes ?? [];
        var files = new List<string> { origMain };
        foreach (var inc in includes) files.AddRange(inc.Files.Where(f => !files.Contains(f)));
        string origDir = Path.GetDirectoryName(origMain)!, newDir = Path.GetDirectoryName(newMain)!;
        bool moves = origDir != newDir;

        string Map(string f)
        {
            if (f == origMain) return newMain;
            if (!moves) return f;
            string rel = Path.GetRelativePath(origDir, f);
            if (rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
                throw new VrrpEngineException("KeepalivedExportIncludeOutside",
                    $"'{f}' is included from outside '{origDir}', so it cannot move with the main file to '{newDir}'; export into '{origDir}', or without -PreserveIncludes (one file).", f);
            return Path.Combine(newDir, rel);
        }
        var targets = files.Select(Map).ToList();

        // the global values every instance is written against, and the global_defs block itself
        var globalText = new StringBuilder();
        var effective = KeepalivedConfigWriter.WriteGlobal(globalText, global, first, options.Explicit);

        var perFile = files.ToDictionary(f => f, _ => new List<Entry>(), StringComparer.Ordinal);
        int order = 0;
        foreach (var inc in includes.Where(i => perFile.ContainsKey(i.File))) perFile[inc.File].Add(new Entry(inc.Line, order++, inc));
        foreach (var o in items)
        {
            var (file, line) = Source(o);
            if (file is null || !perFile.ContainsKey(file)) (file, line) = (origMain, int.MaxValue);
            perFile[file].Add(new Entry(line, order++, o));
        }
        var result = new List<(string, string)>();
        for (int k = 0; k < files.Count; k++)
        {
            var sb = new StringBuilder();
            foreach (var e in perFile[files[k]].OrderBy(e => e.Line).ThenBy(e => e.Order))
            {
                if (e.Item is KeepalivedIncludeLine inc) sb.Append(moves ? Moved(inc.Text, origDir, newDir) : inc.Text).Append('\n');
                else if (e.Item is KeepalivedGlobalConfig) sb.Append(globalText);
                else KeepalivedConfigWriter.WriteItem(sb, e.Item, effective, options.Explicit);
            }
            result.Add((targets[k], sb.ToString()));
        }
        return result;
    }

    private static (string? File, int Line) Source(object o) => o switch
    {
        KeepalivedGlobalConfig g => (g.SourceFile, g.SourceLine),
        VrrpInstanceConfig i => (i.SourceFile, i.SourceLine),
        VrrpScriptConfig s => (s.SourceFile, s.SourceLine),
        VrrpSyncGroupConfig g => (g.SourceFile, g.SourceLine),
        VrrpTrackFileConfig f => (f.SourceFile, f.SourceLine),
        VrrpTrackProcessConfig p => (p.SourceFile, p.SourceLine),
        KeepalivedStaticConfig st => (st.SourceFile, st.SourceLine),
        _ => (null, 0),
    };

    /// <summary>An include line whose absolute path points into the moved tree, pointed at the tree's new place.</summary>
    private static string Moved(string text, string origDir, string newDir)
    {
        int sp = text.IndexOfAny([' ', '\t']);
        if (sp < 0) return text;
        string arg = text[(sp + 1)..].TrimStart();
        char q = arg.Length > 0 && arg[0] is '"' or '\'' ? arg[0] : '\0';
        string path = q == '\0' ? arg : arg[1..];
        if (!path.StartsWith(origDir + "/", StringComparison.Ordinal)) return text;
        return text[..(sp + 1)] + (q == '\0' ? "" : q.ToString()) + newDir + path[origDir.Length..];
    }
}
