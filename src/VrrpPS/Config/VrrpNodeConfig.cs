
namespace VrrpPS.Config;

/// <summary>One node's parsed configuration for cross-node checks.</summary>
public sealed class VrrpNodeConfig
{
    public string Node { get; set; } = "";
    public string File { get; set; } = "";
    public KeepalivedParseResult Config { get; set; } = new();
}
