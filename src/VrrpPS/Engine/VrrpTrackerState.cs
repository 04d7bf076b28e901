namespace VrrpPS.Engine;

/// <summary>One tracker as Get-VrrpState shows it (Get-VrrpState VI_1 | Select-Object -Expand Tracker).</summary>
public sealed class VrrpTrackerState
{
    public string Name { get; set; } = string.Empty;
    public TrackerKind Kind { get; set; }
    public TrackerStatus Status { get; set; }
    public string? LastResult { get; set; }
    public string? LastError { get; set; }
    public DateTime? LastRun { get; set; }
    public int Weight { get; set; }
    public bool Reverse { get; set; }
    /// <summary>What this tracker adds to the priority now (negative lowers it).</summary>
    public int Contribution { get; set; }
    /// <summary>True when this tracker alone holds the instance in FAULT (weight 0).</summary>
    public bool Faulting { get; set; }
    public string? Instance { get; set; }

    public override string ToString() => $"{Name} {Status}";
}
