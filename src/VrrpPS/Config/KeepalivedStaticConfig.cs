namespace VrrpPS.Config;

/// <summary>
/// A `static_ipaddress` / `static_routes` / `static_rules` section: the host's own addresses, routes and rules,
/// installed by Start-VrrpInstance for as long as its engine runs (the lines are kept as written for Export).
/// </summary>
public sealed class KeepalivedStaticConfig
{
    public string Section { get; set; } = "";
    public VrrpRawLine[] Lines { get; set; } = [];
    /// <summary>static_ipaddress: the parsed addresses (empty for the other sections).</summary>
    public VrrpVirtualAddress[] Addresses { get; set; } = [];
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
}
