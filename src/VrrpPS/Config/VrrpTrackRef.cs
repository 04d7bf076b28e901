
namespace VrrpPS.Config;

/// <summary>One `track_script` / `track_file` / `track_process` reference (weight null = the tracked object's own weight).</summary>
public sealed class VrrpTrackRef
{
    public string Name { get; set; } = "";
    public int? Weight { get; set; }
    public bool Reverse { get; set; }
}
