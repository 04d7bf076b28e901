namespace VrrpPS.Engine;

/// <summary>A network interface as the engine sees it.</summary>
public sealed record NetworkInterfaceInfo(
    int Index,
    string Name,
    bool IsUp,
    byte[] HardwareAddress,
    IReadOnlyList<InterfaceAddress> Addresses);
