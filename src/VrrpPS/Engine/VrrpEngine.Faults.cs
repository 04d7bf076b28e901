namespace VrrpPS.Engine;

// Fault isolation and link identity. An exception from one instance (send, receive, netlink, a
// tracker callback, a delayed start) puts that instance in FAULT with the reason; the loop and
// every other instance go on. A link deleted and re-created (new ifindex) restarts the instances
// on it; a link monitor that lost notifications re-reads every link.
public sealed partial class VrrpEngine
{
    private readonly List<InstanceRuntime> _recreate = [];
    private int _linkMonitorFailures;

    /// <summary>Runs one instance's work; an exception faults that instance only.</summary>
    private void Guard(InstanceRuntime inst, long now, Action<InstanceRuntime, long> work)
    {
        try
        {
            work(inst, now);
        }
        catch (Exception ex)
        {
            FaultInstance(inst, now, ex);
        }
    }

    private void FaultInstance(InstanceRuntime inst, long now, Exception ex)
    {
        Log.Error(inst.Name, $"Internal error, instance put in FAULT ({ex.GetType().Name}: {ex.Message})");
        try
        {
            inst.Broken(now, $"internal error: {ex.Message}");
        }
        catch (Exception again)
        {
            Log.Error(inst.Name, $"Could not enter FAULT cleanly ({again.Message}); the instance is halted");
            inst.Halt();
        }
    }

    private void DrainLinkMonitor(long now)
    {
        var monitor = _linkMonitor!;
        int overrunsBefore = monitor.Overruns;
        for (int round = 0; round < 16; round++)
        {
            int n;
            try
            {
                n = monitor.Drain(_linkChanges);
                _linkMonitorFailures = 0;
            }
            catch (Exception ex)
            {
                // Not fatal: the kernel's view is read again instead. A monitor that keeps failing is dropped
                // (instances then learn of link changes only through errors), so it cannot spin the loop.
                Log.Error(null, $"Reading link notifications failed ({ex.Message}): re-reading every interface");
                ResynchroniseLinks(now);
                if (++_linkMonitorFailures >= 100)
                {
                    Log.Error(null, "The link monitor keeps failing: link monitoring stopped");
                    _poller.Remove(monitor.FileDescriptor);
                    _linkMonitor = null;
                }
                break;
            }
            for (int c = 0; c < n; c++)
            {
                ApplyLinkChange(now, _linkChanges[c]);
            }
            if (n < _linkChanges.Length)
            {
                break;
            }
        }
        if (monitor.Overruns != overrunsBefore)
        {
            Log.Warning(null, "Link notifications were lost (netlink overrun): re-reading every interface");
            ResynchroniseLinks(now);
        }
        RecreateMoved(now);
    }

    private void ApplyLinkChange(long now, LinkChange change)
    {
        foreach (var inst in _instances)
        {
            if (change.Name is not null && change.IsUp && change.InterfaceIndex != inst.InterfaceIndex
                && string.Equals(change.Name, inst.Resolved.Interface.Name, StringComparison.Ordinal))
            {
                MarkForRecreation(inst);
                continue;
            }
            Guard(inst, now, (r, t) => r.OnLinkChange(t, change.InterfaceIndex, change.IsUp));
        }
    }

    private void MarkForRecreation(InstanceRuntime inst)
    {
        if (!_recreate.Contains(inst))
        {
            _recreate.Add(inst);
        }
    }

    /// <summary>After lost notifications: the kernel's view of every interface an instance uses.</summary>
    private void ResynchroniseLinks(long now)
    {
        foreach (var inst in _instances)
        {
            var byName = _platform.FindInterface(inst.Resolved.Interface.Name);
            if (byName is not null && byName.Index != inst.InterfaceIndex)
            {
                MarkForRecreation(inst);
                continue;
            }
            Guard(inst, now, (r, t) => r.ResynchroniseLinks(t));
        }
    }

    /// <summary>The interface was deleted and created again under the same name: start the instance on the new one.</summary>
    private void RecreateMoved(long now)
    {
        foreach (var inst in _recreate)
        {
            if (!_instances.Contains(inst))
            {
                continue;
            }
            var definition = inst.Definition;
            bool released = inst.IsReleased; // a released instance stays out of the election on the new interface too
            Log.Warning(inst.Name, $"Interface {definition.InterfaceName} was re-created (new index): restarting the instance on it");
            var others = _instances.Where(i => i != inst).Select(i => i.Definition).ToList();
            RemoveInstance(inst, now);
            try
            {
                StartRuntime(InstanceValidator.Resolve(definition, _platform, others), now, released);
            }
            catch (Exception ex)
            {
                Log.Error(definition.Name, $"Could not restart on the re-created interface ({ex.Message}); the instance is stopped");
            }
        }
        _recreate.Clear();
        Volatile.Write(ref _instanceCount, _instances.Count);
    }
}
