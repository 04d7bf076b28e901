using System.Net;
using VrrpPS.Firewall;
using Xunit;

namespace VrrpPS.Tests.Firewall;

/// <summary>
/// firewalld command construction against firewall-cmd(1) and firewalld.richlanguage(5):
/// <c>firewall-cmd [--permanent] [--zone=zone] --add-rich-rule='rule family="ipv4" … protocol value="vrrp" accept'</c>;
/// <c>--query-rich-rule</c> exits 0 when present, 1 when absent; <c>--state</c> exits 252 when not running.
/// </summary>
public sealed class FirewalldProviderTests
{
    private const string V4Group = "rule family=\"ipv4\" destination address=\"224.0.0.18\" protocol value=\"vrrp\" accept";
    private const string V6Group = "rule family=\"ipv6\" destination address=\"ff02::12\" protocol value=\"vrrp\" accept";

    private static FakeCommandRunner Running()
    {
        var r = new FakeCommandRunner().On("firewall-cmd --state", 0, "running\n");
        r.Programs.Add("firewall-cmd");
        return r;
    }

    [Fact]
    public void NotRunning_IsDaemonNotRunning()
    {
        FakeCommandRunner runner = Running().On("firewall-cmd --state", 252, "not running\n");
        var ex = Assert.Throws<FirewallException>(() => new FirewalldProvider(runner).Plan(new FirewallVrrpRequest()));
        Assert.Equal(FirewallErrorIds.DaemonNotRunning, ex.ErrorId);
    }

    [Fact]
    public void RuntimeAndPermanent_InZone_QueryThenAddRichRules_ExactArguments()
    {
        FakeCommandRunner runner = Running().On("firewall-cmd --zone=internal --list-ports", 0, "\n");
        foreach (string rule in new[] { V4Group, V6Group })
        {
            runner.On("firewall-cmd --zone=internal --query-rich-rule=" + rule, 1, "no\n")
                .On("firewall-cmd --permanent --zone=internal --query-rich-rule=" + rule, 1, "no\n")
                .On("firewall-cmd --zone=internal --add-rich-rule=" + rule, 0, "success\n")
                .On("firewall-cmd --permanent --zone=internal --add-rich-rule=" + rule, 0, "success\n");
        }
        var p = new FirewalldProvider(runner);
        FirewallPlan plan = p.Plan(new FirewallVrrpRequest { Zone = "internal", Permanent = true });
        p.Apply(plan.Changes);

        string[][] adds = runner.Mutations.Select(m => m.Args).ToArray();
        Assert.Equal(4, adds.Length);
        Assert.Equal(["--zone=internal", "--add-rich-rule=" + V4Group], adds[0]);
        Assert.Equal(["--permanent", "--zone=internal", "--add-rich-rule=" + V4Group], adds[1]);
        Assert.Equal(["--zone=internal", "--add-rich-rule=" + V6Group], adds[2]);
        Assert.Equal("firewall-cmd --zone=internal --add-rich-rule='" + V4Group + "'", plan.Changes[0].Text);
        Assert.DoesNotContain(runner.Calls.SelectMany(c => c.Args), a => a.Contains("port=", StringComparison.Ordinal));
    }

    [Fact]
    public void RulesAlreadyPresent_PlanNothing()
    {
        FakeCommandRunner runner = Running().On("firewall-cmd --list-ports", 0, "22/tcp\n")
            .On("firewall-cmd --query-rich-rule=" + V4Group, 0, "yes\n");
        FirewallPlan plan = new FirewalldProvider(runner).Plan(new FirewallVrrpRequest { AddressFamily = VrrpAddressFamily.IPv4 });
        Assert.Empty(plan.Changes);
        Assert.Single(plan.Rules);
    }

    [Fact]
    public void Interface_SelectsItsZone_PeersBecomeSourceRules()
    {
        string rule = "rule family=\"ipv4\" source address=\"198.51.100.2\" protocol value=\"vrrp\" accept";
        FakeCommandRunner runner = Running()
            .On("firewall-cmd --get-zone-of-interface=eth0", 0, "dmz\n")
            .On("firewall-cmd --zone=dmz --list-ports", 0, "112/tcp 112/udp\n")
            .On("firewall-cmd --zone=dmz --query-rich-rule=" + rule, 1, "no\n");
        FirewallPlan plan = new FirewalldProvider(runner).Plan(new FirewallVrrpRequest
        {
            Interface = "eth0", Peers = [IPAddress.Parse("198.51.100.2")],
        });
        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(["--zone=dmz", "--add-rich-rule=" + rule], change.Arguments);
        Assert.Equal(2, plan.Warnings.Count(w => w.Contains("opens nothing VRRP uses", StringComparison.Ordinal)));
    }

    [Fact]
    public void Remove_RemovesOnlyPresentRules()
    {
        FakeCommandRunner runner = Running().On("firewall-cmd --list-ports", 0, "")
            .On("firewall-cmd --query-rich-rule=" + V4Group, 0, "yes\n")
            .On("firewall-cmd --query-rich-rule=" + V6Group, 1, "no\n");
        FirewallPlan plan = new FirewalldProvider(runner).Plan(new FirewallVrrpRequest { Remove = true });
        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal(["--remove-rich-rule=" + V4Group], change.Arguments);
        Assert.Equal(FirewallRuleAction.Removed, change.Action);
    }
}
