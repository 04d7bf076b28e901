using System.Net;
using VrrpPS.Firewall;
using Xunit;
using static VrrpPS.Tests.Firewall.NftCannedRulesets;

namespace VrrpPS.Tests.Firewall;

/// <summary>
/// nftables semantics: an accept in one base chain does not stop another base chain on the same
/// hook from dropping (nft(8), "base chain"; keepalived issues #821/#1487), so VrrpPS inserts into
/// every dropping input base chain and removes only its tagged handles.
/// </summary>
public sealed class NftablesProviderTests
{
    private static (NftablesProvider Provider, FakeCommandRunner Runner) Make(string ruleset)
    {
        var runner = new FakeCommandRunner().On("nft -j list ruleset", 0, ruleset).On("nft -j -f -", 0);
        return (new NftablesProvider(runner), runner);
    }

    private static FirewallVrrpRequest Req(string? iface = null, VrrpAddressFamily af = VrrpAddressFamily.Both, bool remove = false, params string[] peers) =>
        new() { Interface = iface, AddressFamily = af, Remove = remove, Peers = peers.Select(IPAddress.Parse).ToArray() };

    [Fact]
    public void UserInetFilterPolicyDrop_GetsV4AndV6AcceptInsertedAtTop_AsOneExactJsonBatch()
    {
        (NftablesProvider p, FakeCommandRunner runner) = Make(InetFilterPolicyDrop());
        FirewallPlan plan = p.Plan(Req("eth0"));
        p.Apply(plan.Changes);

        Assert.Equal(2, plan.Changes.Count);
        Assert.Equal("nft insert rule inet filter input iifname \"eth0\" ip daddr 224.0.0.18 ip protocol 112 counter accept comment \"vrrpps:v4:eth0:" + Hash("v4|eth0|") + "\"",
            plan.Changes[0].Text);
        (string prog, string[] args, string? stdin) = Assert.Single(runner.Calls, c => c.Args.Contains("-f"));
        Assert.Equal("nft", prog);
        Assert.Equal(["-j", "-f", "-"], args);
        string c4 = "vrrpps:v4:eth0:" + Hash("v4|eth0|");
        string c6 = "vrrpps:v6:eth0:" + Hash("v6|eth0|");
        Assert.Equal(
            "{\"nftables\":[" +
            "{\"insert\":{\"rule\":{\"family\":\"inet\",\"table\":\"filter\",\"chain\":\"input\",\"comment\":\"" + c4 + "\",\"expr\":[" +
            "{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"eth0\"}}," +
            "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"daddr\"}},\"right\":\"224.0.0.18\"}}," +
            "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"protocol\"}},\"right\":112}}," +
            "{\"counter\":null},{\"accept\":null}]}}}," +
            "{\"insert\":{\"rule\":{\"family\":\"inet\",\"table\":\"filter\",\"chain\":\"input\",\"comment\":\"" + c6 + "\",\"expr\":[" +
            "{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"eth0\"}}," +
            "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip6\",\"field\":\"daddr\"}},\"right\":\"ff02::12\"}}," +
            "{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"l4proto\"}},\"right\":112}}," +
            "{\"counter\":null},{\"accept\":null}]}}}]}",
            stdin);
    }

    [Fact]
    public void TagComment_IsStableAcrossReleases()
    {
        // Pinned: a changed tag would orphan rules added by an earlier version (-Remove could not find them).
        Assert.Equal("vrrpps:v4:lo:14cc0087", new VrrpRuleSpec(System.Net.Sockets.AddressFamily.InterNetwork, "lo", []).Comment);
    }

    [Fact]
    public void CustomMulticastGroup_KeepalivedMcastGroup4_IsMatchedAndTaggedApart()
    {
        (NftablesProvider p, _) = Make(InetFilterPolicyDrop());
        FirewallPlan plan = p.Plan(new FirewallVrrpRequest
        {
            AddressFamily = VrrpAddressFamily.IPv4, MulticastGroups = [IPAddress.Parse("224.0.0.19")],
        });
        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Contains("ip daddr 224.0.0.19 ip protocol 112", change.Text);
        Assert.Contains("\"vrrpps:v4:any:" + Hash("v4|*||224.0.0.19") + "\"", change.Text);
    }

    [Fact]
    public void SecondRun_WithTaggedRulesPresent_PlansNothing()
    {
        string c4 = "vrrpps:v4:eth0:" + Hash("v4|eth0|");
        string c6 = "vrrpps:v6:eth0:" + Hash("v6|eth0|");
        string ruleset = InetFilterPolicyDrop(
            Rule("inet", "filter", "input", 9, Accept, c4), Rule("inet", "filter", "input", 10, Accept, c6));
        (NftablesProvider p, FakeCommandRunner runner) = Make(ruleset);
        FirewallPlan plan = p.Plan(Req("eth0"));
        p.Apply(plan.Changes);
        Assert.Empty(plan.Changes);
        Assert.Equal(2, plan.Rules.Count);
        Assert.Empty(runner.Mutations);
    }

    [Fact]
    public void IpAndIp6Tables_GetOnlyTheirFamily_AndForwardOrAcceptingChainsAreLeftAlone()
    {
        string ruleset = Wrap(
            Chain("ip", "v4only", "in", 1, "input", "drop"),
            Chain("ip6", "v6only", "in", 1, "input", "accept"),
            Rule("ip6", "v6only", "in", 2, Drop),
            Chain("inet", "open", "in", 1, "input", "accept"),
            Rule("inet", "open", "in", 2, TcpDport22 + ", " + Accept),
            Chain("inet", "fw", "forward", 1, "forward", "drop"));
        (NftablesProvider p, _) = Make(ruleset);
        FirewallPlan plan = p.Plan(Req());
        Assert.Equal(2, plan.Changes.Count);
        Assert.StartsWith("nft insert rule ip v4only in ip daddr 224.0.0.18 ip protocol 112", plan.Changes[0].Text);
        Assert.StartsWith("nft insert rule ip6 v6only in ip6 daddr ff02::12 meta l4proto 112", plan.Changes[1].Text);
    }

    [Fact]
    public void RejectReachedThroughJump_CountsAsFiltering()
    {
        string ruleset = Wrap(
            Chain("inet", "t", "input", 1, "input", "accept"),
            Chain("inet", "t", "sub", 2),
            Rule("inet", "t", "input", 3, """{"jump": {"target": "sub"}}"""),
            Rule("inet", "t", "sub", 4, Reject));
        (NftablesProvider p, _) = Make(ruleset);
        FirewallPlan plan = p.Plan(Req(af: VrrpAddressFamily.IPv4));
        PlannedChange change = Assert.Single(plan.Changes);
        Assert.StartsWith("nft insert rule inet t input ", change.Text);
    }

    [Fact]
    public void NothingFiltersInput_ChangesNothingAndSaysSo()
    {
        (NftablesProvider p, _) = Make(Wrap(Chain("inet", "t", "input", 1, "input", "accept"), Rule("inet", "t", "input", 2, TcpDport22 + ", " + Accept)));
        FirewallPlan plan = p.Plan(Req());
        Assert.Empty(plan.Changes);
        Assert.Contains(plan.Warnings, w => w.Contains("nothing to change", StringComparison.Ordinal));
    }

    [Fact]
    public void WrongPort112Rules_TcpAndUdpSet_AreWarnedAbout_Port22IsNot()
    {
        (NftablesProvider p, _) = Make(InetFilterPolicyDrop(
            Rule("inet", "filter", "input", 7, TcpDport112 + ", " + Accept),
            Rule("inet", "filter", "input", 8, UdpDportSet + ", " + Accept),
            Rule("inet", "filter", "input", 9, TcpDport22 + ", " + Accept)));
        FirewallPlan plan = p.Plan(Req());
        Assert.Equal(2, plan.Warnings.Count(w => w.Contains("port 112", StringComparison.Ordinal)));
        Assert.Contains(plan.Warnings, w => w.Contains("handle 7", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("handle 8", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("handle 9", StringComparison.Ordinal));
    }

    [Fact]
    public void Remove_DeletesOnlyHandlesTaggedForThisRequest()
    {
        string mine = "vrrpps:v4:eth0:" + Hash("v4|eth0|");
        string otherSpec = "vrrpps:v4:eth1:" + Hash("v4|eth1|");
        string ruleset = InetFilterPolicyDrop(
            Rule("inet", "filter", "input", 11, Accept, mine),
            Rule("inet", "filter", "input", 12, Accept, otherSpec),
            Rule("inet", "filter", "input", 13, TcpDport22 + ", " + Accept, "user rule"));
        (NftablesProvider p, FakeCommandRunner runner) = Make(ruleset);
        FirewallPlan plan = p.Plan(Req("eth0", VrrpAddressFamily.IPv4, remove: true));
        p.Apply(plan.Changes);
        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Equal("nft delete rule inet filter input handle 11", change.Text);
        Assert.Equal("""{"nftables":[{"delete":{"rule":{"family":"inet","table":"filter","chain":"input","handle":11}}}]}""",
            Assert.Single(runner.Mutations).Stdin);
    }

    [Fact]
    public void UnicastPeers_BecomeASaddrSet_OnlyForTheirFamily()
    {
        (NftablesProvider p, FakeCommandRunner runner) = Make(InetFilterPolicyDrop());
        FirewallPlan plan = p.Plan(Req(null, VrrpAddressFamily.Both, false, "198.51.100.2", "198.51.100.1"));
        p.Apply(plan.Changes);
        PlannedChange change = Assert.Single(plan.Changes);
        Assert.Contains("ip saddr { 198.51.100.1, 198.51.100.2 } ip protocol 112", change.Text);
        Assert.Contains("""{"payload":{"protocol":"ip","field":"saddr"}},"right":{"set":["198.51.100.1","198.51.100.2"]}""",
            runner.Mutations.Single().Stdin);
    }

    [Fact]
    public void IptablesNftInputChain_IsLeftToTheIptablesProvider()
    {
        (NftablesProvider p, _) = Make(Wrap(Chain("ip", "filter", "INPUT", 1, "input", "drop")));
        FirewallPlan plan = p.Plan(Req());
        Assert.Empty(plan.Changes);
        Assert.Contains(plan.Warnings, w => w.Contains("iptables-nft", StringComparison.Ordinal));
        Assert.False(p.IsInUse());
    }

    [Fact]
    public void PermissionDenied_And_MissingTool_HaveStableErrorIds()
    {
        var denied = new FakeCommandRunner().On("nft -j list ruleset", 1, "", "Error: Operation not permitted");
        var ex = Assert.Throws<FirewallException>(() => new NftablesProvider(denied).Plan(Req()));
        Assert.Equal(FirewallErrorIds.PermissionDenied, ex.ErrorId);

        var missing = new FakeCommandRunner();
        missing.Programs.Clear();
        ex = Assert.Throws<FirewallException>(() => new NftablesProvider(missing).Plan(Req()));
        Assert.Equal(FirewallErrorIds.ToolNotFound, ex.ErrorId);

        var garbage = new FakeCommandRunner().On("nft -j list ruleset", 0, "not json");
        ex = Assert.Throws<FirewallException>(() => new NftablesProvider(garbage).Plan(Req()));
        Assert.Equal(FirewallErrorIds.RulesetUnreadable, ex.ErrorId);
    }

    private static string Hash(string canonical) => Convert.ToHexString(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)), 0, 4).ToLowerInvariant();
}
