namespace VrrpPS.Engine;

// Reload (SIGHUP), like keepalived's: the new configuration is validated as a whole first; then
// instances that disappeared stop, new ones start, changed ones restart, a priority-only change is
// applied in place (no flap), and untouched instances keep their state. A dry run (Sync-VrrpConfiguration
// -WhatIf) validates and answers the same question without touching anything.
public sealed partial class VrrpEngine
{
    public ReloadResult Reconcile(IReadOnlyList<InstanceDefinition> desired, IReadOnlyCollection<string> managed, bool dryRun = false) =>
        Invoke(now =>
        {
            var result = new ReloadResult();
            var byName = _instances.Where(i => managed.Contains(i.Name)).ToDictionary(i => i.Name, StringComparer.Ordinal);
            var toStart = new List<InstanceDefinition>();
            var toRestart = new List<InstanceRuntime>();
            var priority = new List<(InstanceRuntime, int)>();
            foreach (var d in desired)
            {
                if (!byName.TryGetValue(d.Name, out var current))
                {
                    toStart.Add(d);
                }
                else if (SameDefinition(current.Definition, d))
                {
                    result.Unchanged = [.. result.Unchanged, d.Name];
                }
                else if (SameDefinition(current.Definition with { Priority = d.Priority }, d) && d.Priority is > 0 and < 255
                         && current.Definition.Priority != 255)
                {
                    priority.Add((current, d.Priority));
                }
                else
                {
                    toRestart.Add(current);
                    toStart.Add(d);
                }
            }
            var removed = byName.Values.Where(i => !desired.Any(d => d.Name == i.Name)).ToList();

            // Validate everything that will (re)start against what stays, before touching anything.
            var staying = _instances.Except(removed).Except(toRestart).Select(i => i.Definition).ToList();
            foreach (var d in toStart)
            {
                InstanceValidator.Resolve(d, _platform, staying);
                staying.Add(d);
            }
            if (dryRun)
            {
                return Summary(result, removed, toRestart, toStart, priority);
            }
            var releasedNames = toRestart.Where(i => i.IsReleased).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            // Real-time: starting instances gets the start-up budget, as the first start does (the scheduling itself
            // may be unchanged by this reload, so ApplyScheduling is not called).
            bool budget = toStart.Count > 0 && BeginRealtimeStartup();
            try
            {
                Apply(now, removed, toRestart, priority, toStart, releasedNames);
            }
            finally
            {
                if (budget)
                {
                    EndOfStartupWork(now);
                }
            }
            Volatile.Write(ref _instanceCount, _instances.Count);
            return Summary(result, removed, toRestart, toStart, priority);
        });

    private void Apply(long now, List<InstanceRuntime> removed, List<InstanceRuntime> toRestart, List<(InstanceRuntime, int)> priority,
        List<InstanceDefinition> toStart, HashSet<string> releasedNames)
    {
        foreach (var inst in removed.Concat(toRestart))
        {
            Log.Info(inst.Name, toRestart.Contains(inst) ? "Configuration changed, restarting" : "Removed from the configuration, stopping");
            RemoveInstance(inst, now);
        }
        foreach (var (inst, p) in priority)
        {
            Log.Info(inst.Name, $"Configuration changed priority to {p}");
            inst.ApplyConfiguredPriority(now, (byte)p);
        }
        foreach (var d in toStart)
        {
            // Resolved again now that the replaced instances (and their VIPs) are gone; a released
            // instance (a failover test in progress) stays out of the election until resumed.
            StartRuntime(InstanceValidator.Resolve(d, _platform, _instances.Select(i => i.Definition)), now, releasedNames.Contains(d.Name));
        }
    }

    private static ReloadResult Summary(ReloadResult result, List<InstanceRuntime> removed, List<InstanceRuntime> toRestart,
        List<InstanceDefinition> toStart, List<(InstanceRuntime, int)> priority)
    {
        result.Stopped = removed.Select(i => i.Name).ToArray();
        result.Restarted = toRestart.Select(i => i.Name).ToArray();
        result.Started = toStart.Select(d => d.Name).Except(result.Restarted).ToArray();
        result.PriorityChanged = priority.Select(p => p.Item1.Name).ToArray();
        return result;
    }

    /// <summary>Value equality including the list members (records compare lists by reference).</summary>
    internal static bool SameDefinition(InstanceDefinition a, InstanceDefinition b) =>
        StructuralEquality.AreEqual(a, b, ignoreProperty: nameof(InstanceDefinition.Source));
}
