using VrrpPS.Engine;
using VrrpPS.StateMachine;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>What one explored schedule did (for the figures in the test output).</summary>
internal sealed record ExplorationResult(int Seed, long Steps, int Faults, HashSet<Fault> Kinds);

/// <summary>
/// Runs one <see cref="ClusterScenario"/> on the real engines in simulated time and checks the
/// invariants after every step and after the cluster has settled. A violation throws with the seed;
/// <c>EngineExplorer.Run(seed)</c> replays it exactly.
/// </summary>
internal static class EngineExplorer
{
    /// <summary>Where a replay prints the schedule as it is applied (null: silent).</summary>
    public static Action<string>? Trace { get; set; }

    public static ExplorationResult Run(int seed)
    {
        try
        {
            return Explore(seed);
        }
        catch (Exception ex) when (ex is not InvariantViolation)
        {
            throw new InvariantViolation($"seed {seed} (replay: EngineExplorer.Run({seed})): {ex.GetType().Name} escaped: {ex.Message}", ex);
        }
    }

    private static ExplorationResult Explore(int seed)
    {
        var sc = new ClusterScenario(seed);
        using var sim = new EngineSimulator(seed);
        var released = new Dictionary<(int Node, string Name), int>();   // wire count when released
        var transitions = new List<List<(string Name, VrrpState From, VrrpState To)>>();
        for (int n = 0; n < sc.Nodes; n++)
        {
            var node = sim.AddNode(sc.Address(n));
            node.Runner.Programs[ClusterScenario.CheckProgram] = ProgramBehaviour.Succeed;
            node.Engine.Start(sc.Definitions(n));
        }
        var logs = sim.Nodes.Select(x => x.Engine.Log.Subscribe()).ToList();
        var trackersPerInstance = Enumerable.Range(0, sc.Nodes).Select(n => sc.Weights[n] == int.MinValue ? 0 : 1).ToArray();
        void Check(EngineSimulator s)
        {
            for (int i = 0; i < logs.Count; i++)
            {
                while (logs[i].TryDequeue(out var e))
                {
                    Trace?.Invoke($"t={s.Now} node {i + 1}: {e}");
                }
            }
            EngineInvariants.EveryStep(sc, s, released, trackersPerInstance);
        }
        sim.AfterStep = Check;
        sim.RunFor(TimeSpan.FromMicroseconds(5 * sc.IntervalUs));

        long span = 60 * sc.IntervalUs;
        long start = sim.Now;
        var schedule = sc.Schedule(span);
        var kinds = new HashSet<Fault>();
        foreach (var (at, fault, n, length) in schedule)
        {
            kinds.Add(fault);
            sim.At(start + at, () =>
            {
                Trace?.Invoke($"t={sim.Now} node {n + 1}: {fault} ({length} µs)");
                Apply(sc, sim, sim.Nodes[n], n, fault, length, released);
            });
        }
        sim.RunUntil(start + span + 6 * sc.IntervalUs);

        // Quiet: every fault cleared; the cluster must settle.
        foreach (var (node, i) in sim.Nodes.Select((x, i) => (x, i)))
        {
            node.StalledUntil = 0;
            node.Host.FailNext.Clear();
            node.Runner.Programs[ClusterScenario.CheckProgram] = ProgramBehaviour.Succeed;
            if (!node.Host.Interface.IsUp)
            {
                node.Host.SetLink(true);
            }
            foreach (var name in sc.InstanceNames.Where(x => released.ContainsKey((i, x))).ToList())
            {
                released.Remove((i, name));
                TryEngine(() => node.Engine.Resume(name));
            }
        }
        sim.Network.Loss = 0;
        sim.Network.Duplication = 0;
        sim.Network.JitterMicroseconds = 0;
        long settle = 12 * sc.IntervalUs + 4_000_000; // Master_Down, a check cycle and a stalled-start margin
        sim.RunFor(TimeSpan.FromMicroseconds(settle));
        EngineInvariants.Settled(sc, sim);
        return new ExplorationResult(seed, sim.Steps, schedule.Count, kinds);
    }

    private static void Apply(ClusterScenario sc, EngineSimulator sim, SimNode node, int n, Fault fault, long length,
        Dictionary<(int, string), int> released)
    {
        string name = sc.InstanceNames[sc.Next(sc.InstanceNames.Length)];
        switch (fault)
        {
            case Fault.Stall:
                node.StalledUntil = sim.Now + length;
                break;
            case Fault.Loss:
                sim.Network.Loss = 0.3;
                sim.At(sim.Now + length, () => sim.Network.Loss = 0);
                break;
            case Fault.Duplicate:
                sim.Network.Duplication = 0.5;
                sim.At(sim.Now + length, () => sim.Network.Duplication = 0);
                break;
            case Fault.Reorder:
                sim.Network.JitterMicroseconds = Math.Max(1000, sc.IntervalUs);
                sim.At(sim.Now + length, () => sim.Network.JitterMicroseconds = 0);
                break;
            case Fault.LinkFlap:
                node.Host.SetLink(false);
                sim.At(sim.Now + length, () => node.Host.SetLink(true));
                break;
            case Fault.RecreateInterface:
                node.Host.RecreateInterface(node.Host.Interface.Index + 10);
                break;
            case Fault.LinkMonitorOverrun:
                node.Host.Interface.IsUp = false;
                node.Host.LinkMonitor.Overflow();
                sim.At(sim.Now + length, () => { node.Host.Interface.IsUp = true; node.Host.LinkMonitor.Overflow(); });
                break;
            case Fault.TrackerFlap:
            case Fault.HungCheck:
                node.Runner.Programs[ClusterScenario.CheckProgram] = fault == Fault.TrackerFlap ? ProgramBehaviour.Fail : ProgramBehaviour.Hang;
                sim.At(sim.Now + length, () => node.Runner.Programs[ClusterScenario.CheckProgram] = ProgramBehaviour.Succeed);
                break;
            case Fault.ReleaseResume:
                if (!released.ContainsKey((n, name)) && TryEngine(() => node.Engine.Release(name)))
                {
                    released[(n, name)] = sim.Network.Wire.Count;
                    sim.At(sim.Now + length, () =>
                    {
                        if (released.Remove((n, name)))
                        {
                            TryEngine(() => node.Engine.Resume(name));
                        }
                    });
                }
                break;
            case Fault.ResumeNotReleased:
                if (!released.ContainsKey((n, name)))
                {
                    TryEngine(() => node.Engine.Resume(name));
                }
                break;
            case Fault.PriorityChange:
                if (sc.Priorities[n] != 255)
                {
                    TryEngine(() => node.Engine.SetPriority(name, 1 + sc.Next(254)));
                }
                break;
            case Fault.ReloadUnchanged:
            case Fault.ReloadChanged:
                // Changed: a priority-only change (applied in place) or another option (a restart).
                var desired = sc.InstanceNames.Select(x => fault == Fault.ReloadUnchanged || x != name ? sc.Definition(n, x)
                    : sc.Next(2) == 0 && sc.Priorities[n] != 255 ? sc.Definition(n, x, priority: Math.Clamp(sc.Priorities[n] + 1, 1, 254))
                    : sc.Definition(n, x) with { GarpRepeat = 3 }).ToList();
                TryEngine(() => node.Engine.Reconcile(desired, sc.InstanceNames));
                break;
            case Fault.ReloadRefused:
                var names = node.Engine.GetStates().Select(s => s.Name).OrderBy(x => x).ToList();
                var bad = sc.InstanceNames.Select(x => sc.Definition(n, x) with { VirtualRouterId = x == name ? 0 : sc.Definition(n, x).VirtualRouterId }).ToList();
                if (TryEngine(() => node.Engine.Reconcile(bad, sc.InstanceNames)))
                {
                    throw new InvalidOperationException($"seed {sc.Seed}: a reload with VRID 0 was accepted");
                }
                var after = node.Engine.GetStates().Select(s => s.Name).OrderBy(x => x).ToList();
                if (!names.SequenceEqual(after))
                {
                    throw new InvalidOperationException($"seed {sc.Seed}: a refused reload changed the instances ({string.Join(",", names)} -> {string.Join(",", after)})");
                }
                break;
            case Fault.PlatformThrows:
                node.Host.FailNext.Add(new[] { "send", "receive", "announce", "netlink" }[sc.Next(4)]);
                break;
        }
    }

    private static bool TryEngine(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (VrrpEngineException)
        {
            return false;
        }
    }

    private static bool TryEngine<T>(Func<T> action) => TryEngine(() => { action(); });
}
