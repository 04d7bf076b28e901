using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>Test-VrrpConfig's cross-node checks (VrrpConfigValidator) over small per-node files in Corpus/cluster.
/// Every file has its vrrp_instance VI_WEB block on line 9.</summary>
public class ConsistencyTests
{
    private const int InstanceLine = 9;

    private static string F(string name) => CorpusPaths.File(Path.Combine("cluster", name));

    private static VrrpConfigFinding[] Check(params string[] files) =>
        VrrpConfigValidator.Check([.. files.Select(f =>
        {
            var r = KeepalivedConfigReader.Read(F(f), new KeepalivedReadOptions { ConfigId = "node_a" });
            Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics));
            return new VrrpNodeConfig { Node = r.Global.RouterId!, File = F(f), Config = r };
        })]);

    private static VrrpConfigFinding Single(VrrpConfigFinding[] found, string check, VrrpFindingSeverity sev, string file, int line, params string[] nodes)
    {
        var x = Assert.Single(found);
        Assert.Equal((check, sev, 51, F(file), line), (x.Check, x.Severity, x.VirtualRouterId, x.File, x.Line));
        Assert.Equal(nodes.Order(), x.Nodes.Order());
        return x;
    }

    [Fact]
    public void Consistent_cluster_gives_no_findings()
    {
        Assert.Empty(Check("ok_lb1.conf", "ok_lb2.conf"));
        Assert.Empty(Check("ok_lb1.conf", "ok_lb2.conf", "ok_lb3.conf"));
    }

    [Fact]
    public void Different_VIP_sets_for_one_VRID_are_an_error_naming_both_nodes()
    {
        var x = Single(Check("ok_lb1.conf", "vip_lb2.conf"), "VipMismatch", VrrpFindingSeverity.Error, "vip_lb2.conf", InstanceLine, "lb1", "lb2");
        Assert.Contains("198.51.100.11/24", x.Message);
    }

    [Fact]
    public void Different_advert_int_is_an_error_because_RFC3768_7_1_discards_such_adverts()
    {
        var x = Single(Check("ok_lb1.conf", "int_lb2.conf"), "AdvertIntervalMismatch", VrrpFindingSeverity.Error, "int_lb2.conf", InstanceLine, "lb1", "lb2");
        Assert.Contains("advert_int 1 on lb1 but 2 on lb2", x.Message);
    }

    [Fact]
    public void Different_VRRP_versions_are_an_error() =>
        Single(Check("ver_lb1.conf", "ver_lb2.conf"), "VersionMismatch", VrrpFindingSeverity.Error, "ver_lb2.conf", InstanceLine, "lb1", "lb2");

    [Fact]
    public void Different_auth_pass_is_an_error() =>
        Single(Check("ok_lb1.conf", "auth_lb2.conf"), "AuthMismatch", VrrpFindingSeverity.Error, "auth_lb2.conf", InstanceLine, "lb1", "lb2");

    [Fact]
    public void Equal_priorities_are_a_warning_since_the_election_falls_back_to_IP_addresses_RFC5798_6_4_3()
    {
        var x = Single(Check("ok_lb1.conf", "prio_lb2.conf"), "EqualPriority", VrrpFindingSeverity.Warning, "prio_lb2.conf", InstanceLine, "lb1", "lb2");
        Assert.Contains("priority 150", x.Message);
    }

    [Fact]
    public void More_than_one_priority_255_is_an_error_and_not_also_an_equal_priority_warning() =>
        Single(Check("owner_lb1.conf", "owner_lb2.conf"), "MultipleOwners", VrrpFindingSeverity.Error, "owner_lb2.conf", InstanceLine, "lb1", "lb2");

    [Fact]
    public void Same_VRID_for_another_VIP_set_on_the_same_LAN_is_reused()
    {
        var x = Single(Check("ok_lb1.conf", "ok_lb2.conf", "reuse_lb3.conf"), "VridReused", VrrpFindingSeverity.Error, "reuse_lb3.conf", InstanceLine, "lb1", "lb2", "lb3");
        Assert.Contains("198.51.100.20/24", x.Message);
    }

    [Fact]
    public void Same_VRID_on_another_LAN_is_fine() => Assert.Empty(Check("ok_lb1.conf", "ok_lb2.conf", "reuse_far.conf"));

    [Fact]
    public void Same_VRID_twice_on_one_interface_of_one_node_is_reported_once_at_the_second_instance() =>
        Single(Check("dup_vrid.conf"), "VridReused", VrrpFindingSeverity.Error, "dup_vrid.conf", 19, "lb9");

    [Fact]
    public void Unicast_peer_list_lacking_the_other_node_s_unicast_src_ip_is_an_error_at_that_node()
    {
        var x = Single(Check("ok_lb1.conf", "uni_lb2.conf"), "UnicastPeerMismatch", VrrpFindingSeverity.Error, "uni_lb2.conf", InstanceLine, "lb1", "lb2");
        Assert.Contains("lacks 198.51.100.2", x.Message);
    }

    [Fact]
    public void Multicast_node_paired_with_unicast_node_is_an_error_at_the_multicast_node()
    {
        var x = Single(Check("ok_lb1.conf", "mcast_lb2.conf"), "UnicastPeerMismatch", VrrpFindingSeverity.Error, "mcast_lb2.conf", InstanceLine, "lb1", "lb2");
        Assert.Contains("lb2 uses multicast", x.Message);
    }

    [Fact]
    public void Negative_weight_smaller_than_the_priority_gap_never_moves_the_VIP_keepalived_issue_942()
    {
        // 150 - 20 = 130 > 100: the backup never preempts; a backup with equal priority would not either (RFC 5798 §6.4.2)
        var x = Single(Check("weight_lb1.conf", "plain_lb2_for_weight.conf"), "TrackWeightIneffective", VrrpFindingSeverity.Warning, "weight_lb1.conf", InstanceLine, "lb1", "lb2");
        Assert.Contains("fall to 130", x.Message);
        Assert.Contains("larger than 50", x.Message);
        Assert.Empty(Check("ok_lb1.conf", "plain_lb2_for_weight.conf")); // -60: 90 < 100 moves
    }

    [Fact]
    public void Weight_zero_means_fault_so_the_VIP_always_moves() => Assert.Empty(Check("fault_lb1.conf", "plain_lb2_for_weight.conf"));

    [Fact]
    public void Positive_backup_weight_that_cannot_exceed_the_master_is_a_warning_keepalived_issue_2483()
    {
        var x = Single(Check("plain_lb1.conf", "wpos_lb2.conf"), "TrackWeightIneffective", VrrpFindingSeverity.Warning, "wpos_lb2.conf", InstanceLine, "lb1", "lb2");
        Assert.Contains("reach only 120", x.Message);
        Assert.Empty(Check("plain_lb1.conf", "wposok_lb2.conf")); // 100 + 60 = 160 > 150
    }

    [Fact]
    public void State_MASTER_with_nopreempt_on_several_nodes_is_a_warning()
    {
        Single(Check("nopre_lb1.conf", "nopre_lb2.conf"), "MultipleMasterNoPreempt", VrrpFindingSeverity.Warning, "nopre_lb2.conf", InstanceLine, "lb1", "lb2");
        Assert.Empty(Check("nopre_lb1.conf", "nopreok_lb2.conf"));
    }
}
