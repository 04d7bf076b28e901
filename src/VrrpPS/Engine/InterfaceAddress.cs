using VrrpPS.Protocol;

namespace VrrpPS.Engine;

public readonly record struct InterfaceAddress(IpAddressValue Address, int PrefixLength, string? Label);
