using System.Net.Sockets;

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
