namespace VrrpPS.Protocol;

/// <summary>
/// VRRPv2 Authentication Type (RFC 3768 §5.3.6; RFC 2338's types, kept for keepalived), named as
/// keepalived's <c>auth_type</c> names them: one enum for the wire, the configuration and the output.
/// VRRPv3 has no authentication.
/// </summary>
public enum VrrpAuthType : byte
{
    None = 0,
    /// <summary>Simple text password, 8 bytes (keepalived <c>auth_type PASS</c>).</summary>
    Pass = 1,
    /// <summary>IP Authentication Header (keepalived <c>auth_type AH</c>); parsed, not supported.</summary>
    Ah = 2,
}
