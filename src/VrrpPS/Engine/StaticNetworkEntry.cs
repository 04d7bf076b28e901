namespace VrrpPS.Engine;

/// <summary>
/// One keepalived static_ipaddress / static_routes / static_rules line: the host's own address, route or
/// policy rule, installed while the engine runs whatever the VRRP state (keepalived installs them when its
/// VRRP process starts and removes them when it stops). Exactly one of <see cref="Address"/> and
/// <see cref="Route"/> is set.
/// </summary>
public sealed record StaticNetworkEntry
{
    /// <summary>static_ipaddress: the address; its <see cref="VirtualAddressSpec.Device"/> names the interface.</summary>
    public VirtualAddressSpec? Address { get; init; }

    /// <summary>static_routes (IsRule false) / static_rules (IsRule true).</summary>
    public VirtualRouteSpec? Route { get; init; }

    /// <summary>file:line of the line, for messages; not part of the identity (a reload may move the line).</summary>
    public string Source { get; init; } = "";

    /// <summary>What the entry installs: equal keys mean the same kernel object (the reload keeps it untouched).</summary>
    public object Key => (object?)Address ?? Route! with { Text = "" };

    public override string ToString() =>
        Address is { } a ? $"static address {a.Address}/{a.PrefixLength} dev {a.Device}" : $"static {(Route!.IsRule ? "rule" : "route")} '{Route.Text}'";
}
