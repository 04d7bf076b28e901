namespace VrrpPS.Diagnostics;

/// <summary>One measured hand-over (Test-VrrpFailover, live or -Lab).</summary>
public sealed class VrrpFailoverResult
{
    public string Scenario { get; set; } = string.Empty;
    public string Instance { get; set; } = string.Empty;
    /// <summary>The Master before (node name in a lab, source address live).</summary>
    public string? From { get; set; }
    /// <summary>The Master after; null when nobody took over.</summary>
    public string? To { get; set; }
    public string? ExpectedTo { get; set; }
    public TimeSpan? Elapsed { get; set; }
    /// <summary>The RFC figure for this hand-over (Skew_Time after a release, Master_Down_Interval after a loss).</summary>
    public TimeSpan Bound { get; set; }
    /// <summary>Scheduling/measurement slack allowed on top of Bound (one advert interval + 150 ms).</summary>
    public TimeSpan Tolerance { get; set; }
    public bool Passed { get; set; }
    public string Details { get; set; } = string.Empty;

    /// <summary>Priority the new Master advertised (for the restore expectation).</summary>
    internal int ToPriority { get; set; }

    public override string ToString() => $"{Scenario}: {From} -> {To} {(Passed ? "passed" : "FAILED")}";
}
