using VrrpPS.Firewall;
using Xunit;

namespace VrrpPS.Tests.Firewall;

/// <summary>Input is validated before any tool runs (interface names per Linux dev_valid_name / IFNAMSIZ 16).</summary>
public sealed class FirewallInputValidatorTests
{
    [Theory]
    [InlineData("eth0")]
    [InlineData("veth-a.100")]
    [InlineData("br_lab")]
    [InlineData("abcdefghijklmno")] // 15 = IFNAMSIZ - 1
    public void ValidNames_Pass(string name) =>
        Assert.Equal(name, FirewallInputValidator.ValidateInterfaceName(name, _ => true));

    [Theory]
    [InlineData("eth0; rm -rf /")]
    [InlineData("eth0 accept")]
    [InlineData("$(reboot)")]
    [InlineData("eth0\"")]
    [InlineData("abcdefghijklmnop")] // 16 chars: too long for IFNAMSIZ
    [InlineData("a/b")]
    [InlineData("eth0:1")]
    [InlineData("..")]
    [InlineData("")]
    public void InvalidNames_AreRejected(string name)
    {
        var ex = Assert.Throws<FirewallException>(() => FirewallInputValidator.ValidateInterfaceName(name, _ => true));
        Assert.Equal(FirewallErrorIds.InvalidInterfaceName, ex.ErrorId);
    }

    [Fact]
    public void UnknownInterface_IsNotFound()
    {
        var ex = Assert.Throws<FirewallException>(() => FirewallInputValidator.ValidateInterfaceName("eth9", _ => false));
        Assert.Equal(FirewallErrorIds.InterfaceNotFound, ex.ErrorId);
    }

    [Theory]
    [InlineData("198.51.100.1", "198.51.100.1")]
    [InlineData(" 203.0.113.7 ", "203.0.113.7")]
    [InlineData("2001:DB8::1", "2001:db8::1")]
    [InlineData("fe80::1", "fe80::1")]
    public void ValidPeers_Parse(string text, string expected) =>
        Assert.Equal(expected, FirewallInputValidator.ParsePeer(text).ToString());

    [Theory]
    [InlineData("198.51.100")]       // IPAddress.TryParse would accept this as 198.51.0.100
    [InlineData("1")]
    [InlineData("198.51.100.1/24")]
    [InlineData("198.51.100.1; rm -rf /")]
    [InlineData("fe80::1%eth0")]
    [InlineData("peer.example")]
    [InlineData("224.0.0.18")]       // multicast is not a peer
    [InlineData("ff02::12")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("300.1.1.1")]
    public void MalformedPeers_AreRejected(string text)
    {
        var ex = Assert.Throws<FirewallException>(() => FirewallInputValidator.ParsePeer(text));
        Assert.Equal(FirewallErrorIds.InvalidPeerAddress, ex.ErrorId);
    }

    [Theory]
    [InlineData("public", true)]
    [InlineData("my-zone_1", true)]
    [InlineData("public --add-port=1/tcp", false)]
    [InlineData("averyveryverylongzone", false)]
    public void ZoneNames(string zone, bool valid)
    {
        if (valid)
        {
            Assert.Equal(zone, FirewallInputValidator.ValidateZone(zone));
        }
        else
        {
            Assert.Equal(FirewallErrorIds.InvalidZoneName, Assert.Throws<FirewallException>(() => FirewallInputValidator.ValidateZone(zone)).ErrorId);
        }
    }
}
