using VrrpPS.Protocol;
using VrrpPS.Config;
using Xunit;

namespace VrrpPS.Tests.Config;

/// <summary>The values keepalived 2.2's vrrp_complete_instance leaves after vrrp_strict and its other corrections
/// (the matching diagnostics and keepalived -t's verdict are checked by ConfigCorpusTests / KeepalivedDifferentialTests).</summary>
public class StrictModeTests
{
    private static VrrpInstanceConfig One(string file)
    {
        var r = CorpusPaths.Read(file);
        Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics));
        return Assert.Single(r.Instances);
    }

    [Fact]
    public void Strict_defaults_no_accept_below_255_no_lower_priority_garps_and_no_answer_to_lower_adverts()
    {
        var i = One("strict_master_state.conf");
        Assert.Equal((true, VrrpInitialState.Backup, false), (i.Strict, i.InitialState, i.Accept)); // MASTER needs 255 under vrrp_strict
        Assert.Equal((0, 0.0, true, false), (i.GarpLowerPriorityRepeat, i.GarpLowerPriorityDelay, i.LowerPriorityNoAdvert, i.HigherPrioritySendAdvert));
        var owner = One("strict_backup_owner.conf");
        Assert.Equal((VrrpInitialState.Master, true), (owner.InitialState, owner.Accept)); // the owner always accepts (RFC 5798 §6.4.3)
    }

    [Fact]
    public void Strict_keeps_accept_with_VRRPv3_and_turns_it_off_with_VRRPv2() // RFC 3768 has no Accept_Mode
    {
        Assert.Equal((3, true), (One("strict_ok.conf").Version, One("strict_ok.conf").Accept));
        Assert.Equal(false, One("strict_accept_v2.conf").Accept);
    }

    [Fact]
    public void Strict_resets_what_it_forbids_instead_of_rejecting_the_instance()
    {
        var auth = One("strict_auth.conf");
        Assert.Equal((VrrpAuthType.None, (string?)null), (auth.AuthenticationType, auth.AuthenticationPassword));
        Assert.Equal(0, One("strict_preempt_delay.conf").PreemptDelay);
        var adv = One("strict_adverts_garp.conf");
        Assert.Equal((0, true, false), (adv.GarpLowerPriorityRepeat, adv.LowerPriorityNoAdvert, adv.HigherPrioritySendAdvert));
        Assert.Equal(3, One("strict_ipv6_version2.conf").Version);
        Assert.Equal(["198.51.100.3"], One("strict_unicast.conf").UnicastPeer.Select(p => p.Address)); // keepalived 2.2.7 keeps them
    }

    [Fact]
    public void Strict_instance_without_a_VIP_is_dropped_like_keepalived_does() =>
        Assert.Empty(CorpusPaths.Read("strict_no_vip.conf").Instances);

    [Fact]
    public void Without_strict_accept_defaults_on_and_keepalived_s_other_corrections_apply()
    {
        var m = One("master_nopreempt.conf");
        Assert.Equal((VrrpInitialState.Master, false, true), (m.InitialState, m.NoPreempt, m.Accept)); // nopreempt cleared for state MASTER
        var d = One("nopreempt_preempt_delay.conf");
        Assert.Equal((true, 0.0), (d.NoPreempt, d.PreemptDelay));
        var v3 = One("v3_auth.conf");
        Assert.Equal((VrrpAuthType.None, (string?)null), (v3.AuthenticationType, v3.AuthenticationPassword)); // RFC 5798 has no authentication
        Assert.Empty(CorpusPaths.Read("v3_no_vip.conf").Instances);
        Assert.Empty(One("v2_no_vip.conf").VirtualIPAddress);
    }
}
