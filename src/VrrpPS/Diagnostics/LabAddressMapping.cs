namespace VrrpPS.Diagnostics;

/// <summary>One row of the sandbox address table: what a configured address becomes inside the lab.</summary>
public sealed class LabAddressMapping
{
    public string Original { get; set; } = string.Empty;
    public string Mapped { get; set; } = string.Empty;
    public override string ToString() => $"{Original} -> {Mapped}";
}
