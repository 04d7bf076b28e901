using CsCheck;
using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>Issue 12: what Export writes means to keepalived exactly what Import read. The judge is keepalived 2.2.7's own dump
/// of its parsed configuration (<see cref="KeepalivedDumpLab"/>): dump(original) == dump(Import | Export).</summary>
[Trait(TestCategories.Key, TestCategories.Root)]
public class KeepalivedFidelityTests(KeepalivedDumpLab lab, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<KeepalivedDumpLab>
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

    /// <summary>Generated configs (<see cref="KeepalivedConfigTextGen"/>), judged by keepalived in batches: a batch is one file of
    /// <see cref="Parts"/> generated configs sharing one global_defs (their own names, VRIDs and addresses), so one keepalived
    /// reload (~0.7 s of mostly waiting) judges them all; three labs run side by side on the two cores. As many batches as fit
    /// 60 s; every generated config of a judged batch counts as judged, and at least <see cref="Minimum"/> must be.</summary>
    [Fact]
    public void Keepalived_reads_the_export_of_generated_configs_as_it_reads_them()
    {
        const int Batches = 400, Minimum = 40;
        var budget = System.Diagnostics.Stopwatch.StartNew();
        int judged = 0, batches = 0, instances = 0;
        var texts = new List<string>();
        KeepalivedConfigTextGen.Batch(Parts, 4).Sample(t => texts.Add(t), iter: Batches, threads: 1);
        using KeepalivedDumpLab lab2 = new(), lab3 = new();
        KeepalivedDumpLab[] labs = [lab, lab2, lab3];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, labs.Length, new ParallelOptions { MaxDegreeOfParallelism = labs.Length }, w =>
        {
            string dir = Directory.CreateTempSubdirectory("vrrpps-gen-").FullName;
            try
            {
                for (int k = w; k < texts.Count && failures.IsEmpty && budget.Elapsed.TotalSeconds < 60; k += labs.Length)
                {
                    string path = Path.Combine(dir, "g.conf");
                    File.WriteAllText(path, texts[k]);
                    var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });
                    if (r.HasErrors) { failures.Add($"batch {k}: we report errors:\n{string.Join("\n", r.Diagnostics)}\n{texts[k]}"); continue; }
                    string exported = KeepalivedConfigWriter.Write([r]);
                    string original = labs[w].DumpFile(path), roundTrip = labs[w].Dump(exported);
                    if (original.StartsWith("NO DUMP", StringComparison.Ordinal)) failures.Add($"batch {k}: keepalived did not dump it:\n{original}\n{texts[k]}");
                    else if (original != roundTrip) failures.Add(Diff($"batch {k}:\n{texts[k]}", original, roundTrip, exported));
                    Interlocked.Add(ref judged, Parts);
                    Interlocked.Increment(ref batches);
                    Interlocked.Add(ref instances, r.Instances.Length);
                }
            }
            finally { Directory.Delete(dir, true); }
        });
        output.WriteLine($"{judged} generated configs ({instances} instances) in {batches} keepalived reloads judged in {budget.Elapsed.TotalSeconds:0} s");
        Console.WriteLine($"Fidelity: {judged} generated configs ({instances} instances, {batches} batches of {Parts}) judged by keepalived in {budget.Elapsed.TotalSeconds:0} s");
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(2)));
        Assert.True(judged >= Minimum, $"only {judged} configs judged in the time budget");
    }

    /// <summary>Generated configs per keepalived run (each up to 4 instances; VRIDs 12 apart per config). keepalived's reload
    /// cost grows with the instances (~50 ms each on 2 loaded cores), so larger batches save only the fixed part.</summary>
    private static readonly int Parts = int.TryParse(Environment.GetEnvironmentVariable("VRRPPS_FIDELITY_PARTS"), out int p) ? p : 8;

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
