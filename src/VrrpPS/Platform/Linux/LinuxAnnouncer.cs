using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// Tells the LAN that a virtual address moved (RFC 5798 §6.4.2: on becoming Master, broadcast a
/// gratuitous ARP per IPv4 VIP / an unsolicited Neighbor Advertisement per IPv6 VIP).
/// IPv4: an ARP request with sender = target = VIP (RFC 5227 §2.3 "ARP Announcement", the form
/// keepalived sends) on an AF_PACKET datagram socket to ff:ff:ff:ff:ff:ff.
/// IPv6: ICMPv6 type 136 to ff02::1, hop limit 255 (RFC 4861 §7.2.6), Router and Override flags set,
/// with a Target Link-Layer Address option; the kernel fills in the ICMPv6 checksum.
/// </summary>
internal sealed unsafe class LinuxAnnouncer : IAnnouncer
{
    private const ushort EthPArp = 0x0806;
    private const int IcmpV6Filter = 1; // ICMP6_FILTER
    private static ReadOnlySpan<byte> AllNodes => [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

    private readonly FdHandle _fd;
    private readonly bool _v6;

    private LinuxAnnouncer(FdHandle fd, bool v6)
    {
        _fd = fd;
        _v6 = v6;
    }

    public static LinuxAnnouncer Open(AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            // Protocol 0: this socket only sends; it never queues received frames.
            return new LinuxAnnouncer(SocketCalls.Socket(LibC.AF_PACKET, LibC.SOCK_DGRAM, 0, "AF_PACKET, SOCK_DGRAM"), false);
        }
        if (family != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException("Announcements are IPv4 (ARP) or IPv6 (NA).", nameof(family));
        }
        FdHandle fd = SocketCalls.Socket(LibC.AF_INET6, LibC.SOCK_RAW, LibC.IPPROTO_ICMPV6, "AF_INET6, SOCK_RAW, ICMPv6");
        try
        {
            Span<byte> blockAll = stackalloc byte[32];
            blockAll.Fill(0xff); // receive nothing: this socket only sends
            SocketCalls.SetBytes(fd, LibC.IPPROTO_ICMPV6, IcmpV6Filter, blockAll, "ICMP6_FILTER");
            SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_HOPS, 255, "IPV6_MULTICAST_HOPS");
            SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS");
            SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
            return new LinuxAnnouncer(fd, true);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    public void Announce(int interfaceIndex, ReadOnlySpan<byte> sourceMac, in IpAddressValue address)
    {
        if (sourceMac.Length != 6)
        {
            throw new ArgumentException("An Ethernet MAC address is 6 bytes.", nameof(sourceMac));
        }
        if (_v6 != address.IsIPv6 || address.IsEmpty)
        {
            throw new ArgumentException("Address family differs from the announcer family.", nameof(address));
        }
        if (_v6)
        {
            SendNeighborAdvertisement(interfaceIndex, sourceMac, address);
        }
        else
        {
            SendGratuitousArp(interfaceIndex, sourceMac, address);
        }
    }

    /// <summary>Builds the 28-byte ARP announcement (RFC 826 layout).</summary>
    internal static void BuildArp(Span<byte> arp, ReadOnlySpan<byte> mac, in IpAddressValue address)
    {
        arp[..28].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);          // htype Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], 0x0800); // ptype IPv4
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], 1);      // op request
        mac.CopyTo(arp[8..]);                                    // sender hardware address
        address.WriteBytes(arp[14..]);                           // sender protocol address
        // target hardware address stays zero (RFC 5227 §2.3)
        address.WriteBytes(arp[24..]);                           // target protocol address
    }

    /// <summary>Builds the 32-byte unsolicited NA (RFC 4861 §4.4) with checksum 0 (kernel computes it).</summary>
    /// <remarks>
    /// Flags, RFC 5798 and RFC 9568 §6.4.1 (owner, Initialize → Master) and §6.4.2 (Backup → Master):
    /// "Router Flag (R) set, the Solicited Flag (S) clear, the Override flag (O) set".
    /// R=1 always: the VIP is the hosts' router, and RFC 4861 §7.2.5 makes a host that receives R=0
    /// for a neighbour it knew as a router take it off its Default Router List (hosts lost their IPv6
    /// default route after every failover when this was R=0).
    /// S=0: the advertisement answers no solicitation (RFC 4861 §7.2.6).
    /// O=1: hosts must replace the cached link-layer address with the virtual MAC at once.
    /// keepalived 2.2.x sets O always and R only while net.ipv6.conf.IF.forwarding is 1 (it rechecks
    /// the sysctl every 5 s); we follow the RFC, which does not depend on the forwarding setting.
    /// </remarks>
    internal static void BuildNeighborAdvertisement(Span<byte> na, ReadOnlySpan<byte> mac, in IpAddressValue target)
    {
        na[..32].Clear();
        na[0] = 136;          // type Neighbor Advertisement
        na[4] = 0x80 | 0x20;  // R=1, S=0, O=1 (see remarks)
        target.WriteBytes(na[8..]);
        na[24] = 2;           // option: Target Link-Layer Address
        na[25] = 1;           // length in units of 8 octets
        mac.CopyTo(na[26..]);
    }

    private void SendGratuitousArp(int ifIndex, ReadOnlySpan<byte> mac, in IpAddressValue address)
    {
        Span<byte> arp = stackalloc byte[28];
        BuildArp(arp, mac, address);
        // sockaddr_ll { u16 family; be16 protocol; int ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8] }
        Span<byte> sll = stackalloc byte[20];
        sll.Clear();
        MemoryMarshal.Write(sll, (ushort)LibC.AF_PACKET);
        BinaryPrimitives.WriteUInt16BigEndian(sll[2..], EthPArp);
        MemoryMarshal.Write(sll[4..], ifIndex);
        sll[11] = 6;
        sll.Slice(12, 6).Fill(0xff);
        SendTo(arp, sll, "sendto(gratuitous ARP)");
    }

    private void SendNeighborAdvertisement(int ifIndex, ReadOnlySpan<byte> mac, in IpAddressValue target)
    {
        SocketCalls.SetInt(_fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF, ifIndex, "IPV6_MULTICAST_IF");
        Span<byte> na = stackalloc byte[32];
        BuildNeighborAdvertisement(na, mac, target);
        Span<byte> sin6 = stackalloc byte[28];
        SocketCalls.WriteSockaddrIn6(sin6, AllNodes, (uint)ifIndex);
        SendTo(na, sin6, "sendto(unsolicited NA)");
    }

    private void SendTo(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> address, string what)
    {
        fixed (byte* p = payload)
        fixed (byte* a = address)
        {
            if ((long)LibC.sendto(_fd.Fd, p, payload.Length, 0, (sockaddr*)a, address.Length) < 0)
            {
                throw Errno.Fail(what);
            }
        }
    }

    public void Dispose() => _fd.Dispose();
}
