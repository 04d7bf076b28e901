namespace VrrpPS.Config;

/// <summary>A `track_file` (alias `vrrp_track_file`) block.</summary>
public sealed class VrrpTrackFileConfig
{
    public string Name { get; set; } = "";
    public string File { get; set; } = "";
    public int Weight { get; set; } = 1;
    public bool Reverse { get; set; }
    public int? InitFile { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
}
