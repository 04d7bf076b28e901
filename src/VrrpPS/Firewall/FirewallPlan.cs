namespace VrrpPS.Firewall;

/// <summary>The provider's view of the current state and what it would change.</summary>
public sealed class FirewallPlan
{
    public required FirewallProviderKind Provider { get; init; }

    public List<PlannedChange> Changes { get; } = [];

    /// <summary>Rules (text) that accept VRRP after the change, or that were removed with -Remove.</summary>
    public List<string> Rules { get; } = [];

    public List<string> Warnings { get; } = [];
}
