using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// A raw IP protocol 112 socket bound to one interface. RFC 5798 §5.1.1.3 / §5.1.2.3: adverts are
/// sent with TTL / hop limit 255 and receivers drop anything else, so both unicast and multicast
/// hop counts are pinned to 255. Own multicast is not looped back (IP_MULTICAST_LOOP 0).
/// IPv4 raw sockets deliver the IP header; IPv6 ones do not (hop limit and destination come from
/// IPV6_HOPLIMIT / IPV6_PKTINFO control messages).
/// </summary>
internal sealed unsafe class LinuxVrrpSocket : IVrrpSocket
{
    private const int ControlBufferSize = 128;
    private const int IpMulticastAll = 49, Ipv6MulticastAll = 29; // linux/in.h, linux/in6.h
    private const int MaxSkippedPerCall = 64;

    private readonly FdHandle _fd;
    private readonly bool _v6;
    private readonly int _ifIndex;
    private readonly IpAddressValue _source;

    private LinuxVrrpSocket(FdHandle fd, bool v6, int ifIndex, IpAddressValue source)
    {
        _fd = fd;
        _v6 = v6;
        _ifIndex = ifIndex;
        _source = source;
    }

    public int FileDescriptor => _fd.Fd;

    public static LinuxVrrpSocket Open(VrrpSocketOptions options, string interfaceName)
    {
        bool v6 = options.Family switch
        {
            AddressFamily.InterNetwork => false,
            AddressFamily.InterNetworkV6 => true,
            _ => throw new ArgumentException("VRRP sockets are IPv4 or IPv6.", nameof(options)),
        };
        if (!options.SourceAddress.IsEmpty && options.SourceAddress.Family != options.Family)
        {
            throw new ArgumentException("SourceAddress family differs from the socket family.", nameof(options));
        }
        FdHandle fd = SocketCalls.Socket(v6 ? LibC.AF_INET6 : LibC.AF_INET,
            LibC.SOCK_RAW | LibC.SOCK_NONBLOCK, VrrpConstants.IpProtocolNumber, v6 ? "AF_INET6, SOCK_RAW, 112" : "AF_INET, SOCK_RAW, 112");
        try
        {
            SocketCalls.BindToDevice(fd, interfaceName);
            if (options.SendOnly)
            {
                VridFilter.AttachDropAll(fd); // unicast VRRP to this host still reaches every raw socket: none is queued here
            }
            else if (!options.Passive && options.VirtualRouterId != 0)
            {
                VridFilter.Attach(fd, v6, options.VirtualRouterId);
            }
            if (v6)
            {
                ConfigureV6(fd, options);
            }
            else
            {
                ConfigureV4(fd, options);
            }
            return new LinuxVrrpSocket(fd, v6, options.InterfaceIndex, options.SourceAddress);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    private static void ConfigureV4(FdHandle fd, VrrpSocketOptions options)
    {
        SocketCalls.SetInt(fd, LibC.IPPROTO_IP, LibC.IP_TTL, VrrpConstants.RequiredTtl, "IP_TTL");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_TTL, VrrpConstants.RequiredTtl, "IP_MULTICAST_TTL");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IP, LibC.IP_PKTINFO, 1, "IP_PKTINFO");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IP, LibC.IP_TOS, VrrpConstants.TrafficClass, "IP_TOS");

        // ip_mreqn { imr_multiaddr; imr_address; imr_ifindex } — 12 bytes.
        Span<byte> mreqn = stackalloc byte[12];
        mreqn.Clear();
        if (!options.SourceAddress.IsEmpty)
        {
            options.SourceAddress.WriteBytes(mreqn[4..]);
        }
        MemoryMarshal.Write(mreqn[8..], options.InterfaceIndex);
        SocketCalls.SetBytes(fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_IF, mreqn, "IP_MULTICAST_IF");

        if (options.SendOnly)
        {
            // Not joined, and not handed the groups other sockets joined either: the kernel skips this socket
            // for multicast adverts before it copies them (IP_MULTICAST_ALL is 1 by default).
            SocketCalls.SetInt(fd, LibC.IPPROTO_IP, IpMulticastAll, 0, "IP_MULTICAST_ALL");
        }
        else if (options.MulticastGroup is { } group)
        {
            if (!group.IsIPv4)
            {
                throw new ArgumentException("MulticastGroup must be IPv4 for an IPv4 socket.", nameof(options));
            }
            mreqn.Clear();
            group.WriteBytes(mreqn);
            MemoryMarshal.Write(mreqn[8..], options.InterfaceIndex);
            SocketCalls.SetBytes(fd, LibC.IPPROTO_IP, LibC.IP_ADD_MEMBERSHIP, mreqn, "IP_ADD_MEMBERSHIP");
        }
    }

    private static void ConfigureV6(FdHandle fd, VrrpSocketOptions options)
    {
        // No IPV6_CHECKSUM: the VRRP checksum is computed by the codec (RFC 5798 §5.2.8).
        SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_UNICAST_HOPS, VrrpConstants.RequiredTtl, "IPV6_UNICAST_HOPS");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_HOPS, VrrpConstants.RequiredTtl, "IPV6_MULTICAST_HOPS");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF, options.InterfaceIndex, "IPV6_MULTICAST_IF");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
        SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_TCLASS, VrrpConstants.TrafficClass, "IPV6_TCLASS");
        if (options.SendOnly)
        {
            // An IPv6 raw socket bound to no address still gets every multicast message (a copy the drop-all
            // filter then discards); IPV6_MULTICAST_ALL 0 only keeps it from groups it could otherwise be handed.
            // Linux 4.20 and later; an older kernel does not know the option (ENOPROTOOPT): the drop-all filter still
            // keeps the socket from reading anything, so that is no reason to refuse the instance.
            try
            {
                SocketCalls.SetInt(fd, LibC.IPPROTO_IPV6, Ipv6MulticastAll, 0, "IPV6_MULTICAST_ALL");
            }
            catch (LinuxSyscallException ex) when (ex.Errno == Errno.ENOPROTOOPT)
            {
            }
        }
        else if (options.MulticastGroup is { } group)
        {
            if (!group.IsIPv6)
            {
                throw new ArgumentException("MulticastGroup must be IPv6 for an IPv6 socket.", nameof(options));
            }
            // ipv6_mreq { in6_addr; unsigned int ifindex } — 20 bytes.
            Span<byte> mreq = stackalloc byte[20];
            group.WriteBytes(mreq);
            MemoryMarshal.Write(mreq[16..], options.InterfaceIndex);
            SocketCalls.SetBytes(fd, LibC.IPPROTO_IPV6, LibC.IPV6_JOIN_GROUP, mreq, "IPV6_JOIN_GROUP");
        }
    }

    public void Send(ReadOnlySpan<byte> vrrpMessage, in IpAddressValue destination)
    {
        if (destination.Family != (_v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork))
        {
            throw new ArgumentException("Destination family differs from the socket family.", nameof(destination));
        }
        Span<byte> addr = stackalloc byte[16];
        destination.WriteBytes(addr);
        Span<byte> name = stackalloc byte[32];
        int nameLen = _v6
            ? SocketCalls.WriteSockaddrIn6(name, addr, SocketCalls.NeedsScope(addr) ? (uint)_ifIndex : 0u)
            : SocketCalls.WriteSockaddrIn(name, addr);

        // Source pinning uses IP_PKTINFO / IPV6_PKTINFO on the message rather than bind(): a raw
        // socket bound to a unicast address would stop receiving adverts sent to the group.
        byte* control = stackalloc byte[ControlBufferSize];
        int controlLen = _source.IsEmpty ? 0 : WriteSourceControl(control);

        fixed (byte* payload = vrrpMessage)
        fixed (byte* namePtr = name)
        {
            iovec iov = default;
            iov.iov_base = payload;
            iov.iov_len = vrrpMessage.Length;
            msghdr msg = default;
            msg.msg_name = namePtr;
            msg.msg_namelen = nameLen;
            msg.msg_iov = &iov;
            msg.msg_iovlen = 1;
            if (controlLen > 0)
            {
                msg.msg_control = control;
                msg.msg_controllen = controlLen;
            }
            long sent = LibC.sendmsg(_fd.Fd, &msg, LibC.MSG_DONTWAIT);
            if (sent < 0)
            {
                throw Errno.Fail("sendmsg(VRRP)");
            }
        }
    }

    private int WriteSourceControl(byte* control)
    {
        int dataLen = _v6 ? 20 : 12;
        int space = Cmsg.Space(dataLen);
        new Span<byte>(control, space).Clear();
        var cmsg = (cmsghdr*)control;
        cmsg->cmsg_len = Cmsg.Len(dataLen);
        cmsg->cmsg_level = _v6 ? LibC.IPPROTO_IPV6 : LibC.IPPROTO_IP;
        cmsg->cmsg_type = _v6 ? LibC.IPV6_PKTINFO : LibC.IP_PKTINFO;
        var data = new Span<byte>(Cmsg.Data(cmsg), dataLen);
        if (_v6)
        {
            // in6_pktinfo { in6_addr ipi6_addr; unsigned ipi6_ifindex }
            _source.WriteBytes(data);
            MemoryMarshal.Write(data[16..], _ifIndex);
        }
        else
        {
            // in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr }
            MemoryMarshal.Write(data, _ifIndex);
            _source.WriteBytes(data[4..]);
        }
        return space;
    }

    public bool TryReceive(Span<byte> buffer, out ReceivedDatagram datagram)
    {
        byte* control = stackalloc byte[ControlBufferSize];
        byte* name = stackalloc byte[32];
        fixed (byte* data = buffer)
        {
            for (int attempt = 0; attempt < MaxSkippedPerCall; attempt++)
            {
                iovec iov = default;
                iov.iov_base = data;
                iov.iov_len = buffer.Length;
                msghdr msg = default;
                msg.msg_name = name;
                msg.msg_namelen = 32;
                msg.msg_iov = &iov;
                msg.msg_iovlen = 1;
                msg.msg_control = control;
                msg.msg_controllen = ControlBufferSize;
                long n = LibC.recvmsg(_fd.Fd, &msg, LibC.MSG_DONTWAIT);
                if (n < 0)
                {
                    int errno = Errno.Last;
                    if (errno == Errno.EAGAIN || errno == Errno.EINTR)
                    {
                        datagram = default;
                        return false;
                    }
                    throw new LinuxSyscallException("recvmsg(VRRP)", errno);
                }
                if ((msg.msg_flags & LibC.MSG_TRUNC) != 0)
                {
                    continue; // larger than the caller's buffer: cannot be a valid advert for it
                }
                bool ok = _v6
                    ? ParseV6(&msg, name, (int)n, out datagram)
                    : ParseV4(&msg, buffer[..(int)n], out datagram);
                if (ok)
                {
                    return true;
                }
            }
        }
        datagram = default;
        return false;
    }

    private bool ParseV4(msghdr* msg, ReadOnlySpan<byte> packet, out ReceivedDatagram datagram)
    {
        datagram = default;
        if (packet.Length < 20 || packet[0] >> 4 != 4)
        {
            return false;
        }
        int headerLength = (packet[0] & 0x0f) * 4;
        if (headerLength < 20 || headerLength > packet.Length)
        {
            return false;
        }
        datagram.PayloadOffset = headerLength;
        datagram.PayloadLength = packet.Length - headerLength;
        datagram.Ttl = packet[8];
        datagram.Source = IpAddressValue.FromBytes(packet.Slice(12, 4));
        datagram.Destination = IpAddressValue.FromBytes(packet.Slice(16, 4));
        datagram.InterfaceIndex = _ifIndex;
        for (cmsghdr* c = Cmsg.First(msg); c != null; c = Cmsg.Next(msg, c))
        {
            if (c->cmsg_level == LibC.IPPROTO_IP && c->cmsg_type == LibC.IP_PKTINFO)
            {
                datagram.InterfaceIndex = *(int*)Cmsg.Data(c);
            }
        }
        return true;
    }

    private bool ParseV6(msghdr* msg, byte* name, int length, out ReceivedDatagram datagram)
    {
        datagram = default;
        if (msg->msg_namelen < 24)
        {
            return false;
        }
        datagram.PayloadOffset = 0;
        datagram.PayloadLength = length;
        datagram.Source = IpAddressValue.FromBytes(new ReadOnlySpan<byte>(name + 8, 16));
        datagram.InterfaceIndex = _ifIndex;
        bool haveHops = false;
        for (cmsghdr* c = Cmsg.First(msg); c != null; c = Cmsg.Next(msg, c))
        {
            if (c->cmsg_level != LibC.IPPROTO_IPV6)
            {
                continue;
            }
            byte* d = Cmsg.Data(c);
            if (c->cmsg_type == LibC.IPV6_HOPLIMIT)
            {
                datagram.Ttl = (byte)*(int*)d;
                haveHops = true;
            }
            else if (c->cmsg_type == LibC.IPV6_PKTINFO)
            {
                datagram.Destination = IpAddressValue.FromBytes(new ReadOnlySpan<byte>(d, 16));
                datagram.InterfaceIndex = *(int*)(d + 16);
            }
        }
        return haveHops;
    }

    public void Dispose() => _fd.Dispose();
}

/// <summary>
/// Control-message arithmetic as glibc's CMSG_* macros define it. (Tmds.LibC 0.5.0's CMSG_LEN
/// rounds the length up, which the kernel rejects with EINVAL for IP_PKTINFO.)
/// </summary>
internal static unsafe class Cmsg
{
    private static int Align(int n) => (n + IntPtr.Size - 1) & ~(IntPtr.Size - 1);

    private static int HeaderSize => Align(sizeof(cmsghdr));

    public static int Len(int dataLength) => HeaderSize + dataLength;

    public static int Space(int dataLength) => HeaderSize + Align(dataLength);

    public static byte* Data(cmsghdr* c) => (byte*)c + HeaderSize;

    public static cmsghdr* First(msghdr* m) =>
        (int)m->msg_controllen >= HeaderSize ? (cmsghdr*)m->msg_control : null;

    public static cmsghdr* Next(msghdr* m, cmsghdr* c)
    {
        byte* end = (byte*)m->msg_control + (int)m->msg_controllen;
        if ((int)c->cmsg_len < HeaderSize)
        {
            return null;
        }
        byte* next = (byte*)c + Align((int)c->cmsg_len);
        if (next + HeaderSize > end || next + Align((int)((cmsghdr*)next)->cmsg_len) > end)
        {
            return null;
        }
        return (cmsghdr*)next;
    }
}
