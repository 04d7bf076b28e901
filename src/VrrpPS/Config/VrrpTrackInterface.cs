
namespace VrrpPS.Config;

/// <summary>One `track_interface` entry.</summary>
public sealed class VrrpTrackInterface
{
    public string Name { get; set; } = "";
    public int Weight { get; set; }
    public bool Reverse { get; set; }
}
