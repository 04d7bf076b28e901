
namespace VrrpPS.Config;

/// <summary>A raw line of virtual_routes / virtual_rules / static_* kept verbatim (parsed when an instance starts).</summary>
public sealed class VrrpRawLine
{
    public string Text { get; set; } = "";
    public int SourceLine { get; set; }
}
