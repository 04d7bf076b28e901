using System.Net.Sockets;
using System.Text.RegularExpressions;
using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>
/// Every check that can refuse an instance, run before anything is opened or changed.
/// Static checks need no host; <see cref="Resolve"/> adds the host facts (interface, addresses).
/// </summary>
public static partial class InstanceValidator
{
    [GeneratedRegex("^[A-Za-z0-9_.:@-]{1,64}$")]
    private static partial Regex NamePattern();

    public static void ValidateStatic(InstanceDefinition d)
    {
        if (!NamePattern().IsMatch(d.Name))
        {
            throw new VrrpEngineException(EngineErrorIds.InvalidName,
                $"Instance name '{d.Name}' is not valid: use 1-64 letters, digits, '_', '-', '.', ':' or '@'.", d.Name);
        }
        if (d.VirtualRouterId is < 1 or > 255)
        {
            throw new VrrpEngineException(EngineErrorIds.VirtualRouterIdOutOfRange,
                $"({d.Name}) virtual router id {d.VirtualRouterId} is out of range: VRRP allows 1 to 255.", d.VirtualRouterId);
        }
        if (d.Priority is < 1 or > 255)
        {
            throw new VrrpEngineException(EngineErrorIds.PriorityOutOfRange,
                $"({d.Name}) priority {d.Priority} is out of range: use 1 to 254, or 255 for the address owner.", d.Priority);
        }
        ValidateInterval(d);
        if (d.VirtualAddresses.Count == 0)
        {
            throw new VrrpEngineException(EngineErrorIds.NoVirtualAddress,
                $"({d.Name}) has no virtual IP address: give at least one with -VirtualIPAddress.", d.Name);
        }
        int fit = MaxAdvertisedAddresses(d);
        if (d.VirtualAddresses.Count > fit)
        {
            throw new VrrpEngineException(EngineErrorIds.TooManyAddresses,
                $"({d.Name}) has {d.VirtualAddresses.Count} virtual addresses; one advertisement carries at most {fit} of this family "
                + "(255 by the protocol, and the packet must fit a 1500-byte MTU). Move the others to virtual_ipaddress_excluded "
                + "(-ExcludedIPAddress): they are held and announced with the VIPs, just not listed in adverts.", d.VirtualAddresses.Count);
        }
        var family = d.VirtualAddresses[0].Address.Family;
        foreach (var vip in d.VirtualAddresses)
        {
            if (vip.Address.Family != family)
            {
                throw new VrrpEngineException(EngineErrorIds.AddressFamilyMismatch,
                    $"({d.Name}) virtual address {vip.Address} is not of the same family as {d.VirtualAddresses[0].Address}: " +
                    "one VRRP instance carries IPv4 or IPv6 addresses, not both. Use two instances.", vip.Address.ToString());
            }
        }
        if (!d.MulticastGroup.IsEmpty && (d.MulticastGroup.Family != family || !d.MulticastGroup.IsMulticast))
        {
            throw new VrrpEngineException(EngineErrorIds.InvalidMulticastGroup,
                $"({d.Name}) multicast group {d.MulticastGroup} is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} multicast address (vrrp_mcast_group4/6).", d.MulticastGroup.ToString());
        }
        if (family == AddressFamily.InterNetworkV6 && d.Version == VrrpVersion.V2)
        {
            throw new VrrpEngineException(EngineErrorIds.AddressFamilyMismatch,
                $"({d.Name}) IPv6 virtual addresses need VRRP version 3 (RFC 5798); version 2 is IPv4 only.", d.Name);
        }
        foreach (var peer in d.UnicastPeers)
        {
            if (peer.Family != family)
            {
                throw new VrrpEngineException(EngineErrorIds.AddressFamilyMismatch,
                    $"({d.Name}) unicast peer {peer} is not of the instance's address family.", peer.ToString());
            }
        }
        if (!d.SourceAddress.IsEmpty && d.SourceAddress.Family != family)
        {
            throw new VrrpEngineException(EngineErrorIds.AddressFamilyMismatch,
                $"({d.Name}) source address {d.SourceAddress} is not of the instance's address family.", d.SourceAddress.ToString());
        }
        if (d.AuthenticationPassword is not null && d.Version != VrrpVersion.V2)
        {
            throw new VrrpEngineException(EngineErrorIds.AuthenticationNotSupported,
                $"({d.Name}) authentication is a VRRPv2 feature (RFC 3768); RFC 5798 removed it from version 3. " +
                "Remove the password or use -Version 2.", d.Name);
        }
    }

    /// <summary>Addresses one advert can list: 255 (count field), and IP header + VRRP header (+ v2 auth) within 1500 bytes.</summary>
    internal static int MaxAdvertisedAddresses(InstanceDefinition d)
    {
        bool v6 = d.VirtualAddresses.Count > 0 && d.VirtualAddresses[0].Address.IsIPv6;
        int room = 1500 - (v6 ? 40 : 20) - 8 - (d.Version == Protocol.VrrpVersion.V2 ? 8 : 0);
        return Math.Min(255, room / (v6 ? 16 : 4));
    }

    private static void ValidateInterval(InstanceDefinition d)
    {
        int cs = d.AdvertisementIntervalCentiseconds;
        if (d.Version == VrrpVersion.V2)
        {
            if (cs % 100 != 0 || cs < 100 || cs > VrrpConstants.V2MaxIntervalSeconds * 100)
            {
                throw new VrrpEngineException(EngineErrorIds.IntervalOutOfRange,
                    $"({d.Name}) advertisement interval {cs / 100.0} s is not valid for VRRPv2: whole seconds from 1 to 255.", cs / 100.0);
            }
        }
        else if (cs < 1 || cs > VrrpConstants.V3MaxIntervalCentiseconds)
        {
            throw new VrrpEngineException(EngineErrorIds.IntervalOutOfRange,
                $"({d.Name}) advertisement interval {cs / 100.0} s is not valid for VRRPv3: 0.01 to 40.95 s in steps of 0.01 s.", cs / 100.0);
        }
    }

    /// <summary>Host checks; <paramref name="running"/> are the instances the engine already runs.</summary>
    public static ResolvedInstance Resolve(InstanceDefinition d, INetworkPlatform platform, IEnumerable<InstanceDefinition> running)
    {
        ValidateStatic(d);
        var warnings = new List<string>();
        TrackingValidator.Validate(d, warnings.Add);
        foreach (var other in running)
        {
            if (string.Equals(other.Name, d.Name, StringComparison.Ordinal))
            {
                throw new VrrpEngineException(EngineErrorIds.DuplicateInstanceName,
                    $"An instance named '{d.Name}' is already running. Stop it first (Stop-VrrpInstance -Name {d.Name}) or choose another name.", d.Name);
            }
            if (other.VirtualRouterId == d.VirtualRouterId && other.Family == d.Family &&
                string.Equals(other.InterfaceName, d.InterfaceName, StringComparison.Ordinal))
            {
                throw new VrrpEngineException(EngineErrorIds.VirtualRouterIdInUse,
                    $"({d.Name}) virtual router id {d.VirtualRouterId} is already used on {d.InterfaceName} by instance '{other.Name}'.", d.VirtualRouterId);
            }
        }
        if (!platform.HasNetworkAdminRights)
        {
            throw new VrrpEngineException(EngineErrorIds.NotPrivileged,
                "Running a VRRP instance needs root or the capabilities CAP_NET_ADMIN and CAP_NET_RAW " +
                "(raw IP protocol 112 sockets, virtual addresses). Run pwsh as root, or grant the capabilities.", d.Name);
        }
        var iface = platform.FindInterface(d.InterfaceName) ?? throw new VrrpEngineException(EngineErrorIds.InterfaceNotFound,
            $"({d.Name}) interface '{d.InterfaceName}' does not exist on this host.", d.InterfaceName);

        bool owner = d.VirtualAddresses.Any(v => iface.Addresses.Any(a => a.Address == v.Address && !IsOurVip(a, d)));
        if (d.Priority == VrrpConstants.OwnerPriority && !owner)
        {
            string msg = $"({d.Name}) priority 255 is reserved for the router that owns the virtual address " +
                         $"(RFC 5798 §5.2.4), and no virtual address is configured on {d.InterfaceName}.";
            if (!d.KeepalivedCompatible)
            {
                throw new VrrpEngineException(EngineErrorIds.OwnerPriorityWithoutAddress,
                    msg + " Use a priority of 254 or lower, or configure the address on the interface.", d.Priority);
            }
            warnings.Add(msg + " Acting as owner anyway, as keepalived does.");
        }

        IpAddressValue source = d.SourceAddress;
        if (source.IsEmpty)
        {
            source = PickSourceAddress(iface, d, running.ToList(), out IpAddressValue skippedVip);
            if (source.IsEmpty)
            {
                throw NoSource(d, skippedVip);
            }
        }
        return new ResolvedInstance(d, iface, source, d.Priority == VrrpConstants.OwnerPriority, warnings);
    }

    private static VrrpEngineException NoSource(InstanceDefinition d, IpAddressValue skippedVip)
    {
        string kind = d.Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6 link-local";
        if (skippedVip.IsEmpty)
        {
            return new VrrpEngineException(EngineErrorIds.NoSourceAddress,
                $"({d.Name}) interface {d.InterfaceName} has no {kind} address to send advertisements from.", d.InterfaceName);
        }
        return new VrrpEngineException(EngineErrorIds.NoSourceAddress,
            $"({d.Name}) the only {kind} address on {d.InterfaceName} is the virtual address {skippedVip}, and with priority " +
            $"{d.Priority} this router does not own it: a Backup gives the VIP up, so it cannot advertise from it. " +
            "If this host owns the address, use priority 255 (RFC 5798 §5.2.4); otherwise add an address of its own to " +
            $"{d.InterfaceName} or set the source address (unicast_src_ip / mcast_src_ip, -UnicastSourceAddress).", skippedVip.ToString());
    }

    // An address equal to a VIP of this instance, with the VIP's prefix, may be a leftover of a crashed
    // run of the same instance: it does not make us the owner (it is removed at start instead).
    private static bool IsOurVip(InterfaceAddress a, InstanceDefinition d) =>
        d.Priority != VrrpConstants.OwnerPriority && d.AllAddresses.Any(v => v.Address == a.Address && v.PrefixLength == a.PrefixLength);

    /// <summary>
    /// The address adverts come from when none is configured, as keepalived chooses it: the first
    /// address of the family on the interface in the kernel's order (for IPv4 the primary address
    /// comes first), for IPv6 the first link-local (RFC 5798 §5.1.2.1). Like keepalived, only VIPs
    /// installed by this daemon are passed over: a leftover of this instance (removed at start, see
    /// <see cref="IsOurVip"/>) and the VIPs of instances already running on the interface. An owner's
    /// VIP is its real address (RFC 5798 §1, §5.2.4) and may be the source.
    /// </summary>
    private static IpAddressValue PickSourceAddress(NetworkInterfaceInfo iface, InstanceDefinition d,
        IReadOnlyList<InstanceDefinition> running, out IpAddressValue skippedVip)
    {
        skippedVip = default;
        foreach (var a in iface.Addresses)
        {
            bool family = d.Family == AddressFamily.InterNetwork
                ? a.Address.IsIPv4
                : a.Address.IsIPv6 && IsLinkLocal(a.Address);
            if (!family)
            {
                continue;
            }
            if (IsOurVip(a, d) || running.Any(r => string.Equals(r.InterfaceName, d.InterfaceName, StringComparison.Ordinal) &&
                                                   r.AllAddresses.Any(v => v.Address == a.Address)))
            {
                skippedVip = skippedVip.IsEmpty ? a.Address : skippedVip;
                continue;
            }
            return a.Address;
        }
        return default;
    }

    internal static bool IsLinkLocal(IpAddressValue a)
    {
        Span<byte> b = stackalloc byte[16];
        a.WriteBytes(b);
        return a.IsIPv6 && b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
    }
}
