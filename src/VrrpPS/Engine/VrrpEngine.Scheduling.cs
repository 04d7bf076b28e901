namespace VrrpPS.Engine;

// Deadlines under starvation (issue 16): the engine thread may run SCHED_RR with locked memory, as keepalived's
// VRRP process does with vrrp_rt_priority / vrrp_no_swap. Applied on the engine thread itself (its tid), never to
// the whole pwsh: the runspace, the control socket and the cmdlet threads stay at normal priority.
public sealed partial class VrrpEngine
{
    internal IThreadScheduler Scheduler { get; set; } = Unconfigured.Scheduler;

    /// <summary>Applies <paramref name="options"/> to the engine thread; what is not allowed is logged as a warning and returned.</summary>
    internal SchedulingOutcome ApplyScheduling(EngineSchedulingOptions options) => Invoke(_ =>
    {
        _appliedScheduling = options;
        var outcome = Scheduler.ApplyToCurrentThread(options);
        foreach (string w in outcome.Warnings)
        {
            Log.Warning(null, w);
        }
        if (options.RealtimePriority > 0 && outcome.Warnings.Count == 0)
        {
            Log.Info(null, $"Engine thread {outcome.ThreadId} runs SCHED_RR priority {options.RealtimePriority} (RLIMIT_RTTIME {options.RealtimeLimitMicroseconds} µs)");
        }
        return outcome;
    });

    /// <summary>What the engine thread was last asked to run with (engine thread only); default scheduling until then.</summary>
    private EngineSchedulingOptions _appliedScheduling = new();

    /// <summary>
    /// A reload's scheduling (null: keepalived's default, normal scheduling): applied when it differs from what the
    /// engine thread runs with, so that changing vrrp_rt_priority / vrrp_priority / vrrp_rlimit_rttime / vrrp_no_swap
    /// and reloading has the effect of a restart; returns null when nothing changed.
    /// </summary>
    internal SchedulingOutcome? ReapplyScheduling(EngineSchedulingOptions? options)
    {
        var wanted = options ?? new EngineSchedulingOptions();
        return Invoke(_ => _appliedScheduling == wanted) ? null : ApplyScheduling(wanted);
    }
}
