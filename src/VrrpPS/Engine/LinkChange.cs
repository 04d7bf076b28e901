namespace VrrpPS.Engine;

public readonly record struct LinkChange(int InterfaceIndex, string? Name, bool IsUp);
