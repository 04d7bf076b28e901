using System.Runtime.InteropServices;
using Tmds.Linux;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// Adds and removes virtual addresses with rtnetlink (RTM_NEWADDR / RTM_DELADDR), the way
/// <c>ip addr add/del</c> and keepalived's netlink code do. Every call opens a short-lived
/// netlink socket, so it acts in the network namespace of the calling thread.
/// </summary>
internal sealed class NetlinkAddressManager : IAddressManager
{
    private const int IfaddrmsgSize = 8;
    private const uint InfinityLifetime = 0xffffffff;

    public bool Add(int interfaceIndex, VirtualAddressSpec address)
    {
        // NLM_F_EXCL: an address already present answers EEXIST, which means "nothing to do".
        int errno = Send(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, interfaceIndex, address, out string? msg);
        return errno switch
        {
            0 => true,
            Errno.EEXIST => false,
            _ => throw new NetlinkException($"RTM_NEWADDR {Describe(address)} on ifindex {interfaceIndex}", errno, msg),
        };
    }

    public bool Remove(int interfaceIndex, VirtualAddressSpec address)
    {
        int errno = Send(Rtnl.RTM_DELADDR, 0, interfaceIndex, address, out string? msg);
        return errno switch
        {
            0 => true,
            Errno.EADDRNOTAVAIL or Errno.ENOENT or Errno.ESRCH => false,
            _ => throw new NetlinkException($"RTM_DELADDR {Describe(address)} on ifindex {interfaceIndex}", errno, msg),
        };
    }

    public IReadOnlyList<InterfaceAddress> List(int interfaceIndex)
    {
        var result = new List<InterfaceAddress>();
        using NetlinkSocket nl = NetlinkSocket.Open(0, nonBlocking: false);
        Span<byte> buf = stackalloc byte[64];
        var w = new NetlinkWriter(buf, Rtnl.RTM_GETADDR, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP);
        w.Reserve(IfaddrmsgSize); // family AF_UNSPEC: both IPv4 and IPv6
        int errno = nl.Transact(w.Finish(nl.NextSequence()), "RTM_GETADDR", (type, payload) =>
        {
            if (type == Rtnl.RTM_NEWADDR && TryParse(payload, out int index, out InterfaceAddress a) && index == interfaceIndex)
            {
                result.Add(a);
            }
        }, out string? msg);
        if (errno != 0)
        {
            throw new NetlinkException("RTM_GETADDR", errno, msg);
        }
        return result;
    }

    /// <summary>Parses one ifaddrmsg + attributes; IFA_LOCAL wins over IFA_ADDRESS (peer) for IPv4.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> payload, out int index, out InterfaceAddress address)
    {
        address = default;
        index = 0;
        if (payload.Length < IfaddrmsgSize)
        {
            return false;
        }
        byte family = payload[0];
        byte prefix = payload[1];
        index = MemoryMarshal.Read<int>(payload[4..]);
        ReadOnlySpan<byte> attrs = payload[IfaddrmsgSize..];
        int len = family == LibC.AF_INET ? 4 : family == LibC.AF_INET6 ? 16 : 0;
        if (len == 0)
        {
            return false;
        }
        if (!Rtnl.TryGetAttribute(attrs, Rtnl.IFA_LOCAL, out var raw) && !Rtnl.TryGetAttribute(attrs, Rtnl.IFA_ADDRESS, out raw))
        {
            return false;
        }
        if (raw.Length != len)
        {
            return false;
        }
        string? label = Rtnl.TryGetAttribute(attrs, Rtnl.IFA_LABEL, out var l) ? Rtnl.CString(l) : null;
        address = new InterfaceAddress(IpAddressValue.FromBytes(raw), prefix, label);
        return true;
    }

    private static int Send(ushort type, ushort extraFlags, int interfaceIndex, VirtualAddressSpec spec, out string? kernelMessage)
    {
        Validate(spec);
        bool v6 = spec.Address.IsIPv6;
        using NetlinkSocket nl = NetlinkSocket.Open(0, nonBlocking: false);
        Span<byte> buf = stackalloc byte[256];
        var w = new NetlinkWriter(buf, type, (ushort)(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | extraFlags));
        Span<byte> ifa = w.Reserve(IfaddrmsgSize);
        ifa[0] = (byte)(v6 ? LibC.AF_INET6 : LibC.AF_INET);
        ifa[1] = (byte)spec.PrefixLength;
        ifa[2] = (byte)(v6 ? Rtnl.IFA_F_NODAD : 0);
        ifa[3] = spec.Scope;
        MemoryMarshal.Write(ifa[4..], interfaceIndex);

        Span<byte> local = stackalloc byte[16];
        int n = spec.Address.WriteBytes(local);
        w.Attribute(Rtnl.IFA_LOCAL, local[..n]);
        Span<byte> other = stackalloc byte[16];
        if (spec.Peer is { } peer)
        {
            w.Attribute(Rtnl.IFA_ADDRESS, other[..peer.WriteBytes(other)]);
        }
        else
        {
            w.Attribute(Rtnl.IFA_ADDRESS, local[..n]);
        }
        if (type == Rtnl.RTM_NEWADDR)
        {
            if (!v6 && spec.Label is { Length: > 0 } label)
            {
                w.Attribute(Rtnl.IFA_LABEL, label);
            }
            if (!v6 && spec.Broadcast is { } brd)
            {
                w.Attribute(Rtnl.IFA_BROADCAST, other[..brd.WriteBytes(other)]);
            }
            if (v6)
            {
                // A VIP must be usable at once (RFC 5798 §8.2.2 notes DAD would delay takeover).
                w.Attribute(Rtnl.IFA_FLAGS, Rtnl.IFA_F_NODAD);
            }
            if (spec.Deprecated)
            {
                // struct ifa_cacheinfo { u32 ifa_prefered; u32 ifa_valid; u32 cstamp; u32 tstamp }
                Span<byte> ci = stackalloc byte[16];
                ci.Clear();
                MemoryMarshal.Write(ci, 0u);
                MemoryMarshal.Write(ci[4..], InfinityLifetime);
                w.Attribute(Rtnl.IFA_CACHEINFO, ci);
            }
        }
        return nl.Transact(w.Finish(nl.NextSequence()), type == Rtnl.RTM_NEWADDR ? "RTM_NEWADDR" : "RTM_DELADDR", null, out kernelMessage);
    }

    private static void Validate(VirtualAddressSpec spec)
    {
        int max = spec.Address.IsIPv4 ? 32 : spec.Address.IsIPv6 ? 128 : -1;
        if (max < 0)
        {
            throw new ArgumentException("The virtual address is empty.", nameof(spec));
        }
        if (spec.PrefixLength < 0 || spec.PrefixLength > max)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"Prefix length {spec.PrefixLength} is outside 0..{max}.");
        }
        if (spec.Peer is { } p && p.Family != spec.Address.Family)
        {
            throw new ArgumentException("Peer address family differs from the address.", nameof(spec));
        }
        if (spec.Broadcast is { } b && !b.IsIPv4)
        {
            throw new ArgumentException("A broadcast address is IPv4 only.", nameof(spec));
        }
        if (spec.Label is { Length: > 15 })
        {
            throw new ArgumentException($"Label '{spec.Label}' is longer than 15 characters.", nameof(spec));
        }
    }

    private static string Describe(VirtualAddressSpec a) => $"{a.Address}/{a.PrefixLength}";
}
