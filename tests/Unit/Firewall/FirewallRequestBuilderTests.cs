using VrrpPS.Firewall;
using Xunit;

namespace VrrpPS.Tests.Firewall;

/// <summary>Invoke-FirewallVrrpRule's request rules on plain values: the address family chosen, and what is refused before any tool runs.</summary>
public sealed class FirewallRequestBuilderTests
{
    private static FirewallVrrpRequest Build(FirewallRequestBuilder.Input input) => FirewallRequestBuilder.Build(input, name => name == "eth0");

    [Theory]
    [InlineData(new[] { "198.51.100.2" }, new string[0], VrrpAddressFamily.IPv4)]
    [InlineData(new[] { "2001:db8::2" }, new string[0], VrrpAddressFamily.IPv6)]
    [InlineData(new[] { "198.51.100.2", "2001:db8::2" }, new string[0], VrrpAddressFamily.Both)]
    [InlineData(new string[0], new[] { "2001:db8::100/64" }, VrrpAddressFamily.IPv6)]
    [InlineData(new string[0], new[] { "198.51.100.100/24 dev eth0" }, VrrpAddressFamily.IPv4)]
    [InlineData(new string[0], new string[0], VrrpAddressFamily.Both)]
    public void WithoutAddressFamilyThePeersElseTheVirtualAddressesChooseIt(string[] peers, string[] vips, VrrpAddressFamily family)
    {
        Assert.Equal(family, Build(new() { Peers = peers, VirtualAddresses = vips }).AddressFamily);
    }

    [Fact]
    public void AGivenFamilyNeedsAPeerOfThatFamily()
    {
        var ex = Assert.Throws<FirewallException>(() => Build(new() { Peers = ["198.51.100.2"], AddressFamily = VrrpAddressFamily.IPv6 }));
        Assert.Equal(FirewallErrorIds.PeerFamilyMismatch, ex.ErrorId);
    }

    [Fact]
    public void AMulticastGroupMustBeOfItsParametersFamily()
    {
        var ex = Assert.Throws<FirewallException>(() => Build(new() { MulticastGroup4 = "ff02::12" }));
        Assert.Equal(FirewallErrorIds.InvalidMulticastGroup, ex.ErrorId);
        Assert.Equal("'ff02::12' is not an IPv4 multicast address.", ex.Message);
    }

    [Fact]
    public void AnUnknownInterfaceIsRefused()
    {
        Assert.Equal(FirewallErrorIds.InterfaceNotFound, Assert.Throws<FirewallException>(() => Build(new() { Interface = "eth9" })).ErrorId);
    }

    [Fact]
    public void PermanentAndZoneAreAWarningForProvidersOtherThanFirewalld()
    {
        var request = Build(new() { Permanent = true });
        var nft = new FirewallPlan { Provider = FirewallProviderKind.Nftables };
        FirewallRequestBuilder.WarnAboutIgnoredOptions(nft, request);
        Assert.Equal("-Permanent and -Zone apply to firewalld only; Nftables ignores them (see the help on persistence).", Assert.Single(nft.Warnings));
        var firewalld = new FirewallPlan { Provider = FirewallProviderKind.Firewalld };
        FirewallRequestBuilder.WarnAboutIgnoredOptions(firewalld, request);
        Assert.Empty(firewalld.Warnings);
    }

    [Theory]
    [InlineData(false, 1, FirewallRuleAction.Added)]
    [InlineData(true, 2, FirewallRuleAction.Removed)]
    [InlineData(false, 0, FirewallRuleAction.None)]
    public void TheResultSaysWhatWasApplied(bool remove, int applied, FirewallRuleAction action)
    {
        var result = FirewallRequestBuilder.Result(new FirewallPlan { Provider = FirewallProviderKind.Iptables }, Build(new() { Remove = remove, Interface = "eth0" }), applied);
        Assert.Equal(action, result.Action);
        Assert.Equal(applied > 0, result.Changed);
        Assert.Equal("eth0", result.Interface);
    }
}
