namespace VrrpPS.Config;

/// <summary>A `vrrp_track_process` block.</summary>
public sealed class VrrpTrackProcessConfig
{
    public string Name { get; set; } = "";
    public string Process { get; set; } = "";
    public string[] Parameters { get; set; } = [];
    /// <summary>null = not set: Exact once parameters are given, otherwise the process name alone is compared.</summary>
    public VrrpParamMatch? ParamMatch { get; set; }
    /// <summary>Compare with the command line (argv[0]) instead of the 15-character process name.</summary>
    public bool FullCommand { get; set; }
    /// <summary>Minimum number of matching processes (0 only with quorum_max 0: "must not run").</summary>
    public int Quorum { get; set; } = 1;
    public int? QuorumMax { get; set; }
    /// <summary>-254..254; 0 (the default) means FAULT while the quorum is not met.</summary>
    public int Weight { get; set; }
    public bool Reverse { get; set; }
    /// <summary>Seconds the quorum must hold again before the process counts as up (fork_delay; `delay` sets both).</summary>
    public double ForkDelay { get; set; }
    /// <summary>Seconds the quorum may be lost before the process counts as down (terminate_delay).</summary>
    public double TerminateDelay { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
}
