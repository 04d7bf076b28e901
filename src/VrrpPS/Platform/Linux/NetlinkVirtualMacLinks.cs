using System.Globalization;
using System.Runtime.InteropServices;
using Tmds.Linux;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>
/// use_vmac: a macvlan (mode private, as keepalived creates it) on the instance's interface with the
/// RFC 5798 §7.3 virtual MAC, made with rtnetlink (RTM_NEWLINK kind "macvlan"). Sysctls as keepalived
/// sets them: on the macvlan arp_ignore=1 (answer ARP only for its own addresses, the VIPs), and for
/// IPv4 accept_local=1 and rp_filter=0 (it has no address of its own); IPv6 address generation off
/// (no link-local from the shared MAC, so no DAD or MLD from it); on the base interface arp_ignore=1 and
/// arp_filter=1 so only the macvlan answers for the VIPs, and (beyond keepalived) arp_announce=2: replies
/// from a VIP leave by the base interface's route, and its ARP requests must not name the VIP as sender, or
/// hosts would re-learn the VIP at the base MAC. The base interface's values are restored
/// when the last macvlan on it is deleted. IGMP/MLD reports leaving by the macvlan are dropped with nftables
/// (<see cref="VrrpPS.Firewall.NftVirtualMacReportFilter"/>, as keepalived's firewall does) when nft is installed.
/// Acts in the network namespace of the calling thread.
/// </summary>
internal sealed class NetlinkVirtualMacLinks(LinuxNetworkPlatform platform) : IVirtualMacLinks
{
    private const int IfinfomsgSize = 16;
    private static readonly string[] BaseKeys = ["arp_ignore", "arp_filter", "arp_announce"];
    private static readonly string[] BaseValues = ["1", "1", "2"];
    private readonly Dictionary<string, (string?[] Saved, List<string> Links)> _bases = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly VrrpPS.Firewall.NftVirtualMacReportFilter _reports = new(new VrrpPS.Firewall.ProcessCommandRunner());

    public NetworkInterfaceInfo Create(VirtualMacLinkSpec spec)
    {
        if (platform.FindInterface(spec.Name) is { } existing)
        {
            string? kind = LinkKind(existing.Index);
            if (kind != "macvlan")
            {
                throw new InvalidOperationException($"Interface {spec.Name} exists and is not a macvlan ({kind ?? "no kind"}): choose another use_vmac name.");
            }
            Delete(spec.Name); // left by an earlier run (crash): re-created with our settings
        }
        bool v6 = spec.Family == System.Net.Sockets.AddressFamily.InterNetworkV6;
        Span<byte> buf = stackalloc byte[256];
        using (NetlinkSocket nl = NetlinkSocket.Open(0, nonBlocking: false))
        {
            var w = new NetlinkWriter(buf, Rtnl.RTM_NEWLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL);
            w.Reserve(IfinfomsgSize);
            w.Attribute(Rtnl.IFLA_IFNAME, spec.Name);
            w.Attribute(Rtnl.IFLA_LINK, (uint)spec.BaseInterfaceIndex);
            w.Attribute(Rtnl.IFLA_ADDRESS, spec.MacAddress);
            int info = w.BeginNested(Rtnl.IFLA_LINKINFO);
            w.Attribute(Rtnl.IFLA_INFO_KIND, "macvlan");
            int data = w.BeginNested(Rtnl.IFLA_INFO_DATA);
            w.Attribute(Rtnl.IFLA_MACVLAN_MODE, Rtnl.MACVLAN_MODE_PRIVATE);
            w.EndNested(data);
            w.EndNested(info);
            Check(nl.Transact(w.Finish(nl.NextSequence()), "RTM_NEWLINK macvlan", null, out string? msg), $"RTM_NEWLINK macvlan {spec.Name}", msg);
        }
        NetworkInterfaceInfo link = platform.FindInterface(spec.Name) ?? throw new InvalidOperationException($"macvlan {spec.Name} vanished after its creation.");
        try
        {
            // Before it goes up: no link-local generated from the shared MAC (IN6_ADDR_GEN_MODE_NONE), so no DAD or MLD from it.
            if (Directory.Exists("/proc/sys/net/ipv6/conf/" + spec.Name))
            {
                Sysctl(6, spec.Name, "addr_gen_mode", "1");
                Sysctl(6, spec.Name, "accept_dad", "0");
            }
            Sysctl(4, spec.Name, "arp_ignore", "1");
            if (!v6)
            {
                Sysctl(4, spec.Name, "accept_local", "1");
                Sysctl(4, spec.Name, "rp_filter", "0");
            }
            ClaimBase(spec.BaseInterfaceName, spec.Name);
            if (_reports.Available)
            {
                _reports.Block(spec.Name); // before it goes up and before the VRRP socket joins its group on it
            }
            SetUp(link.Index);
        }
        catch
        {
            Delete(spec.Name);
            throw;
        }
        return platform.FindInterface(link.Index) ?? link;
    }

    public bool Delete(string name)
    {
        Span<byte> buf = stackalloc byte[64];
        using NetlinkSocket nl = NetlinkSocket.Open(0, nonBlocking: false);
        var w = new NetlinkWriter(buf, Rtnl.RTM_DELLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK);
        w.Reserve(IfinfomsgSize);
        w.Attribute(Rtnl.IFLA_IFNAME, name);
        int errno = nl.Transact(w.Finish(nl.NextSequence()), "RTM_DELLINK", null, out string? msg);
        ReleaseBase(name);
        if (_reports.Available)
        {
            _reports.Unblock(name);
        }
        if (errno == Errno.ENODEV || errno == Errno.ENOENT)
        {
            return false;
        }
        Check(errno, $"RTM_DELLINK {name}", msg);
        return true;
    }

    // arp_ignore/arp_filter/arp_announce on the base: set while a macvlan of ours is on it, the old values back after the last.
    private void ClaimBase(string baseName, string link)
    {
        lock (_gate)
        {
            if (!_bases.TryGetValue(baseName, out var b))
            {
                b = (BaseKeys.Select(k => ReadSysctl(baseName, k)).ToArray(), []);
                _bases[baseName] = b;
            }
            if (!b.Links.Contains(link))
            {
                b.Links.Add(link);
            }
        }
        for (int i = 0; i < BaseKeys.Length; i++)
        {
            Sysctl(4, baseName, BaseKeys[i], BaseValues[i]);
        }
    }

    private void ReleaseBase(string link)
    {
        lock (_gate)
        {
            foreach (var (baseName, b) in _bases.ToList())
            {
                if (b.Links.Remove(link) && b.Links.Count == 0)
                {
                    _bases.Remove(baseName);
                    for (int i = 0; i < BaseKeys.Length; i++)
                    {
                        TryRestore(baseName, BaseKeys[i], b.Saved[i]);
                    }
                }
            }
        }
    }

    private static void TryRestore(string iface, string key, string? value)
    {
        try
        {
            if (value is not null)
            {
                Sysctl(4, iface, key, value);
            }
        }
        catch (IOException)
        {
            // the base interface itself is gone: nothing to restore
        }
    }

    private static string SysctlPath(int ipVersion, string iface, string key) =>
        $"/proc/sys/net/ipv{ipVersion.ToString(CultureInfo.InvariantCulture)}/conf/{iface}/{key}";

    private static void Sysctl(int ipVersion, string iface, string key, string value) => File.WriteAllText(SysctlPath(ipVersion, iface, key), value);

    private static string? ReadSysctl(string iface, string key)
    {
        try
        {
            return File.ReadAllText(SysctlPath(4, iface, key)).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void SetUp(int index)
    {
        Span<byte> buf = stackalloc byte[64];
        using NetlinkSocket nl = NetlinkSocket.Open(0, nonBlocking: false);
        var w = new NetlinkWriter(buf, Rtnl.RTM_NEWLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK);
        Span<byte> ifi = w.Reserve(IfinfomsgSize);
        MemoryMarshal.Write(ifi[4..], index);
        MemoryMarshal.Write(ifi[8..], Rtnl.IFF_UP);   // ifi_flags
        MemoryMarshal.Write(ifi[12..], Rtnl.IFF_UP);  // ifi_change
        Check(nl.Transact(w.Finish(nl.NextSequence()), "RTM_NEWLINK up", null, out string? msg), $"RTM_NEWLINK up ifindex {index}", msg);
    }

    /// <summary>IFLA_INFO_KIND of a link ("macvlan", "veth"…); null for plain devices.</summary>
    private static string? LinkKind(int index)
    {
        Span<byte> buf = stackalloc byte[64];
        using NetlinkSocket nl = NetlinkSocket.Open(0, nonBlocking: false);
        var w = new NetlinkWriter(buf, Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST);
        Span<byte> ifi = w.Reserve(IfinfomsgSize);
        MemoryMarshal.Write(ifi[4..], index);
        string? kind = null;
        int errno = nl.Transact(w.Finish(nl.NextSequence()), "RTM_GETLINK", (type, payload) =>
        {
            if (type == Rtnl.RTM_NEWLINK && payload.Length >= IfinfomsgSize
                && Rtnl.TryGetAttribute(payload[IfinfomsgSize..], Rtnl.IFLA_LINKINFO, out var info)
                && Rtnl.TryGetAttribute(info, Rtnl.IFLA_INFO_KIND, out var k))
            {
                kind = Rtnl.CString(k);
            }
        }, out string? msg);
        Check(errno, $"RTM_GETLINK ifindex {index}", msg);
        return kind;
    }

    private static void Check(int errno, string operation, string? kernelMessage)
    {
        if (errno != 0)
        {
            throw new NetlinkException(operation, errno, kernelMessage);
        }
    }
}
