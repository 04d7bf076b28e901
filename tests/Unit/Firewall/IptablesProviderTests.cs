using System.Net;
using VrrpPS.Firewall;
using Xunit;

namespace VrrpPS.Tests.Firewall;

/// <summary>iptables/ip6tables: dedicated VRRPPS chain jumped from the top of INPUT; -p 112 (protocol), never --dport.</summary>
public sealed class IptablesProviderTests
{
    private const string Policies = "-P INPUT DROP\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n";

    private static FakeCommandRunner Fresh(string program = "iptables") => new FakeCommandRunner().On(program + " -w -S", 0, Policies);

    private static string Tag(string fam, string iface, string peers = "") => new VrrpRuleSpec(
        fam == "v4" ? System.Net.Sockets.AddressFamily.InterNetwork : System.Net.Sockets.AddressFamily.InterNetworkV6,
        iface == "any" ? null : iface, peers.Length == 0 ? [] : peers.Split(',').Select(IPAddress.Parse).ToArray()).Comment;

    [Fact]
    public void FreshHost_CreatesChain_AddsProtocol112Rule_ThenJumpsFromTopOfInput()
    {
        FakeCommandRunner runner = Fresh();
        foreach (string cmd in new[] { "-w -N VRRPPS", "-w -I INPUT 1 -j VRRPPS" })
        {
            runner.On("iptables " + cmd, 0);
        }
        string tag = Tag("v4", "eth0");
        runner.On($"iptables -w -A VRRPPS -i eth0 -d 224.0.0.18 -p 112 -m comment --comment {tag} -j ACCEPT", 0);
        var p = new IptablesProvider(runner);
        FirewallPlan plan = p.Plan(new FirewallVrrpRequest { Interface = "eth0", AddressFamily = VrrpAddressFamily.IPv4 });
        p.Apply(plan.Changes);

        string[][] mutations = runner.Mutations.Select(m => m.Args).ToArray();
        Assert.Equal(3, mutations.Length);
        Assert.Equal(["-w", "-N", "VRRPPS"], mutations[0]);
        Assert.Equal(["-w", "-A", "VRRPPS", "-i", "eth0", "-d", "224.0.0.18", "-p", "112", "-m", "comment", "--comment", tag, "-j", "ACCEPT"], mutations[1]);
        Assert.Equal(["-w", "-I", "INPUT", "1", "-j", "VRRPPS"], mutations[2]);
        Assert.All(runner.Calls, c => Assert.Equal("iptables", c.Program));
        Assert.DoesNotContain(runner.Calls.SelectMany(c => c.Args), a => a.Contains("dport", StringComparison.Ordinal));
    }

    [Fact]
    public void SecondRun_RulePresentAndJumpPresent_PlansNothing()
    {
        string tag = Tag("v4", "any");
        var runner = new FakeCommandRunner()
            .On("iptables -w -S", 0, Policies + "-N VRRPPS\n-A INPUT -j VRRPPS\n-A INPUT -i lo -j ACCEPT\n"
                + $"-A VRRPPS -d 224.0.0.18/32 -p vrrp -m comment --comment {tag} -j ACCEPT\n");
        FirewallPlan plan = new IptablesProvider(runner).Plan(new FirewallVrrpRequest { AddressFamily = VrrpAddressFamily.IPv4 });
        Assert.Empty(plan.Changes);
        Assert.Single(plan.Rules);
    }

    [Fact]
    public void Ipv6Peers_UseIp6tables_OneRulePerPeer()
    {
        FakeCommandRunner runner = Fresh("ip6tables");
        var p = new IptablesProvider(runner);
        FirewallPlan plan = p.Plan(new FirewallVrrpRequest
        {
            Peers = [IPAddress.Parse("2001:db8::2"), IPAddress.Parse("2001:db8::1")],
        });
        Assert.Equal(4, plan.Changes.Count);
        Assert.All(plan.Changes, c => Assert.Equal("ip6tables", c.Program));
        Assert.Equal(["-w", "-A", "VRRPPS", "-s", "2001:db8::1", "-p", "112", "-m", "comment", "--comment", Tag("v6", "any", "2001:db8::1"), "-j", "ACCEPT"],
            plan.Changes[1].Arguments);
        Assert.Equal(["-w", "-A", "VRRPPS", "-s", "2001:db8::2", "-p", "112", "-m", "comment", "--comment", Tag("v6", "any", "2001:db8::2"), "-j", "ACCEPT"],
            plan.Changes[2].Arguments);
    }

    [Fact]
    public void Remove_DeletesOurRulesBottomUp_AndTheChainOnlyWhenItBecomesEmpty()
    {
        string mine = Tag("v4", "eth0");
        string other = Tag("v4", "eth1");
        var runner = new FakeCommandRunner()
            .On("iptables -w -S", 0, Policies + "-N VRRPPS\n-A INPUT -j VRRPPS\n" +
                $"-A VRRPPS -i eth0 -d 224.0.0.18/32 -p vrrp -m comment --comment {mine} -j ACCEPT\n" +
                $"-A VRRPPS -i eth1 -d 224.0.0.18/32 -p vrrp -m comment --comment {other} -j ACCEPT\n");
        FirewallPlan plan = new IptablesProvider(runner).Plan(new FirewallVrrpRequest { Interface = "eth0", AddressFamily = VrrpAddressFamily.IPv4, Remove = true });
        PlannedChange only = Assert.Single(plan.Changes);
        Assert.Equal(["-w", "-D", "VRRPPS", "1"], only.Arguments);

        FirewallPlan all = new IptablesProvider(runner).Plan(new FirewallVrrpRequest { Interface = "eth1", AddressFamily = VrrpAddressFamily.IPv4, Remove = true });
        Assert.Single(all.Changes); // eth0's rule is still there, so chain and jump stay

        var lastRunner = new FakeCommandRunner()
            .On("iptables -w -S", 0, Policies + "-N VRRPPS\n-A INPUT -j VRRPPS\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
                + $"-A VRRPPS -i eth0 -d 224.0.0.18/32 -p vrrp -m comment --comment {mine} -j ACCEPT\n");
        FirewallPlan last = new IptablesProvider(lastRunner).Plan(new FirewallVrrpRequest { Interface = "eth0", AddressFamily = VrrpAddressFamily.IPv4, Remove = true });
        Assert.Equal(["-w -D VRRPPS 1", "-w -D INPUT -j VRRPPS", "-w -X VRRPPS"], last.Changes.Select(c => string.Join(' ', c.Arguments)));
    }

    [Fact]
    public void Remove_WhenChainAbsent_PlansNothing()
    {
        FirewallPlan plan = new IptablesProvider(Fresh()).Plan(new FirewallVrrpRequest { AddressFamily = VrrpAddressFamily.IPv4, Remove = true });
        Assert.Empty(plan.Changes);
    }

    [Theory]
    [InlineData("-A INPUT -p tcp -m tcp --dport 112 -j ACCEPT", true)]
    [InlineData("-A INPUT -p udp -m multiport --dports 53,112 -j ACCEPT", true)]
    [InlineData("-A INPUT -p tcp -m tcp --dport 100:200 -j ACCEPT", true)]
    [InlineData("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", false)]
    [InlineData("-A INPUT -p vrrp -j ACCEPT", false)]
    public void WrongTcpUdpPort112Rule_IsWarnedAbout(string line, bool warned)
    {
        FakeCommandRunner runner = Fresh().On("iptables -w -S", 0, Policies + line + "\n");
        FirewallPlan plan = new IptablesProvider(runner).Plan(new FirewallVrrpRequest { AddressFamily = VrrpAddressFamily.IPv4 });
        Assert.Equal(warned, plan.Warnings.Any(w => w.Contains("port 112", StringComparison.Ordinal)));
    }

    [Fact]
    public void NotRoot_IsPermissionDenied()
    {
        var runner = new FakeCommandRunner()
            .On("iptables -w -S", 4, "", "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)");
        var ex = Assert.Throws<FirewallException>(() => new IptablesProvider(runner).Plan(new FirewallVrrpRequest { AddressFamily = VrrpAddressFamily.IPv4 }));
        Assert.Equal(FirewallErrorIds.PermissionDenied, ex.ErrorId);
    }
}
