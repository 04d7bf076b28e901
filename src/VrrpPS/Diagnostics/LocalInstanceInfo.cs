namespace VrrpPS.Diagnostics;

/// <summary>A local VRRP instance, to detect foreign speakers using its VRID.</summary>
public sealed record LocalInstanceInfo(string Name, string Interface, int VirtualRouterId, string Family, IReadOnlyList<string> Addresses);
