using VrrpPS.Protocol;
using VrrpPS.StateMachine;

namespace VrrpPS.Diagnostics;

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
