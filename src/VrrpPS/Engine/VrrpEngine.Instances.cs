namespace VrrpPS.Engine;

// Instance registry operations. Each runs on the engine thread (through Invoke).
public sealed partial class VrrpEngine
{
    /// <summary>
    /// Validates every definition against the host and the running instances, then starts them
    /// all; if any fails, those already started are stopped again (nothing is half-started).
    /// </summary>
    public IReadOnlyList<VrrpInstanceState> Start(IReadOnlyList<InstanceDefinition> definitions) =>
        Invoke(now =>
        {
            var running = _instances.Select(i => i.Definition).ToList();
            var resolved = new List<ResolvedInstance>();
            foreach (var d in definitions)
            {
                // Each new definition is also checked against the ones before it in the same batch.
                resolved.Add(InstanceValidator.Resolve(d, _platform, running));
                running.Add(d);
            }
            var started = new List<InstanceRuntime>();
            try
            {
                foreach (var r in resolved)
                {
                    started.Add(StartRuntime(r, now));
                }
            }
            catch (Exception ex)
            {
                foreach (var runtime in started)
                {
                    RemoveInstance(runtime, now);
                }
                throw ex as VrrpEngineException ?? new VrrpEngineException(EngineErrorIds.StartFailed,
                    $"Starting the instances failed, none was left running: {ex.Message}", null, ex);
            }
            Volatile.Write(ref _instanceCount, _instances.Count);
            return (IReadOnlyList<VrrpInstanceState>)started.Select(s => s.Snapshot()).ToList();
        });

    /// <summary>Registers and starts one validated instance (used by Start and by reload).</summary>
    private InstanceRuntime StartRuntime(ResolvedInstance resolved, long now, bool released = false)
    {
        var runtime = new InstanceRuntime(resolved, _platform, Log, OnTransition, Services);
        _instances.Add(runtime);
        try
        {
            _byFd[runtime.SocketFd] = runtime;
            _poller.Add(runtime.SocketFd);
            AttachReceiver(runtime);
            AttachSyncGate(runtime);
            runtime.Start(now, released);
        }
        catch
        {
            // Nothing half-started: the instance whose start threw goes too (VIPs, socket, checks).
            RemoveInstance(runtime, now);
            throw;
        }
        return runtime;
    }

    public VrrpInstanceState Stop(string name) =>
        Invoke(now =>
        {
            var inst = Find(name);
            RemoveInstance(inst, now);
            return inst.Snapshot();
        });

    public VrrpInstanceState SetPriority(string name, int priority) =>
        Invoke(now =>
        {
            var inst = Find(name);
            if (priority is < 1 or > 254 || inst.Resolved.IsAddressOwner)
            {
                throw new VrrpEngineException(EngineErrorIds.PriorityOutOfRange, inst.Resolved.IsAddressOwner
                    ? $"({name}) is the address owner (priority 255); its priority cannot be changed."
                    : $"({name}) priority {priority} is out of range: use 1 to 254.", priority);
            }
            Log.Info(name, $"Changing priority to {priority}");
            inst.SetPriority(now, (byte)priority);
            return inst.Snapshot();
        });

    public IReadOnlyList<VrrpInstanceState> GetStates() =>
        Invoke(_ => (IReadOnlyList<VrrpInstanceState>)_instances.Select(i => i.Snapshot()).ToList());

    public IReadOnlyList<string> InstanceNames =>
        Invoke(_ => (IReadOnlyList<string>)_instances.Select(i => i.Name).ToList());

    private InstanceRuntime Find(string name) =>
        _instances.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal))
        ?? throw new VrrpEngineException(EngineErrorIds.InstanceNotFound, $"No VRRP instance named '{name}' runs in this engine.", name);

    private void RemoveInstance(InstanceRuntime inst, long now)
    {
        try
        {
            inst.Stop(now);
        }
        catch (Exception ex)
        {
            Log.Error(inst.Name, $"Error while stopping: {ex.Message}");
        }
        _instances.Remove(inst);
        if (_byFd.Remove(inst.SocketFd) && !_receiverByFd.ContainsKey(inst.SocketFd))
        {
            _poller.Remove(inst.SocketFd);
        }
        DetachReceiver(inst);
        inst.Dispose();
        Volatile.Write(ref _instanceCount, _instances.Count);
    }

    private void OnTransition(InstanceRuntime inst, VrrpTransition t)
    {
        TransitionObserved?.Invoke(this, inst.Name, t);
        NotifyTransition(inst, t);
    }
}
