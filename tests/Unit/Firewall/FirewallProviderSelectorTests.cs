using VrrpPS.Firewall;
using Xunit;
using static VrrpPS.Tests.Firewall.NftCannedRulesets;

namespace VrrpPS.Tests.Firewall;

/// <summary>-Provider Auto: firewalld running ⇒ firewalld; else nftables in use ⇒ nftables; else iptables.</summary>
public sealed class FirewallProviderSelectorTests
{
    [Fact]
    public void FirewalldRunning_Wins()
    {
        var r = new FakeCommandRunner().On("firewall-cmd --state", 0, "running\n");
        r.Programs.Add("firewall-cmd");
        Assert.Equal(FirewallProviderKind.Firewalld, FirewallProviderSelector.Detect(r).Kind);
    }

    [Fact]
    public void FirewalldInstalledButStopped_NftablesInUse_PicksNftables()
    {
        var r = new FakeCommandRunner().On("firewall-cmd --state", 252, "not running\n").On("nft -j list ruleset", 0, InetFilterPolicyDrop());
        r.Programs.Add("firewall-cmd");
        Assert.Equal(FirewallProviderKind.Nftables, FirewallProviderSelector.Detect(r).Kind);
    }

    [Fact]
    public void OnlyIptablesNftChains_PicksIptables()
    {
        var r = new FakeCommandRunner()
            .On("nft -j list ruleset", 0, Wrap(Chain("ip", "filter", "INPUT", 1, "input", "drop")))
            .On("iptables -w -S INPUT", 0, "-P INPUT DROP\n");
        Assert.Equal(FirewallProviderKind.Iptables, FirewallProviderSelector.Detect(r).Kind);
    }

    [Fact]
    public void NothingInstalled_IsToolNotFound()
    {
        var r = new FakeCommandRunner();
        r.Programs.Clear();
        Assert.Equal(FirewallErrorIds.ToolNotFound, Assert.Throws<FirewallException>(() => FirewallProviderSelector.Detect(r)).ErrorId);
    }
}
