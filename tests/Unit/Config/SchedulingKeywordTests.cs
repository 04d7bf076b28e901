using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>Issue 16 (deadlines under starvation): vrrp_priority, vrrp_rt_priority, vrrp_rlimit_rttime and vrrp_no_swap are
/// read as keepalived 2.2.7 reads them (its clamping and defaults, checked in its -d dump) and written back so that keepalived's
/// dump of the export equals its dump of the source.</summary>
[Trait(TestCategories.Key, TestCategories.Root)]
public class SchedulingKeywordTests(KeepalivedDumpLab lab) : IClassFixture<KeepalivedDumpLab>
{
    private const string Instance = """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            virtual_ipaddress {
                198.51.100.1/24
            }
        }
        """;

    [Theory]
    [InlineData("vrrp_rt_priority 150\n    vrrp_priority -25\n    vrrp_rlimit_rtime 1\n    vrrp_no_swap", 99, 0, 2L, true, true)]
    [InlineData("vrrp_rt_priority 0\n    vrrp_priority 5", 1, 5, 10000L, false, true)]
    [InlineData("vrrp_rt_priority 40\n    vrrp_rlimit_rttime 50000", 40, 0, 50000L, false, false)]
    [InlineData("", 0, 0, 10000L, false, false)]
    [InlineData("vrrp_rlimit_rttime 0", 0, 0, 10000L, false, true)] // keepalived -t: exit 5, as for rt 150 and priority -25
    public void Import_reads_the_scheduling_keywords_with_keepalived_s_clamping_and_defaults(string keywords, int rt, int nice, long limit, bool noSwap, bool error)
    {
        string dir = Directory.CreateTempSubdirectory("vrrpps-sched-").FullName;
        try
        {
            string path = Path.Combine(dir, "k.conf");
            File.WriteAllText(path, $"global_defs {{\n    {keywords}\n}}\n{Instance}\n");
            var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });
            Assert.Equal((rt, nice, limit, noSwap), (r.Global.RealtimePriority, r.Global.ProcessPriority, r.Global.RealtimeLimit, r.Global.NoSwap));
            Assert.Equal(error, r.HasErrors);
            Assert.DoesNotContain(r.Diagnostics, d => d.ErrorId == "KeepalivedUnknownKeyword");
            Assert.DoesNotContain("vrrp_rt_priority", r.Global.UnsupportedKeywords);
            if (error) Assert.Contains(r.Diagnostics, d => d.ErrorId == "KeepalivedValueOutOfRange" && d.File == path && d.Line == 2);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("vrrp_rt_priority 150\n    vrrp_priority -25\n    vrrp_rlimit_rtime 1\n    vrrp_no_swap")]
    [InlineData("vrrp_rt_priority 0\n    vrrp_priority 5")]
    [InlineData("vrrp_rt_priority 40\n    vrrp_rlimit_rttime 50000")]
    [InlineData("vrrp_priority -20")]
    public void Keepalived_reads_the_export_of_the_scheduling_keywords_as_it_reads_the_source(string keywords)
    {
        string text = $"global_defs {{\n    {keywords}\n}}\n{Instance}\n";
        string dir = Directory.CreateTempSubdirectory("vrrpps-sched-").FullName;
        try
        {
            string path = Path.Combine(dir, "k.conf");
            File.WriteAllText(path, text);
            var r = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = "node_a" });
            string exported = KeepalivedConfigWriter.Write([r]);
            string original = lab.Dump(text), roundTrip = lab.Dump(exported);
            Assert.DoesNotContain("NO DUMP", original);
            Assert.True(original == roundTrip, KeepalivedFidelityTests.Diff("scheduling", original, roundTrip, exported));
        }
        finally { Directory.Delete(dir, true); }
    }
}
