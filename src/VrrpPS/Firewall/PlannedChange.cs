namespace VrrpPS.Firewall;

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
