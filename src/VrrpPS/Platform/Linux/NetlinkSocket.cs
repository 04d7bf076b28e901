using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace VrrpPS.Platform.Linux;

/// <summary>rtnetlink numbers (linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h, linux/if_link.h).</summary>
internal static class Rtnl
{
    public const int NETLINK_ROUTE = 0;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_EXT_ACK = 11;
    public const int HeaderSize = 16;

    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    public const ushort NLM_F_ACK_TLVS = 0x200;
    public const ushort NLMSGERR_ATTR_MSG = 1;

    public const uint RTMGRP_LINK = 1;

    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_BROADCAST = 4;
    public const ushort IFA_CACHEINFO = 6;
    public const ushort IFA_FLAGS = 8;
    public const uint IFA_F_NODAD = 0x02;

    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_LINK = 5;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort IFLA_MACVLAN_MODE = 1;
    public const uint MACVLAN_MODE_PRIVATE = 1;

    public const uint IFF_UP = 0x1;
    public const uint IFF_RUNNING = 0x40;
    public const uint IFF_LOWER_UP = 0x10000;

    public static int Align(int n) => (n + 3) & ~3;

    /// <summary>Finds attribute <paramref name="type"/> in a run of rtattrs (NLA type flags masked off).</summary>
    public static bool TryGetAttribute(ReadOnlySpan<byte> attrs, ushort type, out ReadOnlySpan<byte> value)
    {
        while (attrs.Length >= 4)
        {
            int len = MemoryMarshal.Read<ushort>(attrs);
            ushort t = (ushort)(MemoryMarshal.Read<ushort>(attrs[2..]) & 0x3fff);
            if (len < 4 || len > attrs.Length)
            {
                break;
            }
            if (t == type)
            {
                value = attrs[4..len];
                return true;
            }
            int next = Align(len);
            if (next >= attrs.Length)
            {
                break;
            }
            attrs = attrs[next..];
        }
        value = default;
        return false;
    }

    public static string CString(ReadOnlySpan<byte> value)
    {
        int nul = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? value[..nul] : value);
    }
}

/// <summary>Builds one netlink request in a caller-provided buffer.</summary>
internal ref struct NetlinkWriter
{
    private readonly Span<byte> _buf;
    private int _pos;

    public NetlinkWriter(Span<byte> buffer, ushort type, ushort flags)
    {
        _buf = buffer;
        _buf.Clear();
        MemoryMarshal.Write(_buf[4..], type);
        MemoryMarshal.Write(_buf[6..], flags);
        _pos = Rtnl.HeaderSize;
    }

    /// <summary>Reserves a fixed family header (ifaddrmsg, ifinfomsg) and returns it for filling.</summary>
    public Span<byte> Reserve(int length)
    {
        Span<byte> s = _buf.Slice(_pos, length);
        _pos += Rtnl.Align(length);
        return s;
    }

    public void Attribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        MemoryMarshal.Write(_buf[_pos..], (ushort)(4 + value.Length));
        MemoryMarshal.Write(_buf[(_pos + 2)..], type);
        value.CopyTo(_buf[(_pos + 4)..]);
        _pos += Rtnl.Align(4 + value.Length);
    }

    public void Attribute(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        MemoryMarshal.Write(v, value);
        Attribute(type, v);
    }

    public void Attribute(ushort type, string text)
    {
        Span<byte> v = stackalloc byte[Encoding.UTF8.GetByteCount(text) + 1];
        v[Encoding.UTF8.GetBytes(text, v)] = 0;
        Attribute(type, v);
    }

    /// <summary>Opens a nested attribute (IFLA_LINKINFO…); close it with <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _pos;
        MemoryMarshal.Write(_buf[(_pos + 2)..], type);
        _pos += 4;
        return start;
    }

    public void EndNested(int start) => MemoryMarshal.Write(_buf[start..], (ushort)(_pos - start));

    /// <summary>Stamps length and sequence number; returns the finished message.</summary>
    public ReadOnlySpan<byte> Finish(uint seq)
    {
        MemoryMarshal.Write(_buf, (uint)_pos);
        MemoryMarshal.Write(_buf[8..], seq);
        return _buf[.._pos];
    }
}

internal delegate void NetlinkMessageHandler(ushort type, ReadOnlySpan<byte> payload);

/// <summary>
/// One AF_NETLINK/NETLINK_ROUTE socket. Requests wait for the kernel's answer (ACK, error or
/// the end of a dump) with a bounded timeout, so a lost reply cannot hang the caller.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);
    private readonly FdHandle _fd;
    private readonly byte[] _rx = new byte[64 * 1024];
    private uint _seq = (uint)Environment.TickCount;

    private NetlinkSocket(FdHandle fd) => _fd = fd;

    public int Fd => _fd.Fd;

    public byte[] ReceiveBuffer => _rx;

    public static NetlinkSocket Open(uint groups, bool nonBlocking)
    {
        FdHandle fd = SocketCalls.Socket(LibC.AF_NETLINK, LibC.SOCK_RAW | (nonBlocking ? LibC.SOCK_NONBLOCK : 0),
            Rtnl.NETLINK_ROUTE, "AF_NETLINK, NETLINK_ROUTE");
        try
        {
            // Best effort: extended ACKs carry the kernel's human-readable reason.
            int one = 1;
            LibC.setsockopt(fd.Fd, Rtnl.SOL_NETLINK, Rtnl.NETLINK_EXT_ACK, &one, sizeof(int));
            // sockaddr_nl { sa_family_t nl_family; unsigned short pad; u32 nl_pid; u32 nl_groups }
            byte* sa = stackalloc byte[12];
            new Span<byte>(sa, 12).Clear();
            *(ushort*)sa = (ushort)LibC.AF_NETLINK;
            *(uint*)(sa + 8) = groups;
            if (LibC.bind(fd.Fd, (sockaddr*)sa, 12) != 0)
            {
                throw Errno.Fail("bind(AF_NETLINK)");
            }
            return new NetlinkSocket(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    public uint NextSequence() => ++_seq;

    public void Send(ReadOnlySpan<byte> message, string operation)
    {
        byte* sa = stackalloc byte[12];
        new Span<byte>(sa, 12).Clear();
        *(ushort*)sa = (ushort)LibC.AF_NETLINK;
        fixed (byte* p = message)
        {
            if ((long)LibC.sendto(_fd.Fd, p, message.Length, 0, (sockaddr*)sa, 12) < 0)
            {
                throw Errno.Fail($"sendto(netlink {operation})");
            }
        }
    }

    /// <summary>Non-blocking read of one datagram into the receive buffer; 0 when nothing is queued.</summary>
    public int ReceiveNonBlocking()
    {
        fixed (byte* p = _rx)
        {
            long n = LibC.recv(_fd.Fd, p, _rx.Length, LibC.MSG_DONTWAIT);
            if (n >= 0)
            {
                return (int)n;
            }
            int errno = Errno.Last;
            if (errno == Errno.EAGAIN || errno == Errno.EINTR)
            {
                return 0;
            }
            if (errno == Errno.ENOBUFS)
            {
                return -1; // the kernel dropped notifications (receive queue overrun)
            }
            throw new LinuxSyscallException("recv(netlink)", errno);
        }
    }

    /// <summary>
    /// Sends a request and processes the reply: every data message goes to
    /// <paramref name="onMessage"/>; returns the errno of the final acknowledgement (0 = success).
    /// </summary>
    public int Transact(ReadOnlySpan<byte> request, string operation, NetlinkMessageHandler? onMessage, out string? kernelMessage)
    {
        uint seq = MemoryMarshal.Read<uint>(request[8..]);
        bool dump = (MemoryMarshal.Read<ushort>(request[6..]) & Rtnl.NLM_F_DUMP) == Rtnl.NLM_F_DUMP;
        Send(request, operation);
        long deadline = Environment.TickCount64 + (long)ReplyTimeout.TotalMilliseconds;
        kernelMessage = null;
        while (true)
        {
            WaitReadable(deadline, operation);
            int n = ReceiveNonBlocking();
            var data = new ReadOnlySpan<byte>(_rx, 0, Math.Max(n, 0));
            while (data.Length >= Rtnl.HeaderSize)
            {
                int len = (int)MemoryMarshal.Read<uint>(data);
                if (len < Rtnl.HeaderSize || len > data.Length)
                {
                    break;
                }
                ushort type = MemoryMarshal.Read<ushort>(data[4..]);
                ushort flags = MemoryMarshal.Read<ushort>(data[6..]);
                uint msgSeq = MemoryMarshal.Read<uint>(data[8..]);
                ReadOnlySpan<byte> payload = data[Rtnl.HeaderSize..len];
                if (msgSeq == seq)
                {
                    if (type == Rtnl.NLMSG_ERROR)
                    {
                        return ParseError(payload, flags, out kernelMessage);
                    }
                    if (type == Rtnl.NLMSG_DONE)
                    {
                        return 0;
                    }
                    onMessage?.Invoke(type, payload);
                    if (!dump && (flags & Rtnl.NLM_F_MULTI) == 0 && (MemoryMarshal.Read<ushort>(request[6..]) & Rtnl.NLM_F_ACK) == 0)
                    {
                        return 0; // a plain GET answered with one message
                    }
                }
                data = data[Math.Min(Rtnl.Align(len), data.Length)..];
            }
        }
    }

    private static int ParseError(ReadOnlySpan<byte> payload, ushort flags, out string? kernelMessage)
    {
        kernelMessage = null;
        int error = payload.Length >= 4 ? -MemoryMarshal.Read<int>(payload) : Errno.EINVAL;
        if ((flags & Rtnl.NLM_F_ACK_TLVS) != 0 && payload.Length >= 4 + Rtnl.HeaderSize)
        {
            // struct nlmsgerr { int error; nlmsghdr msg; } — the original request follows unless capped.
            int origLen = (int)MemoryMarshal.Read<uint>(payload[4..]);
            int tlvStart = (flags & 0x100) != 0 ? 4 + Rtnl.HeaderSize : 4 + Rtnl.Align(origLen);
            if (tlvStart < payload.Length && Rtnl.TryGetAttribute(payload[tlvStart..], Rtnl.NLMSGERR_ATTR_MSG, out var msg))
            {
                kernelMessage = Rtnl.CString(msg);
            }
        }
        return error;
    }

    private void WaitReadable(long deadline, string operation)
    {
        long remaining = deadline - Environment.TickCount64;
        if (remaining <= 0)
        {
            throw new TimeoutException($"No rtnetlink reply to {operation} within {ReplyTimeout.TotalSeconds} s.");
        }
        pollfd pfd = default;
        pfd.fd = _fd.Fd;
        pfd.events = LibC.POLLIN;
        LibC.poll(&pfd, 1, (int)Math.Min(remaining, int.MaxValue));
    }

    public void Dispose() => _fd.Dispose();
}
