namespace VrrpPS.Firewall;

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
