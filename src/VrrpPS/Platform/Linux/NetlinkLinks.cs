using System.Runtime.InteropServices;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>Reads link (interface) state with RTM_GETLINK and parses RTM_NEWLINK/DELLINK messages.</summary>
internal static class NetlinkLinks
{
    private const int IfinfomsgSize = 16;

    /// <summary>Up for VRRP means administratively up, and the carrier is present (operationally running).</summary>
    public static bool IsUp(uint flags) =>
        (flags & (Rtnl.IFF_UP | Rtnl.IFF_RUNNING | Rtnl.IFF_LOWER_UP)) == (Rtnl.IFF_UP | Rtnl.IFF_RUNNING | Rtnl.IFF_LOWER_UP);

    public static bool TryParse(ReadOnlySpan<byte> payload, out int index, out uint flags, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> mac)
    {
        name = default;
        mac = default;
        index = 0;
        flags = 0;
        if (payload.Length < IfinfomsgSize)
        {
            return false;
        }
        // struct ifinfomsg { u8 family; u8 pad; u16 type; int index; unsigned flags; unsigned change }
        index = MemoryMarshal.Read<int>(payload[4..]);
        flags = MemoryMarshal.Read<uint>(payload[8..]);
        ReadOnlySpan<byte> attrs = payload[IfinfomsgSize..];
        if (Rtnl.TryGetAttribute(attrs, Rtnl.IFLA_IFNAME, out var n))
        {
            int nul = n.IndexOf((byte)0);
            name = nul >= 0 ? n[..nul] : n;
        }
        if (Rtnl.TryGetAttribute(attrs, Rtnl.IFLA_ADDRESS, out var a))
        {
            mac = a;
        }
        return true;
    }

    /// <summary>Looks an interface up by name (index 0) or index; null when it does not exist.</summary>
    public static NetworkInterfaceInfo? Find(string? name, int index, IAddressManager addresses)
    {
        using NetlinkSocket nl = NetlinkSocket.Open(0, nonBlocking: false);
        Span<byte> buf = stackalloc byte[64];
        var w = new NetlinkWriter(buf, Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST);
        Span<byte> ifi = w.Reserve(IfinfomsgSize);
        MemoryMarshal.Write(ifi[4..], index);
        if (name is not null)
        {
            w.Attribute(Rtnl.IFLA_IFNAME, name);
        }
        NetworkInterfaceInfo? found = null;
        int errno = nl.Transact(w.Finish(nl.NextSequence()), "RTM_GETLINK", (type, payload) =>
        {
            if (type == Rtnl.RTM_NEWLINK && TryParse(payload, out int i, out uint flags, out var n, out var mac))
            {
                found = new NetworkInterfaceInfo(i, Rtnl.CString(n), IsUp(flags), mac.ToArray(), Array.Empty<InterfaceAddress>());
            }
        }, out string? msg);
        if (errno == Errno.ENODEV || errno == Errno.ENOENT)
        {
            return null;
        }
        if (errno != 0)
        {
            throw new NetlinkException($"RTM_GETLINK {name ?? index.ToString()}", errno, msg);
        }
        if (found is null)
        {
            return null;
        }
        return found with { Addresses = addresses.List(found.Index) };
    }
}
