using System.Net.Sockets;
using VrrpPS.Protocol;

namespace VrrpPS.Engine;

// Host-side effects of an instance beyond its addresses: the virtual MAC link (use_vmac), the
// Accept_Mode filter (no_accept) and routes/rules. Platforms that cannot do them return null from
// the INetworkPlatform members, and an instance that needs them is refused at start.

/// <summary>A macvlan carrying an instance's virtual MAC (RFC 5798 §7.3: 00-00-5E-00-01-{VRID}, IPv6 00-00-5E-00-02-{VRID}).</summary>
public sealed record VirtualMacLinkSpec(string Name, int BaseInterfaceIndex, string BaseInterfaceName, byte VirtualRouterId, AddressFamily Family)
{
    /// <summary>The RFC 5798 §7.3 MAC of the virtual router.</summary>
    public byte[] MacAddress => [0x00, 0x00, 0x5e, 0x00, (byte)(Family == AddressFamily.InterNetworkV6 ? 0x02 : 0x01), VirtualRouterId];

    /// <summary>keepalived's default name: vrrp.{VRID}, for IPv4 and IPv6 alike.</summary>
    public static string DefaultName(byte vrid) => "vrrp." + vrid.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public interface IVirtualMacLinks
{
    /// <summary>Creates the macvlan (a link of that name left by an earlier run is replaced), sets the
    /// sysctls keepalived sets, brings it up and returns it.</summary>
    NetworkInterfaceInfo Create(VirtualMacLinkSpec spec);

    /// <summary>Deletes the macvlan; an absent link is not an error. Returns true when deleted.</summary>
    bool Delete(string name);
}

/// <summary>RFC 5798 §6.4.3 Accept_Mode false: a non-owner Master drops packets addressed to its VIPs.</summary>
public interface IAcceptModeFilter
{
    /// <summary>Drops traffic to <paramref name="addresses"/> (except IPv6 neighbour discovery); replaces
    /// what was installed for <paramref name="instance"/> before (idempotent).</summary>
    void Block(string instance, IReadOnlyList<IpAddressValue> addresses);

    /// <summary>Removes what <see cref="Block"/> installed for the instance; nothing installed is not an error.</summary>
    void Unblock(string instance);
}
