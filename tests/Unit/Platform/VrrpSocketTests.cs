using System.Net.Sockets;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Platform;

[Collection(NamespaceCollection.Name)]
[Trait(TestCategories.Key, TestCategories.Root)]
public sealed class VrrpSocketTests
{
    private static readonly IpAddressValue Group4 = IpAddressValue.Parse(VrrpConstants.MulticastGroupIPv4);
    private static readonly IpAddressValue Group6 = IpAddressValue.Parse(VrrpConstants.MulticastGroupIPv6);
    private readonly LabFixture _lab;

    public VrrpSocketTests(LabFixture lab) => _lab = lab;

    [Fact]
    public void IPv4Multicast_ArrivesWithTtl255AndHeaderParsed_Rfc5798_5_1_1_3()
    {
        using IVrrpSocket sender = _lab.OpenSocket(_lab.N1, AddressFamily.InterNetwork, multicast: true);
        using IVrrpSocket receiver = _lab.OpenSocket(_lab.N2, AddressFamily.InterNetwork, multicast: true);
        byte[] advert = Packets.V3Advert(51, 100, 100, IpAddressValue.Parse("198.51.100.100"));

        sender.Send(advert, Group4);

        var buffer = new byte[1500];
        Assert.True(_lab.ReceiveWithin(receiver, buffer, 2000, out ReceivedDatagram d), "no advert arrived at node 2");
        Assert.Equal(IpAddressValue.Parse("198.51.100.11"), d.Source);
        Assert.Equal(Group4, d.Destination);
        Assert.Equal(255, d.Ttl);
        Assert.Equal(20, d.PayloadOffset);
        Assert.Equal(advert, buffer.AsSpan(d.PayloadOffset, d.PayloadLength).ToArray());
        Assert.Equal(_lab.Eth2.Index, d.InterfaceIndex);
    }

    [Fact]
    public void IPv6Multicast_ArrivesWithHopLimit255FromLinkLocal_Rfc5798_5_1_2_3()
    {
        using IVrrpSocket sender = _lab.OpenSocket(_lab.N1, AddressFamily.InterNetworkV6, multicast: true);
        using IVrrpSocket receiver = _lab.OpenSocket(_lab.N2, AddressFamily.InterNetworkV6, multicast: true);
        byte[] advert = Packets.V3Advert(52, 200, 50, IpAddressValue.Parse("2001:db8::100"));

        sender.Send(advert, Group6);

        var buffer = new byte[1500];
        Assert.True(_lab.ReceiveWithin(receiver, buffer, 2000, out ReceivedDatagram d), "no IPv6 advert arrived at node 2");
        // RFC 5798 §5.1.2.1: the source is the sender's link-local address on the interface.
        IpAddressValue linkLocal = _lab.Eth1.Addresses.Single(a => a.Address.IsIPv6 && a.Address.ToString().StartsWith("fe80:", StringComparison.Ordinal)).Address;
        Assert.Equal(linkLocal, d.Source);
        Assert.Equal(Group6, d.Destination);
        Assert.Equal(255, d.Ttl);
        Assert.Equal(0, d.PayloadOffset);
        Assert.Equal(advert, buffer.AsSpan(0, d.PayloadLength).ToArray());
        Assert.Equal(_lab.Eth2.Index, d.InterfaceIndex);
    }

    /// <summary>
    /// Issue 16: a multicast instance sends on a send-only socket and its adverts are read from the interface's one
    /// shared socket. The send-only socket's adverts go out as any; it receives nothing, neither multicast nor
    /// unicast VRRP (by the time the shared socket on the same node holds an advert, the kernel has offered it to
    /// every raw socket there).
    /// </summary>
    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void SendOnlySocket_SendsButReceivesNothing_TheSharedSocketReceivesEveryVrid(AddressFamily family)
    {
        bool v4 = family == AddressFamily.InterNetwork;
        var group = v4 ? Group4 : Group6;
        using IVrrpSocket sender = _lab.OpenSocket(_lab.N1, family, multicast: true, sendOnly: true);
        using IVrrpSocket shared = _lab.OpenSocket(_lab.N2, family, multicast: true);
        using IVrrpSocket sendOnly = _lab.OpenSocket(_lab.N2, family, multicast: true, vrid: 51, sendOnly: true);
        var buffer = new byte[1500];
        var vip = IpAddressValue.Parse(v4 ? "198.51.100.100" : "2001:db8::100");

        foreach (byte vrid in new byte[] { 51, 52, 200 })
        {
            sender.Send(Packets.V3Advert(vrid, 100, 100, vip), group);
            Assert.True(_lab.ReceiveWithin(shared, buffer, 2000, out ReceivedDatagram d), $"VRID {vrid} did not reach the shared socket");
            Assert.Equal(vrid, buffer[d.PayloadOffset + 1]);
            Assert.False(sendOnly.TryReceive(buffer, out _), $"the send-only socket received VRID {vrid}");
        }
        if (v4)
        {
            // unicast VRRP to node 2's own address reaches every raw socket there; the send-only one queues none
            using IVrrpSocket unicastSender = _lab.OpenSocket(_lab.N1, family, multicast: false, sendOnly: true);
            unicastSender.Send(Packets.V3Advert(51, 100, 100, vip), IpAddressValue.Parse("198.51.100.12"));
            Assert.True(_lab.ReceiveWithin(shared, buffer, 2000, out _), "the unicast advert did not reach node 2");
            Assert.False(sendOnly.TryReceive(buffer, out _), "the send-only socket received a unicast advert");
        }
    }

    [Fact]
    public void IPv4Unicast_ToPeer_ArrivesWithTtl255_KeepalivedUnicastPeer()
    {
        using IVrrpSocket sender = _lab.OpenSocket(_lab.N1, AddressFamily.InterNetwork, multicast: false);
        using IVrrpSocket receiver = _lab.OpenSocket(_lab.N2, AddressFamily.InterNetwork, multicast: false);
        byte[] advert = Packets.V3Advert(53, 150, 100, IpAddressValue.Parse("198.51.100.100"));
        IpAddressValue peer = IpAddressValue.Parse("198.51.100.12");

        sender.Send(advert, peer);

        var buffer = new byte[1500];
        Assert.True(_lab.ReceiveWithin(receiver, buffer, 2000, out ReceivedDatagram d));
        Assert.Equal(IpAddressValue.Parse("198.51.100.11"), d.Source);
        Assert.Equal(peer, d.Destination);
        Assert.Equal(255, d.Ttl);
        Assert.Equal(advert, buffer.AsSpan(d.PayloadOffset, d.PayloadLength).ToArray());
    }

    [Fact]
    public void IPv6Unicast_ToGlobalPeer_ArrivesWithHopLimit255()
    {
        using IVrrpSocket sender = _lab.OpenSocket(_lab.N1, AddressFamily.InterNetworkV6, multicast: false);
        using IVrrpSocket receiver = _lab.OpenSocket(_lab.N2, AddressFamily.InterNetworkV6, multicast: false);
        byte[] advert = Packets.V3Advert(54, 150, 100, IpAddressValue.Parse("2001:db8::100"));
        IpAddressValue peer = IpAddressValue.Parse("2001:db8::12");

        sender.Send(advert, peer);

        var buffer = new byte[1500];
        Assert.True(_lab.ReceiveWithin(receiver, buffer, 2000, out ReceivedDatagram d));
        Assert.Equal(IpAddressValue.Parse("2001:db8::11"), d.Source);
        Assert.Equal(peer, d.Destination);
        Assert.Equal(255, d.Ttl);
        Assert.Equal(advert, buffer.AsSpan(0, d.PayloadLength).ToArray());
    }

    [Fact]
    public void SourceAddress_PinsTheAdvertSource_KeepalivedUnicastSrcIp()
    {
        var extra = new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.31"), 24);
        NetworkNamespace.Run(_lab.N1, () => _lab.Platform.Addresses.Add(_lab.Eth1.Index, extra));
        try
        {
            using IVrrpSocket sender = _lab.OpenSocket(_lab.N1, AddressFamily.InterNetwork, multicast: true, extra.Address);
            using IVrrpSocket receiver = _lab.OpenSocket(_lab.N2, AddressFamily.InterNetwork, multicast: true);
            byte[] advert = Packets.V3Advert(55, 100, 100, IpAddressValue.Parse("198.51.100.100"));

            sender.Send(advert, Group4);
            sender.Send(advert, IpAddressValue.Parse("198.51.100.12"));

            var buffer = new byte[1500];
            Assert.True(_lab.ReceiveWithin(receiver, buffer, 2000, out ReceivedDatagram first));
            Assert.True(_lab.ReceiveWithin(receiver, buffer, 2000, out ReceivedDatagram second));
            Assert.Equal(extra.Address, first.Source);
            Assert.Equal(extra.Address, second.Source);
        }
        finally
        {
            NetworkNamespace.Run(_lab.N1, () => _lab.Platform.Addresses.Remove(_lab.Eth1.Index, extra));
        }
    }

    [Fact]
    public void OwnMulticast_IsNotLoopedBack_IpMulticastLoopOff()
    {
        using IVrrpSocket sender = _lab.OpenSocket(_lab.N1, AddressFamily.InterNetwork, multicast: true);
        using IVrrpSocket sameHost = _lab.OpenSocket(_lab.N1, AddressFamily.InterNetwork, multicast: true);
        using IVrrpSocket otherHost = _lab.OpenSocket(_lab.N2, AddressFamily.InterNetwork, multicast: true);
        byte[] advert = Packets.V3Advert(56, 100, 100, IpAddressValue.Parse("198.51.100.100"));

        sender.Send(advert, Group4);

        var buffer = new byte[1500];
        Assert.True(_lab.ReceiveWithin(otherHost, buffer, 2000, out _));
        Assert.False(_lab.ReceiveWithin(sameHost, buffer, 200, out _));
    }

    [Fact]
    public void TryReceive_WithNothingQueued_ReturnsFalseAtOnce()
    {
        using IVrrpSocket receiver = _lab.OpenSocket(_lab.N2, AddressFamily.InterNetwork, multicast: true);
        Assert.False(receiver.TryReceive(new byte[1500], out ReceivedDatagram d));
        Assert.Equal(default, d);
    }

    [Fact]
    public void SendReceiveCycles_AllocateNothing_DesignNoAllocationPerAdvert()
    {
        using IVrrpSocket sender = _lab.OpenSocket(_lab.N1, AddressFamily.InterNetwork, multicast: false);
        using IVrrpSocket receiver = _lab.OpenSocket(_lab.N2, AddressFamily.InterNetwork, multicast: false);
        using IPoller poller = _lab.Platform.CreatePoller();
        poller.Add(receiver.FileDescriptor);
        byte[] advert = Packets.V3Advert(57, 100, 100, IpAddressValue.Parse("198.51.100.100"));
        byte[] buffer = new byte[1500];
        IpAddressValue peer = IpAddressValue.Parse("198.51.100.12");

        int warm = Cycles(sender, receiver, poller, advert, buffer, peer, 200);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int received = Cycles(sender, receiver, poller, advert, buffer, peer, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(200, warm);
        Assert.Equal(10_000, received);
        Assert.Equal(0, allocated);
    }

    private static int Cycles(IVrrpSocket sender, IVrrpSocket receiver, IPoller poller, byte[] advert, byte[] buffer, IpAddressValue peer, int count)
    {
        Span<int> ready = stackalloc int[2];
        int received = 0;
        for (int i = 0; i < count; i++)
        {
            sender.Send(advert, peer);
            for (int tries = 0; tries < 100; tries++)
            {
                if (receiver.TryReceive(buffer, out ReceivedDatagram d))
                {
                    if (d.PayloadLength == advert.Length)
                    {
                        received++;
                    }
                    break;
                }
                poller.Wait(100_000, ready);
            }
        }
        return received;
    }
}
