using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Platform;

/// <summary>
/// The kernel VRID filter on instance sockets (issue: many VRIDs per engine): a socket for VRID 51 is
/// never woken for VRID 52's adverts, IPv4 and IPv6, multicast and unicast; a passive capture socket
/// still sees everything.
/// </summary>
[Collection(NamespaceCollection.Name)]
[Trait(TestCategories.Key, TestCategories.Root)]
public sealed class VridFilterTests(LabFixture lab)
{
    private static readonly IpAddressValue Group4 = IpAddressValue.Parse(VrrpConstants.MulticastGroupIPv4);
    private static readonly IpAddressValue Group6 = IpAddressValue.Parse(VrrpConstants.MulticastGroupIPv6);

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void EachInstanceSocketReceivesOnlyItsOwnVrid(bool ipv6, bool multicast)
    {
        var family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        using IVrrpSocket sender = lab.OpenSocket(lab.N1, family, multicast);
        using IVrrpSocket for51 = lab.OpenSocket(lab.N2, family, multicast, vrid: 51);
        using IVrrpSocket for52 = lab.OpenSocket(lab.N2, family, multicast, vrid: 52);
        var vip = IpAddressValue.Parse(ipv6 ? "2001:db8::100" : "198.51.100.100");
        IpAddressValue to = multicast ? (ipv6 ? Group6 : Group4)
            : lab.Eth2.Addresses.First(a => a.Address.IsIPv6 == ipv6 && !a.Address.ToString().StartsWith("fe80:", StringComparison.Ordinal)).Address;

        for (int i = 0; i < 5; i++)
        {
            sender.Send(Packets.V3Advert(52, 100, 100, vip), to);
        }
        sender.Send(Packets.V3Advert(51, 100, 100, vip), to);

        var buffer = new byte[1500];
        Assert.True(lab.ReceiveWithin(for51, buffer, 2000, out var d51), "VRID 51's socket got nothing");
        Assert.Equal(51, buffer[d51.PayloadOffset + 1]);
        Assert.False(lab.ReceiveWithin(for51, buffer, 200, out _), "VRID 51's socket was woken for VRID 52");
        int n52 = 0;
        while (lab.ReceiveWithin(for52, buffer, n52 == 0 ? 2000 : 200, out var d52))
        {
            Assert.Equal(52, buffer[d52.PayloadOffset + 1]);
            n52++;
        }
        Assert.Equal(5, n52);
    }

    [Fact]
    public void ThePassiveCaptureSocketStillSeesEveryVrid()
    {
        using IVrrpSocket sender = lab.OpenSocket(lab.N1, AddressFamily.InterNetwork, multicast: true);
        var eth = lab.Eth2;
        using IVrrpSocket passive = NetworkNamespace.Run(lab.N2, () => lab.Platform.OpenVrrpSocket(
            new VrrpSocketOptions(AddressFamily.InterNetwork, eth.Index, eth.Name) { MulticastGroup = Group4, Passive = true, VirtualRouterId = 51 }));
        sender.Send(Packets.V3Advert(52, 100, 100, IpAddressValue.Parse("198.51.100.100")), Group4);
        var buffer = new byte[1500];
        Assert.True(lab.ReceiveWithin(passive, buffer, 2000, out var d));
        Assert.Equal(52, buffer[d.PayloadOffset + 1]);
    }

    [Fact]
    public void TheProgramReadsTheVridAfterTheIPv4HeaderAndAtOffsetOneForIPv6()
    {
        var v4 = VridFilter.Program(ipv6: false, 7);
        Assert.Equal((ushort)0xb1, v4[0].Code);                    // ldxb 4*([0]&0xf)
        Assert.Equal(((ushort)0x50, 1u), (v4[1].Code, v4[1].K));   // ldb [x+1]
        Assert.Equal(7u, v4[2].K);
        var v6 = VridFilter.Program(ipv6: true, 7);
        Assert.Equal(((ushort)0x30, 1u), (v6[0].Code, v6[0].K));   // ldb [1]
    }
}
