using VrrpPS.Engine;
using VrrpPS.StateMachine;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>What must hold in every simulated run: after every step, and once the cluster has settled.</summary>
internal static class EngineInvariants
{
    public static void EveryStep(ClusterScenario sc, EngineSimulator sim, Dictionary<(int Node, string Name), int> released, int[] trackers)
    {
        for (int n = 0; n < sim.Nodes.Count; n++)
        {
            var node = sim.Nodes[n];
            if (node.Engine.IsStopped)
            {
                Fail(sc, sim, $"node {n + 1}: the engine loop stopped");
            }
            foreach (var s in node.Engine.GetStates())
            {
                var vip = sc.VipOf(s.Name);
                int held = node.Host.SimAddresses.Count(vip);
                // (Until the engine has read the news, a deleted interface's addresses are simply gone.)
                if (held > 1 || ((held == 1) != (s.State == VrrpState.Master) && !node.Host.LinkMonitor.HasData))
                {
                    Fail(sc, sim, $"node {n + 1} {s.Name}: {s.State} but holds its VIP {held} time(s)");
                }
                if (s.Tracker.Length != trackers[n])
                {
                    Fail(sc, sim, $"node {n + 1} {s.Name}: {s.Tracker.Length} trackers, configured {trackers[n]}");
                }
                if (s.Priority != 255)
                {
                    int expected = Math.Clamp(s.Priority + s.Tracker.Where(t => !t.Faulting).Sum(t => t.Contribution), 1, 254);
                    if (s.EffectivePriority != expected)
                    {
                        Fail(sc, sim, $"node {n + 1} {s.Name}: effective priority {s.EffectivePriority}, base {s.Priority} + weights = {expected}");
                    }
                }
                if (released.TryGetValue((n, s.Name), out int wireAtRelease))
                {
                    int vrid = s.VirtualRouterId;
                    if (s.State != VrrpState.Initialize || sim.Network.Wire.Skip(wireAtRelease).Any(w => w.Host == node.Host.Id && w.Vrid == vrid))
                    {
                        Fail(sc, sim, $"node {n + 1} {s.Name}: released, but {s.State} or advertising");
                    }
                }
            }
            if (node.TakeoversWithInputPending.Count > 0)
            {
                Fail(sc, sim, $"node {n + 1}: Master_Down fired with adverts waiting unread ({node.TakeoversWithInputPending[0]})");
            }
            // Notify order = transition order: every instance's transitions form one chain.
            foreach (var group in node.Transitions.GroupBy(t => t.Name))
            {
                var chain = group.ToList();
                for (int i = 1; i < chain.Count; i++)
                {
                    if (chain[i].From != chain[i - 1].To)
                    {
                        Fail(sc, sim, $"node {n + 1} {group.Key}: transition {chain[i].From}->{chain[i].To} after {chain[i - 1].From}->{chain[i - 1].To}"
                            + $" (history: {string.Join(" | ", node.Transitions.Where(t => t.Name == group.Key).Select(t => $"{t.From}->{t.To}"))})");
                    }
                }
            }
        }
    }

    /// <summary>After the quiet period: one Master per VRID among the routers that take part; with preemption, the highest.</summary>
    public static void Settled(ClusterScenario sc, EngineSimulator sim)
    {
        foreach (var name in sc.InstanceNames)
        {
            var states = sim.Nodes.Select((node, n) => (n, s: node.Engine.GetStates().SingleOrDefault(x => x.Name == name)))
                .Where(x => x.s is not null && x.s.State is VrrpState.Master or VrrpState.Backup).ToList();
            var masters = states.Where(x => x.s!.State == VrrpState.Master).ToList();
            if (states.Count > 0 && masters.Count != 1)
            {
                Fail(sc, sim, $"{name} settled with {masters.Count} Masters: " + string.Join(", ", states.Select(x => $"node {x.n + 1} {x.s!.State} {x.s.EffectivePriority}")));
            }
            if (sc.Preempt && !sc.SyncGroup && masters.Count == 1)
            {
                // RFC 5798 §6.4.2: a Backup preempts only a lower priority; between equals the Master stays.
                var best = states.OrderByDescending(x => x.s!.EffectivePriority).First();
                if (best.s!.EffectivePriority > masters[0].s!.EffectivePriority)
                {
                    Fail(sc, sim, $"{name}: node {masters[0].n + 1} ({masters[0].s!.EffectivePriority}) is Master, node {best.n + 1} ({best.s!.EffectivePriority}) should have preempted");
                }
            }
        }
    }

    private static void Fail(ClusterScenario sc, EngineSimulator sim, string what) =>
        throw new InvariantViolation($"seed {sc.Seed} (replay: EngineExplorer.Run({sc.Seed})), t={sim.Now} µs, step {sim.Steps}: {what}");
}

internal sealed class InvariantViolation(string message, Exception? inner = null) : Exception(message, inner);
