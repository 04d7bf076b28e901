using System.Management.Automation;
using System.Net;
using System.Net.NetworkInformation;
using System.Text.RegularExpressions;

namespace VrrpPS.Firewall;

/// <summary>Validates user input before any tool runs.</summary>
public static partial class FirewallInputValidator
{
    // Linux dev_valid_name: 1..15 bytes (IFNAMSIZ 16 incl. NUL), no '/', ':' or whitespace.
    // We are stricter (letters, digits, '.', '_', '-') so a name is always safe inside a rule.
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,15}$")]
    private static partial Regex InterfaceNameRegex();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,17}$")]
    private static partial Regex ZoneNameRegex();

    [GeneratedRegex("^[0-9A-Fa-f:.]{2,45}$")]
    private static partial Regex AddressCharsRegex();

    public static string ValidateInterfaceName(string name, Func<string, bool> interfaceExists)
    {
        if (!InterfaceNameRegex().IsMatch(name) || name is "." or "..")
        {
            throw new FirewallException(FirewallErrorIds.InvalidInterfaceName, ErrorCategory.InvalidArgument,
                $"'{name}' is not a valid interface name (1-15 characters: letters, digits, '.', '_', '-').", name);
        }
        if (!interfaceExists(name))
        {
            throw new FirewallException(FirewallErrorIds.InterfaceNotFound, ErrorCategory.ObjectNotFound,
                $"Interface '{name}' does not exist in this network namespace.", name);
        }
        return name;
    }

    public static string ValidateZone(string zone) => ZoneNameRegex().IsMatch(zone)
        ? zone
        : throw new FirewallException(FirewallErrorIds.InvalidZoneName, ErrorCategory.InvalidArgument,
            $"'{zone}' is not a valid firewalld zone name (1-17 characters: letters, digits, '_', '-').", zone);

    /// <summary>A unicast peer: a literal IPv4 (dotted quad) or IPv6 address, no scope, prefix or name.</summary>
    public static IPAddress ParsePeer(string text)
    {
        string t = text.Trim();
        bool ok = AddressCharsRegex().IsMatch(t) && IPAddress.TryParse(t, out IPAddress? ip)
            && (t.Contains(':') || t.Count(c => c == '.') == 3);
        IPAddress? parsed = ok ? IPAddress.Parse(t) : null;
        if (parsed is null || IPAddress.Any.Equals(parsed) || IPAddress.IPv6Any.Equals(parsed)
            || IPAddress.Broadcast.Equals(parsed) || IsMulticast(parsed))
        {
            throw new FirewallException(FirewallErrorIds.InvalidPeerAddress, ErrorCategory.InvalidArgument,
                $"'{text}' is not a unicast IPv4 or IPv6 address.", text);
        }
        return parsed;
    }

    /// <summary>A custom multicast group (keepalived mcast_group4 / mcast_group6).</summary>
    public static IPAddress ParseMulticastGroup(string text)
    {
        string t = text.Trim();
        IPAddress? parsed = AddressCharsRegex().IsMatch(t) && (t.Contains(':') || t.Count(c => c == '.') == 3)
            && IPAddress.TryParse(t, out IPAddress? ip) ? ip : null;
        return parsed is not null && IsMulticast(parsed)
            ? parsed
            : throw new FirewallException(FirewallErrorIds.InvalidMulticastGroup, ErrorCategory.InvalidArgument,
                $"'{text}' is not an IPv4 or IPv6 multicast address.", text);
    }

    private static bool IsMulticast(IPAddress a) => Protocol.IpAddressValue.FromIPAddress(a).IsMulticast;

    /// <summary>Interface existence in the current network namespace (getifaddrs, so `ip netns exec` and nsenter both see the right one).</summary>
    public static bool InterfaceExists(string name) =>
        NetworkInterface.GetAllNetworkInterfaces().Any(n => n.Name == name);
}
