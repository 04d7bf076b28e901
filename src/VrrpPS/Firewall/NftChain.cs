namespace VrrpPS.Firewall;

/// <summary>A chain from <c>nft -j list ruleset</c>.</summary>
public sealed record NftChain(string Family, string Table, string Name, string? Hook, string? Policy)
{
    public bool IsInputBaseChain => Hook == "input" && Family is "ip" or "ip6" or "inet";

    /// <summary>iptables-nft (xtables) owns ip/ip6 "filter" tables with upper-case chains: leave those to the iptables provider.</summary>
    public bool IsXtablesManaged => Family is "ip" or "ip6" && Table == "filter" && Name == "INPUT";

    public string Display => $"{Family} {Table} {Name}";
}
