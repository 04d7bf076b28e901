
namespace VrrpPS.Config;

/// <summary>One problem found by Test-VrrpConfig across the nodes of a cluster.</summary>
public sealed class VrrpConfigFinding
{
    public VrrpFindingSeverity Severity { get; set; }
    public string Check { get; set; } = "";
    public int VirtualRouterId { get; set; }
    public string[] Nodes { get; set; } = [];
    public string? File { get; set; }
    public int Line { get; set; }
    public string Message { get; set; } = "";
    public override string ToString() => $"{File}:{Line}: {Severity} {Check} VRID {VirtualRouterId} [{string.Join(", ", Nodes)}]: {Message}";
}
