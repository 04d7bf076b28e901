using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>Issue 12: what Export writes means to keepalived exactly what Import read. The judge is keepalived 2.2.7's own dump
/// of its parsed configuration (<see cref="KeepalivedDumpLab"/>): dump(original) == dump(Import | Export).</summary>
[Trait(TestCategories.Key, TestCategories.Root)]
public class KeepalivedFidelityTests(KeepalivedDumpLab lab) : IClassFixture<KeepalivedDumpLab>
{
    /// <summary>Every corpus file we read without an error (a file we refuse is not exported: Import reports it instead).</summary>
    public static TheoryData<string> Files() => [.. CorpusPaths.TopLevel().Select(f => Path.GetFileName(f)).Where(f => !CorpusPaths.Read(f).HasErrors)];

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

    /// <summary>v3_checksum_as_v2 (global flag and instance bool) exists from keepalived 2.2.8; 2.2.7 rejects it. Import and
    /// Export carry it (global stays global, an instance override stays on the instance), and the 2.2.7 differential judges the
    /// rest of the file with exactly that keyword's lines removed from both sides.</summary>
    [Fact]
    public void V3_checksum_as_v2_round_trips_and_is_the_only_keyword_left_out_of_the_2_2_7_differential()
    {
        const string Text = """
            global_defs {
                v3_checksum_as_v2
                vrrp_version 3
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.51.100.1/24
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                v3_checksum_as_v2 false
                virtual_ipaddress {
                    198.51.100.2/24
                }
            }
            """;
        string dir = Directory.CreateTempSubdirectory("vrrpps-v3sum-").FullName;
        try
        {
            string path = Path.Combine(dir, "k.conf");
            File.WriteAllText(path, Text);
            var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });
            Assert.Equal([true, false], r.Instances.Select(i => i.V3ChecksumAsV2));
            Assert.Contains(r.Diagnostics, d => d.ErrorId == "KeepalivedNewerKeyword");
            string exported = KeepalivedConfigWriter.Write([r]);
            Assert.Equal(["    v3_checksum_as_v2", "    v3_checksum_as_v2 false"], exported.Split('\n').Where(l => l.Contains("v3_checksum_as_v2")));
            var (rc, log) = lab.ConfigTest(Text); // keepalived 2.2.7 does not know the keyword (it logs it and reads on)
            Assert.True(rc != 0 && log.Contains("v3_checksum_as_v2", StringComparison.Ordinal), log);
            static string Without(string t) => string.Join('\n', t.Split('\n').Where(l => !l.Contains("v3_checksum_as_v2")));
            string original = lab.Dump(Without(Text)), roundTrip = lab.Dump(Without(exported));
            Assert.True(original == roundTrip, Diff("v3_checksum_as_v2", original, roundTrip, exported));
        }
        finally { Directory.Delete(dir, true); }
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
