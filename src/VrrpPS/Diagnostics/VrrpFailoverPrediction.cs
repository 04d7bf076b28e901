namespace VrrpPS.Diagnostics;

/// <summary>What a failover would do, reported on a Backup node without touching anything.</summary>
public sealed class VrrpFailoverPrediction
{
    public string Instance { get; set; } = string.Empty;
    public string? Master { get; set; }
    public int MasterPriority { get; set; }
    public string? LocalAddress { get; set; }
    public int LocalPriority { get; set; }
    /// <summary>True when no Backup seen has a higher priority than this node (Backups are silent, so others may exist).</summary>
    public bool LocalWouldWin { get; set; }
    public TimeSpan ReleaseBound { get; set; }
    public TimeSpan CrashBound { get; set; }
    public string Details { get; set; } = string.Empty;
}
