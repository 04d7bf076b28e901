using System.Diagnostics;
using VrrpPS.Engine;
using VrrpPS.StateMachine;

namespace VrrpPS.Diagnostics;

public sealed partial class SandboxRunner
{
    private VrrpFailoverResult Election(CancellationToken cancel)
    {
        _observer.Progress("Starting the nodes and waiting for the election", 5);
        EnsureRunning(cancel);
        var masters = Masters(States());
        var expected = _plan.Designated;
        var r = new VrrpFailoverResult { Scenario = "Election", Instance = InstanceName, ExpectedTo = expected.Name, To = masters.Length == 1 ? masters[0].Name : null };
        var causes = _plan.Causes();
        r.Passed = masters.Length == 1 && masters[0] == expected && causes.Count == 0;
        r.Details = masters.Length switch
        {
            0 => "No node became Master.",
            1 when masters[0] == expected => $"{expected.Name} (priority {expected.Priority}) is Master as intended.",
            1 => $"{masters[0].Name} (priority {masters[0].Priority}) is Master, not {expected.Name} (priority {expected.Priority}).",
            _ => $"Several Masters: {string.Join(", ", masters.Select(m => m.Name))} (split brain).",
        } + Because(r.Passed, causes) + MapNote();
        return r;
    }

    /// <summary>MasterCrash, LinkLoss, GracefulStop: the Master goes away; the best remaining node must take over.</summary>
    private VrrpFailoverResult Loss(FailoverScenario scenario, Action<SandboxNode> act, string verb, CancellationToken cancel)
    {
        var before = Masters(States());
        var r = new VrrpFailoverResult { Scenario = scenario.ToString(), Instance = InstanceName };
        if (before.Length != 1)
        {
            r.Details = $"No single Master to start from ({before.Length} Masters).{Because(false, _plan.Causes())}";
            return r;
        }
        var master = before[0];
        var expected = SandboxPlan.Winner(_plan.Nodes.Where(n => n != master))!;
        r.From = master.Name;
        r.ExpectedTo = expected.Name;
        bool graceful = scenario == FailoverScenario.GracefulStop;
        r.Bound = graceful ? FailoverBounds.Release(Version, expected.Priority, Interval) : FailoverBounds.Loss(Version, expected.Priority, Interval);
        r.Tolerance = FailoverBounds.Tolerance(Interval);
        DateTime t0 = DateTime.UtcNow;
        act(master);
        var (winner, at, note) = WaitForNewMaster(master, r.Bound + r.Tolerance + TimeSpan.FromSeconds(2), t0, cancel);
        if (graceful)
        {
            _processes[master.Index].WaitForExit(10_000); // the daemon exits after its release
        }
        Finish(r, winner, at, t0, expected, $"{master.Name} {verb}", graceful
            ? "Skew_Time after the priority-0 advert (RFC 5798 §6.4.2)" : "Master_Down_Interval (RFC 5798 §6.1)", note);
        return r;
    }

    private VrrpFailoverResult TrackFailure(CancellationToken cancel)
    {
        var r = new VrrpFailoverResult { Scenario = nameof(FailoverScenario.TrackFailure), Instance = InstanceName };
        var masters = Masters(States());
        if (masters.Length != 1)
        {
            r.Details = $"No single Master to start from ({masters.Length} Masters).";
            return r;
        }
        var master = masters[0];
        r.From = master.Name;
        var tracked = master.Instance.TrackScript.Select(t => t.Name).Where(_controlledScripts.Contains).ToList();
        if (tracked.Count == 0)
        {
            r.Details = $"{master.Name} tracks no script the lab can fail (track_script entries: {master.Instance.TrackScript.Length}; -TrackOverride pins scripts).";
            return r;
        }
        var scripts = master.Config.Scripts.Where(s => tracked.Contains(s.Name)).ToList();
        var expected = SandboxPlan.Winner(_plan.Nodes.Where(n => n != master))!;
        r.ExpectedTo = expected.Name;
        // Detection: the first failing run starts within one script interval of the failure, `fall`
        // consecutive failures are needed, and the last run may take its whole timeout (the engine
        // uses the interval when no timeout is set). Then the Backup waits Master_Down_Interval,
        // because it ignores the lowered adverts of the Master only once they fall below its own priority.
        var detect = TimeSpan.FromSeconds(scripts.Max(s => s.Fall * s.Interval + (s.Timeout > 0 ? s.Timeout : s.Interval)));
        r.Bound = detect + FailoverBounds.Loss(Version, expected.Priority, Interval);
        r.Tolerance = FailoverBounds.Tolerance(Interval);
        string? weightProblem = WeightProblem(master, expected, tracked);
        DateTime t0 = DateTime.UtcNow;
        foreach (var s in scripts)
        {
            File.WriteAllText(FlagPath(master, s.Name), "fail");
        }
        var (winner, at, note) = WaitForNewMaster(master, r.Bound + r.Tolerance + TimeSpan.FromSeconds(2), t0, cancel);
        Finish(r, winner, at, t0, expected, $"{string.Join(", ", tracked)} failing on {master.Name}",
            "fall × script interval + script timeout + Master_Down_Interval", note);
        if (!r.Passed && weightProblem is not null)
        {
            r.Details += " Cause: " + weightProblem;
        }
        return r;
    }

    private VrrpFailoverResult MasterReturn(CancellationToken cancel)
    {
        var r = new VrrpFailoverResult { Scenario = nameof(FailoverScenario.MasterReturn), Instance = InstanceName };
        var masters = Masters(States());
        if (masters.Length != 1)
        {
            r.Details = $"No single Master to start from ({masters.Length} Masters).";
            return r;
        }
        var old = masters[0];
        if (old != _plan.Designated)
        {
            r.From = old.Name;
            r.To = old.Name;
            r.ExpectedTo = _plan.Designated.Name;
            r.Details = $"{_plan.Designated.Name} (priority {_plan.Designated.Priority}) should be Master before it can return, but {old.Name} (priority {old.Priority}) is.{Because(false, _plan.Causes())}";
            return r;
        }
        _processes[old.Index].Kill(entireProcessTree: true);
        var (interim, _, _) = WaitForNewMaster(old, FailoverBounds.Loss(Version, 1, Interval) + TimeSpan.FromSeconds(3), DateTime.UtcNow, cancel);
        if (interim is null)
        {
            r.Details = $"After {old.Name} was killed nobody took over, so there is nothing to return to.";
            return r;
        }
        r.From = interim.Name;
        // Intent: the highest-priority node is Master again once it is back (RFC 5798 §6.4.2 preemption).
        var expected = SandboxPlan.Winner(_plan.Nodes)!;
        r.ExpectedTo = expected.Name;
        Start(old);
        var sw = Stopwatch.StartNew();
        VrrpInstanceState? st = null;
        while (sw.Elapsed < TimeSpan.FromSeconds(60) && !cancel.IsCancellationRequested && st is null)
        {
            st = States()[old];
            Thread.Sleep(50);
        }
        DateTime t0 = st?.History.FirstOrDefault()?.Time ?? DateTime.UtcNow;
        r.Bound = FailoverBounds.Loss(Version, old.Priority, Interval) + TimeSpan.FromSeconds(old.Instance.PreemptDelay);
        r.Tolerance = FailoverBounds.Tolerance(Interval);
        var (winner, at) = WaitForMaster(expected, r.Bound + r.Tolerance + TimeSpan.FromSeconds(1), cancel);
        if (winner is null)
        {
            winner = Masters(States()).FirstOrDefault();
            at = null;
        }
        Finish(r, winner, at, t0, expected, $"{old.Name} restarted while {interim.Name} was Master", "Master_Down_Interval of the returning node + preempt_delay", "");
        return r;
    }

    /// <summary>
    /// Waits for the cluster to settle on a new Master (see <see cref="HandoverSettler{T}"/>): the
    /// winner is the single Master that stays so for one interval + 250 ms, not the first node seen.
    /// Note says which nodes were Master only for a moment (a dual-Master race) or that several remain.
    /// </summary>
    private (SandboxNode? Node, DateTime? At, string Note) WaitForNewMaster(SandboxNode old, TimeSpan limit, DateTime t0, CancellationToken cancel)
    {
        var settler = new HandoverSettler<SandboxNode>(Interval + TimeSpan.FromMilliseconds(250));
        var sw = Stopwatch.StartNew();
        Dictionary<SandboxNode, VrrpInstanceState?> states = [];
        while (!cancel.IsCancellationRequested)
        {
            states = States();
            var fresh = states.Where(kv => kv.Key != old && kv.Value is not null).ToList();
            settler.Observe(sw.Elapsed,
                fresh.Where(kv => kv.Value!.State == VrrpState.Master && kv.Value.LastTransition >= t0).Select(kv => kv.Key).ToList(),
                fresh.Where(kv => kv.Value!.History.Any(h => h.To == VrrpState.Master && h.Time >= t0)).Select(kv => kv.Key));
            if (settler.Settled || sw.Elapsed >= limit + SettleExtra(settler))
            {
                break;
            }
            Thread.Sleep(s_poll);
        }
        var winner = settler.Winner;
        DateTime? at = winner is not null ? states[winner]?.LastTransition : null;
        string note = "";
        if (winner is null && settler.Current.Count > 1)
        {
            note = $" Still several Masters: {string.Join(", ", settler.Current.Select(n => n.Name))} (split brain: they do not hear each other's adverts).";
        }
        else if (winner is not null && settler.Transient.Count > 0)
        {
            var t = settler.Transient;
            note = $" {string.Join(", ", t.Select(n => $"{n.Name} (priority {n.Priority})"))} also became Master for a moment and yielded to {winner.Name}'s advert (RFC 5798 §6.4.3): "
                + $"their Master_Down timers expire only {string.Join(", ", t.Select(n => $"{Math.Abs((FailoverBounds.Loss(Version, n.Priority, Interval) - FailoverBounds.Loss(Version, winner.Priority, Interval)).TotalMilliseconds):0.#} ms"))} apart; "
                + "priorities further apart make the hand-over cleaner.";
        }
        return (winner, at, note);

        // Once a Master has been seen, allow the settle time beyond the limit.
        TimeSpan SettleExtra(HandoverSettler<SandboxNode> s) => s.AnySeen ? Interval + TimeSpan.FromMilliseconds(500) : TimeSpan.Zero;
    }

    private (SandboxNode? Node, DateTime? At) WaitForMaster(SandboxNode node, TimeSpan limit, CancellationToken cancel)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < limit && !cancel.IsCancellationRequested)
        {
            if (States()[node] is { State: VrrpState.Master } s)
            {
                return (node, s.LastTransition);
            }
            Thread.Sleep(s_poll);
        }
        return (null, null);
    }

    private void Finish(VrrpFailoverResult r, SandboxNode? winner, DateTime? at, DateTime t0, SandboxNode expected, string what, string formula, string note)
    {
        r.To = winner?.Name;
        r.Elapsed = at is { } a ? (a > t0 ? a - t0 : TimeSpan.Zero) : null;
        bool inTime = r.Elapsed is { } e && e <= r.Bound + r.Tolerance;
        r.Passed = winner == expected && inTime;
        string observed = winner is null ? $"no node became Master within {(r.Bound + r.Tolerance + TimeSpan.FromSeconds(1)).TotalSeconds:0.#} s"
            : at is null ? $"{winner.Name} stayed Master"
            : $"{winner.Name} (priority {winner.Priority}) became Master after {r.Elapsed!.Value.TotalMilliseconds:0} ms";
        r.Details = $"{what}: {observed}; expected {expected.Name} (priority {expected.Priority}) within {r.Bound.TotalMilliseconds:0} ms = {formula} + tolerance {r.Tolerance.TotalMilliseconds:0} ms."
            + (winner == expected && !inTime && winner is not null ? " Too slow." : "") + note + Because(r.Passed, _plan.Causes());
    }

    /// <summary>
    /// Why failing <paramref name="tracked"/> cannot move the VIP, or null. keepalived: weight 0 puts the
    /// instance in Fault; otherwise the effective priority is priority + the failed negative weights, kept
    /// within 1..254, and an owner (255) never changes. A Backup of equal priority does not preempt (RFC 5798 §6.4.2).
    /// </summary>
    private string? WeightProblem(SandboxNode master, SandboxNode best, List<string> tracked)
    {
        // Scripts pinned to fail with -TrackOverride have already lowered the priority.
        bool Failing(string name) => tracked.Contains(name)
            || (_trackOverride.TryGetValue(name, out string? mode) && mode.Equals("fail", StringComparison.OrdinalIgnoreCase));
        var weights = master.Instance.TrackScript.Where(t => Failing(t.Name))
            .Select(t => (t.Name, Weight: t.Weight ?? master.Config.Scripts.FirstOrDefault(s => s.Name == t.Name)?.Weight ?? 0)).ToList();
        if (weights.Any(w => w.Weight == 0))
        {
            return null;
        }
        if (master.Priority == 255)
        {
            return $"{master.Name} has priority 255 (address owner): its priority never changes, so the track weights ({string.Join(", ", weights.Select(w => $"{w.Name} {w.Weight}"))}) cannot move the VIP; use a priority below 255.";
        }
        int lo = Math.Clamp(master.Priority + weights.Where(w => w.Weight < 0).Sum(w => w.Weight), 1, 254);
        return lo < best.Priority ? null
            : $"the track weight is too small: with {string.Join(", ", weights.Select(w => $"{w.Name} weight {w.Weight}"))} failing, {master.Name} drops only from priority {master.Priority} to {lo}, not below {best.Name}'s {best.Priority}, so {best.Name} never preempts (RFC 5798 §6.4.2); make the negative weight larger than {master.Priority - best.Priority} or use weight 0 (fault).";
    }

    private static string Because(bool passed, IReadOnlyList<string> causes) =>
        passed || causes.Count == 0 ? "" : " Cause: " + string.Join(" ", causes);

    private string MapNote() => _plan.Map.Table.Count == 0 ? "" : " Lab addresses: " + string.Join(", ", _plan.Map.Table) + ".";
}
