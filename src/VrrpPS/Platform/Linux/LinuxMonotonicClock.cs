using System.Diagnostics;
using VrrpPS.Engine;

namespace VrrpPS.Platform.Linux;

/// <summary>Monotonic microseconds. Stopwatch reads CLOCK_MONOTONIC on Linux (never wall-clock).</summary>
public sealed class LinuxMonotonicClock : IMonotonicClock
{
    private static readonly long TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000;

    public long NowMicroseconds
    {
        get
        {
            long ticks = Stopwatch.GetTimestamp();
            return TicksPerMicrosecond > 0
                ? ticks / TicksPerMicrosecond
                : (long)(ticks * (1_000_000.0 / Stopwatch.Frequency));
        }
    }
}
