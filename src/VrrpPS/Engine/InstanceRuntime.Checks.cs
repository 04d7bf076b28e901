using System.Globalization;
using VrrpPS.Engine.Tracking;

namespace VrrpPS.Engine;

// Periodic checks — vrrp_script, track_file, track_process — scheduled on the engine's clock (so the
// simulator drives them in simulated time). The work itself never runs on the engine thread: programs
// through the engine's process runner, ScriptBlocks in the engine runspace, file reads and /proc
// scans through the engine's blocking-work seam; the result comes back as a posted action. Checks
// start every interval, start to start, as keepalived's do; one that overruns delays the next, never
// overlaps it.
internal sealed partial class InstanceRuntime
{
    private readonly List<PeriodicCheck> _periodicChecks = [];
    private readonly CancellationTokenSource _checks = new();

    private sealed class PeriodicCheck(long interval, Func<CancellationToken, Task<Action<long>>> run)
    {
        /// <summary>When the next check starts (monotonic µs); long.MaxValue while one runs.</summary>
        public long NextAt { get; set; }
        public long StartedAt { get; set; }
        public long Interval { get; } = interval;
        /// <summary>Starts the work; its result is what to apply on the engine thread.</summary>
        public Func<CancellationToken, Task<Action<long>>> Run { get; } = run;
    }

    // The periodic checks of the trackers just created; a track_process's first count decides at once,
    // so the instance starts with the right priority.
    private void StartChecks(EngineServices services, long now)
    {
        foreach (var (s, t) in _trackers.Scripts)
        {
            AddScriptCheck(s, t, services, now);
        }
        foreach (var (f, t) in _trackers.Files)
        {
            AddFileCheck(f, t, services, now);
        }
        foreach (var (p, t) in _trackers.Processes)
        {
            var q = new ProcessQuorum(p);
            int count = ProcessMatcher.Count(p, services.Processes.Read(p.NeedsCommandLine));
            bool inQuorum = q.InQuorum(count);
            t.Apply(inQuorum, q.Describe(count), QuorumError(inQuorum, q.Describe(count)), DateTime.UtcNow);
            q.Observe(count, now / 1e6);
            AddProcessCheck(p, t, q, services, now);
        }
    }

    private static string? QuorumError(bool ok, string words) => ok ? null : $"quorum not met: {words}";

    private static long Microseconds(double seconds, double minimum) => (long)(Math.Max(minimum, seconds) * 1_000_000);

    private long NextCheck
    {
        get
        {
            long next = long.MaxValue;
            foreach (var c in _periodicChecks)
            {
                next = Math.Min(next, c.NextAt);
            }
            return next;
        }
    }

    private void AddScriptCheck(TrackScriptDefinition def, TrackerState tracker, EngineServices services, long now) =>
        _periodicChecks.Add(new PeriodicCheck(Microseconds(def.IntervalSeconds, 0.01), token =>
        {
            Task<(bool Ok, string? Result, string? Error)> run = def.Command is { } argv
                ? services.Runner.RunAsync(new ProcessRequest(argv, def.EffectiveTimeout) { User = def.User, Group = def.Group }, token)
                    .ContinueWith(t => t.IsCompletedSuccessfully
                        ? (t.Result.Success, t.Result.TimedOut ? "timeout" : t.Result.ExitCode.ToString(CultureInfo.InvariantCulture), t.Result.Error)
                        : (false, (string?)null, (string?)(t.Exception?.GetBaseException().Message ?? "cancelled")),
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                : services.Runspace().InvokeAsync(def.ScriptBlockText ?? "", [], def.EffectiveTimeout)
                    .ContinueWith(t => t.IsCompletedSuccessfully
                        ? (t.Result.Success, t.Result.Output, t.Result.Error)
                        : (false, (string?)null, (string?)(t.Exception?.GetBaseException().Message ?? "cancelled")),
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return run.ContinueWith(t => (Action<long>)(at => ApplyTrack(at, tracker, t.Result.Ok, t.Result.Result, t.Result.Error)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }) { NextAt = now });

    private void AddFileCheck(TrackFileDefinition def, TrackerState tracker, EngineServices services, long now) =>
        _periodicChecks.Add(new PeriodicCheck(Microseconds(def.PollSeconds, 0.05), _ =>
            services.BlockingWork.Run(() => TrackerRunner.ReadValue(def)).ContinueWith(t => (Action<long>)(at =>
            {
                var (value, error) = t.IsCompletedSuccessfully ? t.Result : (def.InitialValue, t.Exception?.GetBaseException().Message);
                if (tracker.ApplyValue(value, error, DateTime.UtcNow))
                {
                    UpdateTracking(at, tracker.LastChange);
                }
            }), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)) { NextAt = now + Microseconds(def.PollSeconds, 0.05) });

    /// <summary>
    /// track_process: counts matching processes every poll period and applies the quorum status when it
    /// changes (after fork_delay / terminate_delay, timed on the engine clock). keepalived is told of forks
    /// and exits by the kernel's proc connector; polling trades up to one period of detection time for no
    /// extra privilege or kernel dependency.
    /// </summary>
    private void AddProcessCheck(TrackProcessDefinition def, TrackerState tracker, ProcessQuorum quorum, EngineServices services, long now)
    {
        long period = (long)services.ProcessPoll.TotalMicroseconds;
        _periodicChecks.Add(new PeriodicCheck(period, _ =>
            services.BlockingWork.Run(() => ProcessMatcher.Count(def, services.Processes.Read(def.NeedsCommandLine))).ContinueWith(t => (Action<long>)(at =>
            {
                if (!t.IsCompletedSuccessfully)
                {
                    _log.Warning(Name, $"track_process {def.Name}: counting failed ({t.Exception?.GetBaseException().Message})");
                    return;
                }
                if (quorum.Observe(t.Result, at / 1e6) is bool have)
                {
                    string words = quorum.Describe(t.Result);
                    ApplyTrack(at, tracker, have, words, QuorumError(have, words));
                }
            }), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)) { NextAt = now + period });
    }

    private void RunDueChecks(long now)
    {
        if (_services is null || _disposed)
        {
            return;
        }
        foreach (var check in _periodicChecks)
        {
            if (check.NextAt <= now)
            {
                check.NextAt = long.MaxValue;
                check.StartedAt = now;
                StartCheck(check, _services);
            }
        }
    }

    // The result comes back to the engine thread; the simulator completes work on its own thread, so
    // ExecuteSynchronously keeps a simulated run a pure function of its seed.
    private void StartCheck(PeriodicCheck check, EngineServices services) =>
        check.Run(_checks.Token).ContinueWith(t =>
        {
            Action<long>? apply = t.IsCompletedSuccessfully ? t.Result : null;
            string? failure = t.IsCompletedSuccessfully ? null : t.Exception?.GetBaseException().Message ?? "cancelled";
            services.Post(this, at =>
            {
                if (_disposed)
                {
                    return;
                }
                check.NextAt = Math.Max(check.StartedAt + check.Interval, at);
                if (apply is not null)
                {
                    apply(at);
                }
                else
                {
                    _log.Warning(Name, $"a tracking check failed to run: {failure}");
                }
            });
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
