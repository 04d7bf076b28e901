using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>Issue 12: what Export writes means to keepalived exactly what Import read. The judge is keepalived 2.2.7's own dump
/// of its parsed configuration (<see cref="KeepalivedDumpLab"/>): dump(original) == dump(Import | Export).</summary>
public class KeepalivedFidelityTests(KeepalivedDumpLab lab) : IClassFixture<KeepalivedDumpLab>
{
    public static TheoryData<string> Files() => [.. CorpusPaths.TopLevel().Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Files))]
    public void Keepalived_reads_the_export_of_a_corpus_file_as_it_reads_the_file(string name)
    {
        string original = lab.DumpFile(CorpusPaths.File(name));
        var r = CorpusPaths.Read(name);
        string exported = KeepalivedConfigWriter.Write([r]);
        string roundTrip = lab.Dump(exported);
        if (original.StartsWith("NO DUMP", StringComparison.Ordinal))
        {
            // keepalived refuses the file (a config error that stops it): we must have reported an error too
            Assert.True(r.HasErrors, $"keepalived did not start on {name} but we report no error:\n{original}");
            return;
        }
        Assert.True(original == roundTrip, Diff(name, original, roundTrip, exported));
    }

    internal static string Diff(string name, string expected, string actual, string exported)
    {
        var e = expected.Split('\n'); var a = actual.Split('\n');
        int i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i]) i++;
        string ctx(string[] x) => string.Join('\n', x.Skip(Math.Max(0, i - 3)).Take(8));
        return $"{name}: keepalived's dump differs at line {i + 1}\n--- original:\n{ctx(e)}\n--- export:\n{ctx(a)}\n--- exported text:\n{exported}";
    }
}
