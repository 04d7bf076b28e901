using VrrpPS.Protocol;

namespace VrrpPS.StateMachine;

/// <summary>
/// Every timer value, derived in one place from the RFC formulas. All results are microseconds,
/// computed exactly and truncated once (not rounded to centiseconds first, as keepalived does).
/// </summary>
public static class VrrpTiming
{
    public const long MicrosecondsPerCentisecond = 10_000;
    public const long MicrosecondsPerSecond = 1_000_000;

    public static long IntervalMicroseconds(int centiseconds) => centiseconds * MicrosecondsPerCentisecond;

    /// <summary>
    /// v2 (RFC 3768 §6.1): Skew_Time = (256 − Priority) / 256 seconds, independent of the interval.
    /// v3 (RFC 5798 §6.1 with erratum, RFC 9568 §6.1): Skew_Time = ((256 − Priority) × Master_Adver_Interval) / 256.
    /// </summary>
    public static long SkewTimeMicroseconds(VrrpVersion version, byte priority, int masterAdverIntervalCentiseconds) =>
        version == VrrpVersion.V2
            ? (256 - priority) * MicrosecondsPerSecond / 256
            : (256 - priority) * IntervalMicroseconds(masterAdverIntervalCentiseconds) / 256;

    /// <summary>
    /// v2: Master_Down_Interval = 3 × Advertisement_Interval + Skew_Time (RFC 3768 §6.1).
    /// v3: Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time (RFC 5798/9568 §6.1).
    /// (In v2 the two intervals are equal: adverts with another interval are discarded.)
    /// </summary>
    public static long MasterDownIntervalMicroseconds(VrrpVersion version, byte priority, int masterAdverIntervalCentiseconds) =>
        3 * IntervalMicroseconds(masterAdverIntervalCentiseconds)
        + SkewTimeMicroseconds(version, priority, masterAdverIntervalCentiseconds);
}
