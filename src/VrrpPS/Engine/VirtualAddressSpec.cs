using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>A virtual address as it is put on an interface (keepalived virtual_ipaddress options).</summary>
public sealed record VirtualAddressSpec(IpAddressValue Address, int PrefixLength)
{
    public string? Label { get; init; }
    /// <summary>rtnetlink scope (0 global, 253 link, 254 host).</summary>
    public byte Scope { get; init; }
    public IpAddressValue? Broadcast { get; init; }
    public IpAddressValue? Peer { get; init; }
    /// <summary>preferred_lft 0 (deprecated address; not used as a source).</summary>
    public bool Deprecated { get; init; }
    /// <summary>dev override; null = the instance interface.</summary>
    public string? Device { get; init; }
}
