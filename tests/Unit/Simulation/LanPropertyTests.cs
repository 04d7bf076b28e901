using CsCheck;
using VrrpPS.StateMachine;
using Xunit;

namespace VrrpPS.Tests.Simulation;

/// <summary>Property tests: random clusters and schedules on the simulated LAN (CsCheck).</summary>
public class LanPropertyTests
{
    private static void Apply(SimulatedLan lan, LanConfig cfg, Disturbance d, Random rng)
    {
        SimNode node = lan.Nodes[d.Node % lan.Nodes.Count];
        long now = lan.Now;
        switch (d.Kind)
        {
            case DisturbanceKind.Crash when node.Alive:
                node.Crash();
                break;
            case DisturbanceKind.Reboot when !node.Alive:
                node.Reboot();
                node.Router.Startup(now, node);
                break;
            case DisturbanceKind.Stop when node.Alive:
                node.Router.Shutdown(now, node);
                break;
            case DisturbanceKind.Start when node.Alive:
                node.Router.Startup(now, node);
                break;
            case DisturbanceKind.Fault when node.Alive:
                node.Router.EnterFault(now, node);
                break;
            case DisturbanceKind.ClearFault when node.Alive:
                node.Router.LeaveFault(now, node);
                break;
            case DisturbanceKind.SetPriority when node.Alive && !node.Router.IsAddressOwner:
                node.Router.SetPriority(now, d.Priority, node);
                break;
            case DisturbanceKind.Partition:
                lan.Partition(lan.Nodes.Select(n => (d.Mask >> n.Index) & 1).ToArray());
                break;
            case DisturbanceKind.Heal:
                lan.Heal();
                break;
            case DisturbanceKind.LossOn:
                var loss = new double[cfg.Count, cfg.Count];
                for (int i = 0; i < cfg.Count; i++)
                {
                    for (int j = 0; j < cfg.Count; j++)
                    {
                        loss[i, j] = rng.NextDouble() * 0.6;
                    }
                }
                lan.Loss = loss;
                break;
            case DisturbanceKind.LossOff:
                lan.Loss = null;
                break;
        }
    }

    /// <summary>Runs the schedule over 30 intervals, then heals and stops loss; returns that time.</summary>
    private static long RunSchedule(SimulatedLan lan, LanConfig cfg, Disturbance[] schedule)
    {
        long span = 30 * cfg.IntervalUs;
        var rng = new Random(cfg.Seed);
        foreach (Disturbance d in schedule)
        {
            lan.At(cfg.IntervalUs + span * d.AtPermilleOfSpan / 1000, () => Apply(lan, cfg, d, rng));
        }
        long last = cfg.IntervalUs + span + 1;
        lan.At(last, () =>
        {
            lan.Heal();
            lan.Loss = null;
        });
        lan.RunUntil(last);
        return last;
    }

    private static void AssertSettled(SimulatedLan lan, LanConfig cfg, long last, bool highestWins)
    {
        long settled = last + cfg.SettleUs;
        lan.RunUntil(settled);
        int traceAtSettle = lan.Trace.Count;
        lan.Invariant = l =>
        {
            SimulatedLan.VipsOnlyOnMaster(l);
            if (l.MasterCount() > 1)
            {
                throw new InvalidOperationException($"Two Masters at t={l.Now} after convergence ({cfg}); last transitions: " +
                    string.Join("; ", l.Trace.TakeLast(12)));
            }
        };
        lan.RunUntil(settled + 5 * cfg.IntervalUs);
        Assert.True(lan.Trace.Count == traceAtSettle, $"Transitions after convergence: {string.Join("; ", lan.Trace.Skip(traceAtSettle))} ({cfg})");
        var eligible = lan.Nodes.Where(n => n.Eligible).ToList();
        Assert.Equal(eligible.Count == 0 ? 0 : 1, lan.MasterCount());
        if (highestWins && eligible.Count > 0)
        {
            SimNode master = eligible.Single(n => n.Router.State == VrrpState.Master);
            Assert.True(master.Router.Priority == eligible.Max(n => n.Router.Priority),
                $"Master {master.Index} has priority {master.Router.Priority}, not the highest ({cfg})");
        }
    }

    [Fact]
    public void RandomSchedules_WithPreempt_ConvergeToOneMaster_TheHighestPriority_Rfc5798_6_4()
    {
        Gen.Select(LanGen.Config(preempt: true), LanGen.Schedule).Sample((cfg, schedule) =>
        {
            SimulatedLan lan = cfg.Build();
            long last = RunSchedule(lan, cfg, schedule);
            AssertSettled(lan, cfg, last, highestWins: true);
        }, iter: 400);
    }

    /// <summary>A schedule the property found (crash, reboot, a lower Master, then a delayed preemption ending after
    /// the settle bound of one Master_Down_Interval): replayed on every run.</summary>
    [Fact]
    public void ACrashRebootAndDelayedPreemptionSettleWithinTheBound()
    {
        Gen.Select(LanGen.Config(preempt: true), LanGen.Schedule).Sample((cfg, schedule) =>
        {
            SimulatedLan lan = cfg.Build();
            long last = RunSchedule(lan, cfg, schedule);
            AssertSettled(lan, cfg, last, highestWins: true);
        }, iter: 1, seed: "dlMYfjbazT73");
    }

    [Fact]
    public void RandomSchedules_WithoutPreempt_ConvergeToOneMaster()
    {
        Gen.Select(LanGen.Config(preempt: false, allowOwner: false), LanGen.Schedule).Sample((cfg, schedule) =>
        {
            SimulatedLan lan = cfg.Build();
            long last = RunSchedule(lan, cfg, schedule);
            AssertSettled(lan, cfg, last, highestWins: false);
        }, iter: 300);
    }

    [Fact]
    public void ColdStart_FirstMasterAtExactlyItsMasterDownInterval_AndHighestWins_Rfc5798_6_4_1()
    {
        LanGen.Config(preempt: true, allowDelay: false, distinct: true).Sample(cfg =>
        {
            SimulatedLan lan = cfg.Build(startAll: false);
            foreach (SimNode n in lan.Nodes)
            {
                lan.At(0, () => n.Router.Startup(0, n));
            }
            lan.RunUntil(cfg.SettleUs);
            SimNode best = lan.Nodes.MaxBy(n => n.Router.Priority)!;
            SimTransition first = lan.Trace.First(t => t.To == VrrpState.Master);
            long expected = best.Router.IsAddressOwner ? 0 : best.Router.MasterDownIntervalMicroseconds;
            Assert.Equal(expected, first.At);
            Assert.Equal(best.Index, first.Node);
            Assert.Equal(1, lan.MasterCount());
            Assert.Equal(VrrpState.Master, best.Router.State);
        }, iter: 300);
    }

    [Fact]
    public void ColdStart_EqualPriorities_ConcurrentMastersKeepTheHighestAddress_Rfc5798_6_4_3()
    {
        LanGen.Config(preempt: true, allowOwner: false, allowDelay: false).Sample(cfg0 =>
        {
            var cfg = cfg0 with { Priorities = Enumerable.Repeat(cfg0.Priorities[0], cfg0.Count).ToArray() };
            SimulatedLan lan = cfg.Build(startAll: false);
            foreach (SimNode n in lan.Nodes)
            {
                lan.At(0, () => n.Router.Startup(0, n));
            }
            lan.RunUntil(cfg.SettleUs);
            var contenders = lan.Trace.Where(t => t.To == VrrpState.Master).Select(t => lan.Nodes[t.Node]).ToList();
            Assert.All(lan.Trace.Where(t => t.To == VrrpState.Master), t => Assert.Equal(lan.Trace.First(x => x.To == VrrpState.Master).At, t.At));
            SimNode expected = contenders.MaxBy(n => n.Address)!;
            Assert.Equal(1, lan.MasterCount());
            Assert.Equal(VrrpState.Master, expected.Router.State);
        }, iter: 200);
    }

    [Fact]
    public void NoPreempt_ReturningHigherPriorityNode_DoesNotTakeOver_Rfc5798_6_1_PreemptMode()
    {
        LanGen.Config(preempt: false, allowOwner: false, distinct: true).Sample(cfg =>
        {
            SimulatedLan lan = cfg.Build(startAll: false);
            SimNode high = lan.Nodes.MaxBy(n => n.Options.Priority)!;
            foreach (SimNode n in lan.Nodes.Where(n => n != high))
            {
                lan.At(0, () => n.Router.Startup(0, n));
            }
            long t1 = cfg.SettleUs;
            lan.RunUntil(t1);
            SimNode master = lan.Nodes.Single(n => n.Router.State == VrrpState.Master);
            lan.At(t1 + cfg.IntervalUs / 3, () => high.Router.Startup(lan.Now, high));
            lan.At(t1 + 5 * cfg.IntervalUs, high.Crash);
            lan.At(t1 + 9 * cfg.IntervalUs, () =>
            {
                high.Reboot();
                high.Router.Startup(lan.Now, high);
            });
            int before = lan.Trace.Count;
            lan.RunUntil(t1 + 9 * cfg.IntervalUs + 2 * cfg.SettleUs);
            Assert.Equal(VrrpState.Master, master.Router.State);
            Assert.Equal(VrrpState.Backup, high.Router.State);
            Assert.All(lan.Trace.Skip(before), t => Assert.Equal(high.Index, t.Node));
        }, iter: 200);
    }

    [Fact]
    public void MasterCrash_FailoverWithinMasterDownIntervalOfItsLastAdvert_Rfc5798_6_4_2()
    {
        Gen.Select(LanGen.Config(preempt: true, allowDelay: false), Gen.Int[0, 999]).Sample((cfg, offset) =>
        {
            SimulatedLan lan = cfg.Build();
            long converged = cfg.SettleUs + cfg.IntervalUs;
            lan.RunUntil(converged);
            SimNode master = lan.Nodes.Single(n => n.Router.State == VrrpState.Master);
            long crashAt = converged + cfg.IntervalUs * offset / 1000;
            lan.At(crashAt, master.Crash);
            int before = lan.Trace.Count;
            lan.RunUntil(crashAt + cfg.SettleUs);
            long lastAdvert = master.LastAdvertAt;
            SimTransition takeover = lan.Trace.Skip(before).First(t => t.To == VrrpState.Master);
            long mdi = lan.Nodes[takeover.Node].Router.MasterDownIntervalMicroseconds;
            Assert.Equal(TransitionCause.MasterDownTimer, takeover.Cause);
            Assert.InRange(takeover.At, lastAdvert + mdi, lastAdvert + cfg.MaxLatencyUs + mdi);
        }, iter: 300);
    }

    [Fact]
    public void MasterRelease_PriorityZeroHandoverWithinSkewTime_Rfc5798_6_4_2()
    {
        Gen.Select(LanGen.Config(preempt: true, allowDelay: false), Gen.Int[0, 999]).Sample((cfg, offset) =>
        {
            SimulatedLan lan = cfg.Build();
            long converged = cfg.SettleUs + cfg.IntervalUs;
            lan.RunUntil(converged);
            SimNode master = lan.Nodes.Single(n => n.Router.State == VrrpState.Master);
            long stopAt = converged + cfg.IntervalUs * offset / 1000;
            lan.At(stopAt, () => master.Router.Shutdown(lan.Now, master));
            int before = lan.Trace.Count;
            lan.RunUntil(stopAt + cfg.SettleUs);
            SimTransition takeover = lan.Trace.Skip(before).First(t => t.To == VrrpState.Master);
            long skew = lan.Nodes[takeover.Node].Router.SkewTimeMicroseconds;
            Assert.Equal(TransitionCause.PriorityZeroReceived, takeover.Cause);
            Assert.InRange(takeover.At, stopAt + skew, stopAt + cfg.MaxLatencyUs + skew);
        }, iter: 300);
    }

    [Fact]
    public void SameSeedAndSchedule_GiveTheSameTrace()
    {
        Gen.Select(LanGen.Config(), LanGen.Schedule).Sample((cfg, schedule) =>
        {
            SimulatedLan a = cfg.Build();
            RunSchedule(a, cfg, schedule);
            SimulatedLan b = cfg.Build();
            RunSchedule(b, cfg, schedule);
            Assert.Equal(a.Trace, b.Trace);
        }, iter: 100);
    }
}
