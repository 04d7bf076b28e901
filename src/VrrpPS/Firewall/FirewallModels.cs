using System.Management.Automation;
using System.Net;

namespace VrrpPS.Firewall;

public enum FirewallProviderKind { Auto, Nftables, Iptables, Firewalld }

public enum VrrpAddressFamily { IPv4, IPv6, Both }

public enum FirewallRuleAction { None, Added, Removed }

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

/// <summary>One change a provider would make, with the exact command or rule text shown by -WhatIf.</summary>
public sealed class PlannedChange
{
    public required string Text { get; init; }

    public required FirewallRuleAction Action { get; init; }

    /// <summary>Program and argument array (iptables, firewall-cmd); null for nftables JSON changes.</summary>
    public string? Program { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>nftables: one command object of a JSON batch (<c>{"insert":{"rule":…}}</c>).</summary>
    public string? NftJsonCommand { get; init; }
}

/// <summary>The provider's view of the current state and what it would change.</summary>
public sealed class FirewallPlan
{
    public required FirewallProviderKind Provider { get; init; }

    public List<PlannedChange> Changes { get; } = [];

    /// <summary>Rules (text) that accept VRRP after the change, or that were removed with -Remove.</summary>
    public List<string> Rules { get; } = [];

    public List<string> Warnings { get; } = [];
}

/// <summary>Output of Invoke-FirewallVrrpRule: what was done, for scripts, Ansible and DSC.</summary>
public sealed class FirewallVrrpRuleResult
{
    public FirewallProviderKind Provider { get; init; }
    public bool Changed { get; init; }
    public FirewallRuleAction Action { get; init; }
    public string[] Rules { get; init; } = [];
    public string[] Warnings { get; init; } = [];
    public string? Interface { get; init; }
    public VrrpAddressFamily AddressFamily { get; init; }
}

/// <summary>Stable ErrorIds (FullyQualifiedErrorId is "Id,VrrpPS.Cmdlets.InvokeFirewallVrrpRule").</summary>
public static class FirewallErrorIds
{
    public const string InvalidInterfaceName = "InvalidInterfaceName";
    public const string InterfaceNotFound = "InterfaceNotFound";
    public const string InvalidPeerAddress = "InvalidPeerAddress";
    public const string PeerFamilyMismatch = "PeerFamilyMismatch";
    public const string InvalidZoneName = "InvalidZoneName";
    public const string InvalidMulticastGroup = "InvalidMulticastGroup";
    public const string ToolNotFound = "FirewallToolNotFound";
    public const string PermissionDenied = "FirewallPermissionDenied";
    public const string DaemonNotRunning = "FirewallDaemonNotRunning";
    public const string CommandFailed = "FirewallCommandFailed";
    public const string CommandTimedOut = "FirewallCommandTimedOut";
    public const string RulesetUnreadable = "FirewallRulesetUnreadable";
}

/// <summary>A firewall failure carrying the ErrorId and category the cmdlet reports.</summary>
public sealed class FirewallException : Exception
{
    public FirewallException(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    public string ErrorId { get; }
    public ErrorCategory Category { get; }
    public object? Target { get; }

    public ErrorRecord ToErrorRecord() => new(this, ErrorId, Category, Target);

    public static FirewallException ToolNotFound(string program) =>
        new(FirewallErrorIds.ToolNotFound, ErrorCategory.ObjectNotFound,
            $"The firewall tool '{program}' was not found (looked in PATH, /usr/sbin and /sbin). Install it or choose another -Provider.", program);

    /// <summary>Turns a failed run into the right error: permission denied, timeout or plain failure.</summary>
    public static FirewallException FromResult(string program, IReadOnlyList<string> args, CommandResult r)
    {
        string command = program + " " + string.Join(' ', args);
        if (r.TimedOut)
        {
            return new(FirewallErrorIds.CommandTimedOut, ErrorCategory.OperationTimeout, $"'{command}' did not finish in time.", command);
        }
        string err = r.StandardError.Trim();
        if (IsPermissionProblem(err))
        {
            return new(FirewallErrorIds.PermissionDenied, ErrorCategory.PermissionDenied,
                $"Permission denied running '{command}' (run as root or with CAP_NET_ADMIN): {err}", command);
        }
        return new(FirewallErrorIds.CommandFailed, ErrorCategory.InvalidOperation,
            $"'{command}' failed with exit code {r.ExitCode}: {err}", command);
    }

    internal static bool IsPermissionProblem(string stderr) =>
        stderr.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("must be root", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("NOT_AUTHORIZED", StringComparison.Ordinal)
        || stderr.Contains("Authorization failed", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A firewall back end. Plan reads the current state (read-only); Apply makes approved changes.</summary>
public interface IFirewallProvider
{
    FirewallProviderKind Kind { get; }

    /// <summary>The tool exists (and, for firewalld, the daemon runs).</summary>
    bool IsAvailable();

    /// <summary>For -Provider Auto: this back end is the one filtering input on this host.</summary>
    bool IsInUse();

    /// <summary>Computes what adding (or, with request.Remove, removing) the VRRP rules would change.</summary>
    FirewallPlan Plan(FirewallVrrpRequest request);

    /// <summary>Makes the given changes (a subset of a plan's, e.g. those ShouldProcess approved).</summary>
    void Apply(IReadOnlyList<PlannedChange> changes);
}
