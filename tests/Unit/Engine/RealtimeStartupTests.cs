using VrrpPS.Engine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;
using static VrrpPS.Tests.Simulation.Engine.SimDefinitions;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// Issue 16: with vrrp_rt_priority, keepalived's default RLIMIT_RTTIME (10 ms of CPU without blocking) was exceeded
/// by the engine thread in the burst that follows a start of many instances (first transitions, VIPs added, gratuitous
/// ARP, first-time JIT of those paths) on a loaded machine; SIGXCPU then demoted the thread for good. The engine now
/// turns real-time with a start-up budget of at least a second, and tightens to the configured limit once the
/// instances are past their first Master_Down_Interval — the same again after a reload.
/// </summary>
public sealed class RealtimeStartupTests
{
    [Fact]
    public void Starting_100_instances_runs_real_time_with_a_start_up_budget_then_the_configured_limit()
    {
        using var sim = new EngineSimulator(7);
        var node = sim.AddNode("198.51.100.11");
        var scheduler = new RecordingScheduler();
        node.Engine.Scheduler = scheduler;
        node.Engine.Start(Enumerable.Range(1, 100).Select(v => Instance($"VI_{v}", 150, v, intervalCs: 1, vip: $"203.0.113.{v}")).ToList());
        var configured = new EngineSchedulingOptions { RealtimePriority = 50, RealtimeLimitMicroseconds = 10_000 };

        node.Engine.ApplyScheduling(configured);

        var first = Assert.Single(scheduler.Applied);
        Assert.Equal(50, first.RealtimePriority);
        Assert.True(first.RealtimeLimitMicroseconds >= 1_000_000, $"start-up RLIMIT_RTTIME {first.RealtimeLimitMicroseconds} µs");

        sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.All(node.Engine.GetStates(), s => Assert.Equal(VrrpPS.StateMachine.VrrpState.Master, s.State)); // the burst is over
        sim.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(configured, scheduler.Applied[^1]); // then keepalived's guard, as configured
        Assert.Equal(2, scheduler.Applied.Count);
    }

    [Fact]
    public void Normal_scheduling_has_no_start_up_phase()
    {
        using var sim = new EngineSimulator(7);
        var node = sim.AddNode("198.51.100.11");
        var scheduler = new RecordingScheduler();
        node.Engine.Scheduler = scheduler;
        node.Engine.Start([Instance()]);

        node.Engine.ApplyScheduling(new EngineSchedulingOptions { Nice = -5 });
        sim.RunFor(TimeSpan.FromSeconds(6));

        Assert.Equal(new EngineSchedulingOptions { Nice = -5 }, Assert.Single(scheduler.Applied));
    }

    /// <summary>
    /// The budget lasts past the instances' first transitions whatever their interval (review finding): with 3 s adverts
    /// the first Backup→Master comes after a Master_Down_Interval of ~9.4 s, well past a fixed 5 s budget.
    /// </summary>
    [Fact]
    public void The_start_up_budget_covers_the_first_transitions_of_slow_instances()
    {
        using var sim = new EngineSimulator(7);
        var node = sim.AddNode("198.51.100.11");
        var scheduler = new RecordingScheduler();
        node.Engine.Scheduler = scheduler;
        node.Engine.Start(Enumerable.Range(1, 20).Select(v => Instance($"VI_{v}", 150, v, intervalCs: 300, vip: $"203.0.113.{v}")).ToList());
        long limitAtFirstMaster = -1;
        node.Engine.TransitionObserved += (_, _, t) =>
        {
            if (t.To == VrrpPS.StateMachine.VrrpState.Master && limitAtFirstMaster < 0)
            {
                limitAtFirstMaster = scheduler.Applied[^1].RealtimeLimitMicroseconds;
            }
        };
        var configured = new EngineSchedulingOptions { RealtimePriority = 50, RealtimeLimitMicroseconds = 10_000 };

        node.Engine.ApplyScheduling(configured);
        sim.RunFor(TimeSpan.FromSeconds(15));

        Assert.True(limitAtFirstMaster >= 1_000_000, $"the first Backup->Master burst ran with RLIMIT_RTTIME {limitAtFirstMaster} µs");
        sim.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(configured, scheduler.Applied[^1]); // and the configured guard afterwards
    }

    /// <summary>
    /// A reload that starts instances while the thread already runs real-time at the configured limit gives them the
    /// same budget as a start (review finding: only a reload that changed the scheduling keywords did).
    /// </summary>
    [Fact]
    public void A_reload_that_starts_instances_gives_them_the_start_up_budget_too()
    {
        using var sim = new EngineSimulator(7);
        var node = sim.AddNode("198.51.100.11");
        var scheduler = new RecordingScheduler();
        node.Engine.Scheduler = scheduler;
        var first = Instance("VI_1", 150, 1, intervalCs: 1, vip: "203.0.113.1");
        node.Engine.Start([first]);
        var configured = new EngineSchedulingOptions { RealtimePriority = 50, RealtimeLimitMicroseconds = 10_000 };
        node.Engine.ApplyScheduling(configured);
        sim.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal(configured, scheduler.Applied[^1]);
        int before = scheduler.Applied.Count;
        long limitAtNewMaster = -1;
        node.Engine.TransitionObserved += (_, name, t) =>
        {
            if (name != "VI_1" && t.To == VrrpPS.StateMachine.VrrpState.Master && limitAtNewMaster < 0)
            {
                limitAtNewMaster = scheduler.Applied[^1].RealtimeLimitMicroseconds;
            }
        };

        var desired = new[] { first }.Concat(Enumerable.Range(2, 50).Select(v => Instance($"VI_{v}", 150, v, intervalCs: 1, vip: $"203.0.113.{v}"))).ToList();
        node.Engine.Reconcile(desired, desired.Select(d => d.Name).ToList());

        Assert.True(scheduler.Applied.Count > before && scheduler.Applied[before].RealtimeLimitMicroseconds >= 1_000_000,
            "the reload's instances started at the configured 10 ms limit");
        sim.RunFor(TimeSpan.FromSeconds(2));
        Assert.True(limitAtNewMaster >= 1_000_000, $"the new instances' first transitions ran with RLIMIT_RTTIME {limitAtNewMaster} µs");
        sim.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal(configured, scheduler.Applied[^1]);
    }
}
