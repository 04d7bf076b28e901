using VrrpPS.Config;

namespace VrrpPS.Diagnostics;

/// <summary>One node of a sandbox: its config (addresses already mapped into the lab ranges).</summary>
public sealed class SandboxNode
{
    public int Index { get; set; }
    public string Name => $"n{Index}";
    public string SourceFile { get; set; } = string.Empty;
    public KeepalivedParseResult Config { get; set; } = new();
    public VrrpInstanceConfig Instance => Config.Instances[0];
    public string Interface => Instance.Interface;
    /// <summary>Primary address in the lab (no prefix) and the CIDR put on the interface.</summary>
    public string Address { get; set; } = string.Empty;
    public string Cidr { get; set; } = string.Empty;
    public int Priority => Instance.Priority;
    public bool Preempt => !Instance.NoPreempt;
    public override string ToString() => $"{Name} ({Path.GetFileName(SourceFile)}, priority {Priority}, {Address})";
}
