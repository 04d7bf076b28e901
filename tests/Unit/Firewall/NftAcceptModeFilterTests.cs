using VrrpPS.Firewall;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Firewall;

public sealed class NftAcceptModeFilterTests
{
    [Fact]
    public void Block_replaces_the_instance_table_atomically_and_drops_traffic_to_the_vips_only()
    {
        var runner = new FakeCommandRunner().On("nft -f -", 0);
        new NftAcceptModeFilter(runner).Block("VI_1", [IpAddressValue.Parse("198.51.100.100"), IpAddressValue.Parse("2001:db8::100")]);

        var call = Assert.Single(runner.Calls);
        Assert.Equal(
            "table inet vrrpps_noaccept_VI_1 {}\ndelete table inet vrrpps_noaccept_VI_1\n"
            + "table inet vrrpps_noaccept_VI_1 {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n"
            + "\t\tip6 daddr { 2001:db8::100 } icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
            + "\t\tip6 daddr { 2001:db8::100 } drop\n"
            + "\t\tip daddr { 198.51.100.100 } drop\n\t}\n}\n", call.Stdin);
    }

    [Fact]
    public void Unblock_deletes_only_the_instance_table_and_is_idempotent()
    {
        var runner = new FakeCommandRunner().On("nft -f -", 0);
        new NftAcceptModeFilter(runner).Unblock("VI_1");
        Assert.Equal("table inet vrrpps_noaccept_VI_1 {}\ndelete table inet vrrpps_noaccept_VI_1\n", Assert.Single(runner.Calls).Stdin);
    }

    [Fact]
    public void Names_that_nft_does_not_allow_become_distinct_table_names()
    {
        Assert.Equal("vrrpps_noaccept_VI_1", NftAcceptModeFilter.TableName("VI_1"));
        string a = NftAcceptModeFilter.TableName("web:a"), b = NftAcceptModeFilter.TableName("web@a");
        Assert.Matches("^vrrpps_noaccept_web_a_[0-9a-f]{8}$", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void A_failing_nft_run_is_a_firewall_error_with_a_stable_id()
    {
        var runner = new FakeCommandRunner().On("nft -f -", 1, stderr: "Error: Could not process rule");
        var ex = Assert.Throws<FirewallException>(() => new NftAcceptModeFilter(runner).Unblock("VI_1"));
        Assert.Equal(FirewallErrorIds.CommandFailed, ex.ErrorId);
    }
}
