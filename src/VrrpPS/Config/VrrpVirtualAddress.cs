
namespace VrrpPS.Config;

/// <summary>One line of `virtual_ipaddress` / `virtual_ipaddress_excluded`.</summary>
public sealed class VrrpVirtualAddress
{
    public string Address { get; set; } = "";
    public int PrefixLength { get; set; }
    public string? Device { get; set; }
    public string? Label { get; set; }
    public string? Scope { get; set; }
    public string? Broadcast { get; set; }
    public string? Peer { get; set; }
    /// <summary>preferred_lft 0: the address is deprecated (not chosen as a source).</summary>
    public bool PreferredLifetimeZero { get => PreferredLifetime == 0; set => PreferredLifetime = value ? 0 : uint.MaxValue; }
    public bool NoDad { get; set; }
    public bool NoTrack { get; set; }
    public int SourceLine { get; set; }
    // added later: at the end, so the JSON shape of existing properties keeps its order
    /// <summary>preferred_lft in seconds (IPv6); <see cref="uint.MaxValue"/> is forever, keepalived's INFINITY_LIFE_TIME.</summary>
    public uint PreferredLifetime { get; set; } = uint.MaxValue;
}
