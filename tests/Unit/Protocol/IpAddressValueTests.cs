using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Protocol;

public sealed class IpAddressValueTests
{
    [Theory]
    [InlineData("224.0.0.18", true)]
    [InlineData("239.255.255.255", true)]
    [InlineData("223.255.255.255", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("198.51.100.1", false)]
    [InlineData("ff02::12", true)]
    [InlineData("fe80::1", false)]
    [InlineData("2001:db8::1", false)]
    public void IsMulticast_is_224_0_0_0_slash_4_or_ff00_slash_8(string address, bool multicast) =>
        Assert.Equal(multicast, IpAddressValue.Parse(address).IsMulticast);
}
