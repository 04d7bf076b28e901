using System.Globalization;
using VrrpPS.Engine.Tracking;

namespace VrrpPS.Engine;

// vrrp_script checks, scheduled on the engine's clock (so the simulator drives them in simulated time)
// and run through the engine's process runner or runspace, off the engine thread. Checks start every
// interval, start to start, as keepalived's do; a check that overruns delays the next, never overlaps it.
internal sealed partial class InstanceRuntime
{
    private readonly List<ScriptCheck> _scripts = [];
    private readonly CancellationTokenSource _checks = new();
    private bool _trackingInitialised;

    private sealed class ScriptCheck(TrackScriptDefinition definition, TrackerState tracker)
    {
        public TrackScriptDefinition Definition { get; } = definition;
        public TrackerState Tracker { get; } = tracker;
        /// <summary>When the next check starts (monotonic µs); long.MaxValue while one runs.</summary>
        public long NextAt { get; set; }
        public long StartedAt { get; set; }
        public long IntervalMicroseconds => (long)(Math.Max(0.01, Definition.IntervalSeconds) * 1_000_000);
    }

    private long NextScriptCheck
    {
        get
        {
            long next = long.MaxValue;
            foreach (var c in _scripts)
            {
                next = Math.Min(next, c.NextAt);
            }
            return next;
        }
    }

    private void RunDueScriptChecks(long now)
    {
        if (_services is null || _disposed)
        {
            return;
        }
        foreach (var check in _scripts)
        {
            if (check.NextAt <= now)
            {
                check.NextAt = long.MaxValue;
                check.StartedAt = now;
                StartCheck(check, _services);
            }
        }
    }

    private void StartCheck(ScriptCheck check, EngineServices services)
    {
        var def = check.Definition;
        var token = _checks.Token;
        Task<(bool Ok, string? Result, string? Error)> run;
        if (def.Command is { } argv)
        {
            run = services.Runner.RunAsync(new ProcessRequest(argv, def.EffectiveTimeout) { User = def.User, Group = def.Group }, token)
                .ContinueWith(t => t.IsCompletedSuccessfully
                    ? (t.Result.Success, t.Result.TimedOut ? "timeout" : t.Result.ExitCode.ToString(CultureInfo.InvariantCulture), t.Result.Error)
                    : (false, (string?)null, (string?)(t.Exception?.GetBaseException().Message ?? "cancelled")),
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else
        {
            run = services.Runspace().InvokeAsync(def.ScriptBlockText ?? "", [], def.EffectiveTimeout)
                .ContinueWith(t => t.IsCompletedSuccessfully
                    ? (t.Result.Success, t.Result.Output, t.Result.Error)
                    : (false, (string?)null, (string?)(t.Exception?.GetBaseException().Message ?? "cancelled")),
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        // The result comes back to the engine thread; the simulator completes runs on its own thread,
        // so ExecuteSynchronously keeps a simulated run a pure function of its seed.
        run.ContinueWith(t =>
        {
            var (ok, result, error) = t.Result;
            services.Post(this, at =>
            {
                if (_disposed)
                {
                    return;
                }
                check.NextAt = Math.Max(check.StartedAt + check.IntervalMicroseconds, at);
                ApplyTrack(at, check.Tracker, ok, result, error);
            });
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
