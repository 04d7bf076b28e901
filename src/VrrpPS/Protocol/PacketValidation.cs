namespace VrrpPS.Protocol;

/// <summary>
/// Outcome of validating a received VRRP message (RFC 3768 §7.1, RFC 5798/9568 §7.1). Parsing
/// never throws on wire input: every rejection is one of these reasons, which callers count
/// (FRR's vrrpd does the same). <see cref="VrrpCodec.TryParse"/> checks in this order and
/// returns the first failure: length → version → type → address family → length vs count →
/// checksum → TTL → interval → address count → authentication.
/// </summary>
public enum PacketValidation
{
    Ok = 0,
    /// <summary>Shorter than the 8-byte fixed header.</summary>
    TooShort,
    /// <summary>Version field is neither 2 nor 3.</summary>
    BadVersion,
    /// <summary>Version is valid but not the one the receiver is configured for.</summary>
    VersionMismatch,
    /// <summary>Type is not 1 (ADVERTISEMENT); RFC 3768 §5.3.2, RFC 5798 §5.2.2.</summary>
    BadType,
    /// <summary>VRRPv2 over IPv6, or the receiving context has no IPv4/IPv6 family.</summary>
    WrongAddressFamily,
    /// <summary>Message length differs from what Count IPvX Addrs implies.</summary>
    LengthMismatch,
    BadChecksum,
    /// <summary>TTL / Hop Limit is not 255 (RFC 3768 §7.1, RFC 5798 §7.1).</summary>
    BadTtl,
    /// <summary>Advertisement interval field is 0.</summary>
    ZeroInterval,
    /// <summary>Count IPvX Addrs is 0.</summary>
    NoAddresses,
    /// <summary>VRRPv2 auth type or simple-text password differs from the configured one.</summary>
    AuthMismatch,
    /// <summary>VRRPv2 auth type 2 (IP Authentication Header) or an unknown auth type.</summary>
    UnsupportedAuth,
}
