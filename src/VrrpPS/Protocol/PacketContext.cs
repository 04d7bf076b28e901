using System.Net.Sockets;

namespace VrrpPS.Protocol;

/// <summary>
/// What the receiver knows about a VRRP message besides its bytes: the IP header fields
/// (family, source, destination, TTL / Hop Limit) and the local configuration the message is
/// checked against. The constructor sets the strict defaults of RFC 3768/5798 §7.1 (TTL must be
/// 255, no authentication, v3 IPv4 checksum with pseudo-header as keepalived and FRR send it);
/// relax them with <c>with</c> / object initialisers. A plain value: store it, no allocation.
/// </summary>
public readonly struct PacketContext
{
    public PacketContext(IpAddressValue source, IpAddressValue destination, byte ttl)
    {
        Family = source.Family;
        Source = source;
        Destination = destination;
        Ttl = ttl;
        CheckTtl = true;
        ChecksumMode = V3ChecksumMode.PseudoHeader;
        CheckAuthentication = true;
        ExpectedAuthType = VrrpAuthType.None;
    }

    /// <summary>Family of the socket the message arrived on (decides the address size).</summary>
    public AddressFamily Family { get; init; }
    /// <summary>IP source address (part of the v3 checksum pseudo-header).</summary>
    public IpAddressValue Source { get; init; }
    /// <summary>IP destination address (224.0.0.18, ff02::12 or a unicast peer).</summary>
    public IpAddressValue Destination { get; init; }
    /// <summary>Received IPv4 TTL or IPv6 Hop Limit.</summary>
    public byte Ttl { get; init; }
    /// <summary>Require TTL 255 (RFC 3768 §7.1, RFC 5798 §7.1). keepalived can relax it for unicast.</summary>
    public bool CheckTtl { get; init; }
    /// <summary>Version the receiver runs; <c>null</c> accepts 2 and 3 (passive watching).</summary>
    public VrrpVersion? ExpectedVersion { get; init; }
    /// <summary>How a v3 IPv4 checksum is verified. Ignored for v2 and IPv6.</summary>
    public V3ChecksumMode ChecksumMode { get; init; }
    /// <summary>Accept a v3 IPv4 checksum computed either way (passive watching).</summary>
    public bool AcceptEitherV3ChecksumMode { get; init; }
    /// <summary>Check the VRRPv2 auth type and password. Off for passive watching.</summary>
    public bool CheckAuthentication { get; init; }
    /// <summary>Configured VRRPv2 auth type (RFC 3768 §5.3.6).</summary>
    public VrrpAuthType ExpectedAuthType { get; init; }
    /// <summary>Configured password when <see cref="ExpectedAuthType"/> is SimplePassword.</summary>
    public VrrpPassword ExpectedPassword { get; init; }
}
