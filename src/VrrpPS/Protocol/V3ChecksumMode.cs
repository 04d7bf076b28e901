namespace VrrpPS.Protocol;

/// <summary>
/// How a VRRPv3 IPv4 checksum is computed. keepalived and FRR include an IPv4 pseudo-header by
/// default; RFC 9568 (and Cisco/Juniper, keepalived <c>v3_checksum_as_v2</c>) do not.
/// IPv6 always uses the IPv6 pseudo-header; v2 never uses one.
/// </summary>
public enum V3ChecksumMode
{
    PseudoHeader,
    NoPseudoHeader,
    /// <summary>keepalived <c>old_unicast_checksum</c> (and keepalived before 2.0 for unicast): the IPv4 pseudo-header with
    /// the VRRP multicast group 224.0.0.18 as destination, whatever the packet's real (unicast) destination is.</summary>
    PseudoHeaderMulticastGroup,
}
