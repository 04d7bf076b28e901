namespace VrrpPS.Engine;

/// <summary>
/// How the engine thread asks to be scheduled (keepalived's vrrp_rt_priority, vrrp_priority, vrrp_rlimit_rttime,
/// vrrp_no_swap; Start-VrrpInstance -RealtimePriority / -NoSwap). The default is keepalived's: normal scheduling,
/// nice unchanged, memory not locked.
/// </summary>
internal sealed record EngineSchedulingOptions
{
    /// <summary>SCHED_RR priority 1..99 of the engine thread; 0 = normal scheduling.</summary>
    public int RealtimePriority { get; init; }

    /// <summary>Nice value -20..19 of the engine thread when it is not real-time; 0 = unchanged.</summary>
    public int Nice { get; init; }

    /// <summary>RLIMIT_RTTIME hard limit (µs of CPU without a blocking call) while real-time; the soft limit is half (SIGXCPU).</summary>
    public long RealtimeLimitMicroseconds { get; init; } = 10000;

    /// <summary>Lock the process's pages in memory (mlockall: current, future, on fault).</summary>
    public bool NoSwap { get; init; }

    /// <summary>True when nothing differs from normal scheduling: nothing to apply.</summary>
    public bool IsDefault => RealtimePriority == 0 && Nice == 0 && !NoSwap;
}
