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
}
