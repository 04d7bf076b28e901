namespace VrrpPS.Firewall;

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
