using System.Net;

namespace VrrpPS.Firewall;

/// <summary>What the caller wants: VRRP (IP protocol 112) accepted, optionally per interface / from peers.</summary>
public sealed class FirewallVrrpRequest
{
    /// <summary>Validated interface name, or null for any interface.</summary>
    public string? Interface { get; init; }

    /// <summary>Unicast peers; empty means the multicast group (224.0.0.18 / ff02::12).</summary>
    public IReadOnlyList<IPAddress> Peers { get; init; } = [];

    public VrrpAddressFamily AddressFamily { get; init; } = VrrpAddressFamily.Both;

    /// <summary>Custom groups (keepalived mcast_group4/6), at most one per family; default 224.0.0.18 / ff02::12.</summary>
    public IReadOnlyList<IPAddress> MulticastGroups { get; init; } = [];

    public bool Remove { get; init; }

    /// <summary>firewalld: also change the permanent configuration.</summary>
    public bool Permanent { get; init; }

    /// <summary>firewalld zone; null means the interface's zone or the default zone.</summary>
    public string? Zone { get; init; }
}
