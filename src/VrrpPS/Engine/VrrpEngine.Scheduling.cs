namespace VrrpPS.Engine;

// Deadlines under starvation (issue 16): the engine thread may run SCHED_RR with locked memory, as keepalived's
// VRRP process does with vrrp_rt_priority / vrrp_no_swap. Applied on the engine thread itself (its tid), never to
// the whole pwsh: the runspace, the control socket and the cmdlet threads stay at normal priority.
public sealed partial class VrrpEngine
{
    internal IThreadScheduler Scheduler { get; set; } = Unconfigured.Scheduler;

    /// <summary>
    /// RLIMIT_RTTIME while the instances start: at least this much CPU without blocking. keepalived's 10 ms default was
    /// exceeded by the burst after a start of many instances on a loaded machine (first transitions, VIPs added,
    /// gratuitous ARP, first-time JIT of those paths), and SIGXCPU demoted the engine thread for good.
    /// </summary>
    internal const long StartupRealtimeLimitMicroseconds = 1_000_000;

    /// <summary>
    /// The shortest start-up budget (engine time). It lasts longer when an instance needs longer to reach its first
    /// transitions: its vrrp_startup_delay plus two Master_Down_Intervals (a takeover, then a preemption).
    /// </summary>
    internal long RealtimeStartupMicroseconds { get; set; } = 5_000_000;

    private long StartupBudgetEnd(long now)
    {
        long longest = RealtimeStartupMicroseconds;
        foreach (var inst in _instances)
        {
            longest = Math.Max(longest, inst.FirstTransitionsHorizonMicroseconds(now));
        }
        return now + longest;
    }

    private EngineSchedulingOptions? _tightenTo;
    private long _tightenAt = long.MaxValue;

    /// <summary>
    /// Applies <paramref name="options"/> to the engine thread; what is not allowed is logged as a warning and returned.
    /// Real-time with a limit below <see cref="StartupRealtimeLimitMicroseconds"/> starts with that budget and is
    /// tightened to the configured limit when the budget ends (<see cref="StartupBudgetEnd"/>), on the engine thread.
    /// </summary>
    internal SchedulingOutcome ApplyScheduling(EngineSchedulingOptions options) => Invoke(now =>
    {
        _appliedScheduling = options;
        var effective = options;
        _tightenTo = null;
        _tightenAt = long.MaxValue;
        if (NeedsStartupBudget(options))
        {
            effective = options with { RealtimeLimitMicroseconds = StartupRealtimeLimitMicroseconds };
            _tightenTo = options;
            _tightenAt = StartupBudgetEnd(now);
        }
        var outcome = ApplyToThread(effective);
        if (options.RealtimePriority > 0 && outcome.Warnings.Count == 0)
        {
            Log.Info(null, _tightenTo is null
                ? $"Engine thread {outcome.ThreadId} runs SCHED_RR priority {options.RealtimePriority} (RLIMIT_RTTIME {options.RealtimeLimitMicroseconds} µs)"
                : $"Engine thread {outcome.ThreadId} runs SCHED_RR priority {options.RealtimePriority} (RLIMIT_RTTIME {effective.RealtimeLimitMicroseconds} µs "
                  + $"while the instances start, {options.RealtimeLimitMicroseconds} µs after {(_tightenAt - now) / 1_000_000.0:0.#} s)");
        }
        return outcome;
    });

    /// <summary>
    /// Before a reload or sync starts instances on a thread that already runs real-time at a limit below the start-up
    /// budget: the budget again, as at start (engine thread). Returns whether it applies; then call
    /// <see cref="EndOfStartupWork"/> once the instances are in.
    /// </summary>
    private bool BeginRealtimeStartup()
    {
        var options = _appliedScheduling; // what _tightenTo holds too while a budget runs
        if (!NeedsStartupBudget(options))
        {
            return false;
        }
        if (_tightenTo is null)
        {
            ApplyToThread(options with { RealtimeLimitMicroseconds = StartupRealtimeLimitMicroseconds });
            _tightenTo = options;
        }
        _tightenAt = long.MaxValue;
        return true;
    }

    /// <summary>The instances are in: the budget ends once the slowest of them is past its first transitions.</summary>
    private void EndOfStartupWork(long now)
    {
        if (_tightenTo is not null)
        {
            _tightenAt = StartupBudgetEnd(now);
        }
    }

    /// <summary>The end of the start-up budget (engine thread): the configured RLIMIT_RTTIME from now on.</summary>
    private void EndRealtimeStartup(long now)
    {
        if (_tightenTo is not { } options || now < _tightenAt)
        {
            return;
        }
        _tightenTo = null;
        _tightenAt = long.MaxValue;
        ApplyToThread(options);
    }

    /// <summary>Applies <paramref name="options"/> to the engine thread (engine thread only); what is not allowed is logged as a warning.</summary>
    private SchedulingOutcome ApplyToThread(EngineSchedulingOptions options)
    {
        var outcome = Scheduler.ApplyToCurrentThread(options);
        foreach (string w in outcome.Warnings)
        {
            Log.Warning(null, w);
        }
        return outcome;
    }

    /// <summary>Real-time with a limit tighter than the start-up budget: starts with the budget, tightened later.</summary>
    private static bool NeedsStartupBudget(EngineSchedulingOptions options) =>
        options.RealtimePriority > 0 && options.RealtimeLimitMicroseconds < StartupRealtimeLimitMicroseconds;

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
