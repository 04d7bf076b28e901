using System.Diagnostics;
using CsCheck;
using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

public class ConfigFuzzTests
{
    private static void ReadBounded(string text)
    {
        string tmp = Path.Combine(Path.GetTempPath(), "vrrpps-fuzz-" + Guid.NewGuid().ToString("N") + ".conf");
        try
        {
            File.WriteAllText(tmp, text);
            var sw = Stopwatch.StartNew();
            var r = KeepalivedConfigReader.Read(tmp, new KeepalivedReadOptions { ConfigId = "fuzz", MaxLines = 20_000 });
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"parser took {sw.Elapsed}");
            Assert.NotNull(r.Diagnostics);
        }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void Random_text_never_crashes_or_hangs_the_parser() =>
        Gen.String[Gen.Char["{}#!\"'\\$@~ \n\tabcSEQLT()=,0123456789._/:"], 0, 400].Sample(ReadBounded, iter: 300);

    [Fact]
    public void Mutated_corpus_files_never_crash_or_hang_the_parser()
    {
        var files = CorpusPaths.TopLevel().Select(File.ReadAllText).ToArray();
        Gen.Select(Gen.Int[0, files.Length - 1], Gen.Int[0, 10_000], Gen.Int[0, 40], Gen.Char["{}#!\"'\\$@~\n x9"])
            .Sample((f, pos, len, c) =>
            {
                string s = files[f];
                int p = pos % Math.Max(1, s.Length);
                ReadBounded(s[..p] + new string(c, len % 3) + s[Math.Min(s.Length, p + len)..]);
            }, iter: 300);
    }

    [Fact]
    public void Import_export_import_is_the_identity_on_the_corpus()
    {
        foreach (string f in new[] { "global_defaults.conf", "constructs.conf", "ipv6_v3.conf", "seed_backup_script.conf" })
        {
            var a = KeepalivedConfigReader.Read(CorpusPaths.File(f), new KeepalivedReadOptions { ConfigId = "node_a" });
            string tmp = Path.Combine(Path.GetTempPath(), "vrrpps-rt-" + Guid.NewGuid().ToString("N") + ".conf");
            try
            {
                File.WriteAllText(tmp, KeepalivedConfigWriter.Write([a]));
                var b = KeepalivedConfigReader.Read(tmp, new KeepalivedReadOptions { ConfigId = "node_a" });
                Assert.Equal(Shape(a), Shape(b));
            }
            finally { File.Delete(tmp); }
        }
    }

    private static string Shape(KeepalivedParseResult r)
    {
        static void Clear(object o) { foreach (var p in o.GetType().GetProperties().Where(p => p.Name is "SourceFile" or "SourceLine" && p.CanWrite)) p.SetValue(o, p.PropertyType == typeof(int) ? 0 : null); }
        foreach (var i in r.Instances) { Clear(i); foreach (var v in i.VirtualIPAddress.Concat(i.VirtualIPAddressExcluded)) v.SourceLine = 0; foreach (var l in i.VirtualRoutes.Concat(i.VirtualRules)) l.SourceLine = 0; }
        foreach (var o in r.Scripts.Cast<object>().Concat(r.SyncGroups).Concat(r.TrackFiles).Concat(r.TrackProcesses)) Clear(o);
        return System.Text.Json.JsonSerializer.Serialize(new { r.Instances, r.Scripts, r.SyncGroups, r.TrackFiles, r.TrackProcesses });
    }
}
