namespace VrrpPS.Config;

/// <summary>keepalived's `old_unicast_checksum` for a unicast VRRPv3 IPv4 instance: which destination address its checksum
/// pseudo-header carries (keepalived before 2.0.0 used the multicast group, later releases the peer's unicast address).</summary>
public enum VrrpUnicastChecksum
{
    /// <summary>Not set: the unicast destination (keepalived also switches to the old form when a peer sends it).</summary>
    Auto,
    /// <summary>`old_unicast_checksum never`: the unicast destination, never switching.</summary>
    Never,
    /// <summary>`old_unicast_checksum`: the pseudo-header stays, with the multicast group (224.0.0.18) as its destination.</summary>
    Old,
}
