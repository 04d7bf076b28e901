using System.Net.Sockets;
using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>What a VRRP socket is bound to.</summary>
public sealed record VrrpSocketOptions(
    AddressFamily Family,
    int InterfaceIndex,
    string InterfaceName)
{
    /// <summary>Group to join (224.0.0.18 / ff02::12) when multicast; null for unicast-only.</summary>
    public IpAddressValue? MulticastGroup { get; init; }

    /// <summary>Source address to send from (unicast_src_ip / mcast_src_ip); empty = kernel choice.</summary>
    public IpAddressValue SourceAddress { get; init; }

    /// <summary>Deliver only this VRID's messages (a kernel filter, so N instances do not each read every advert); 0 = all.</summary>
    public byte VirtualRouterId { get; init; }

    /// <summary>Passive capture (Watch-VrrpAdvertisement): receive everything on the interface.</summary>
    public bool Passive { get; init; }

    /// <summary>
    /// Send only: joins no group and receives nothing, so the kernel does not hand every advert on the LAN to every
    /// instance's socket (N VRIDs would cost N copies of each advert). A multicast instance sends on its own socket
    /// and the engine reads its adverts from the one receive socket of its interface, family and group.
    /// </summary>
    public bool SendOnly { get; init; }
}
