using VrrpPS.Protocol;
using VrrpPS.StateMachine;

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

/// <summary>The RFC 3768/5798 §6.1 figures a failover is measured against.</summary>
public static class FailoverBounds
{
    /// <summary>Slack for measuring on a busy host: one advertisement interval + 150 ms.</summary>
    public static TimeSpan Tolerance(TimeSpan interval) => interval + TimeSpan.FromMilliseconds(150);

    /// <summary>After a priority-0 release a Backup takes over after Skew_Time (RFC 5798 §6.4.2).</summary>
    public static TimeSpan Release(int version, int winnerPriority, TimeSpan interval) =>
        TimeSpan.FromTicks(VrrpTiming.SkewTimeMicroseconds(ToVersion(version), (byte)winnerPriority, Centiseconds(interval)) * 10);

    /// <summary>After the Master disappears (crash, link loss, demotion below a preempting Backup): Master_Down_Interval.</summary>
    public static TimeSpan Loss(int version, int winnerPriority, TimeSpan interval) =>
        TimeSpan.FromTicks(VrrpTiming.MasterDownIntervalMicroseconds(ToVersion(version), (byte)winnerPriority, Centiseconds(interval)) * 10);

    private static VrrpVersion ToVersion(int v) => v == 2 ? VrrpVersion.V2 : VrrpVersion.V3;

    private static int Centiseconds(TimeSpan interval) => (int)Math.Round(interval.TotalMilliseconds / 10);
}
