using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>What validation learned about the host for one instance.</summary>
public sealed record ResolvedInstance(
    InstanceDefinition Definition,
    NetworkInterfaceInfo Interface,
    IpAddressValue SourceAddress,
    bool IsAddressOwner,
    IReadOnlyList<string> Warnings);
