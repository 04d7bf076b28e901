using VrrpPS.Engine.Tracking;
using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

/// <summary>What the engine lends an instance for tracking: a way back onto the engine thread and the runspace.</summary>
internal sealed class EngineServices
{
    /// <summary>Queues work for the engine thread on behalf of an instance (an exception faults that instance only).</summary>
    public required Action<InstanceRuntime, Action<long>> Post { get; init; }
    public required Func<EngineRunspace> Runspace { get; init; }
    /// <summary>Where track_process counts processes (Linux: /proc).</summary>
    public required IProcessTable Processes { get; init; }
    /// <summary>How track scripts run.</summary>
    public required IProcessRunner Runner { get; init; }
    /// <summary>Where file reads and /proc scans run (never on the engine thread).</summary>
    public required IBlockingWork BlockingWork { get; init; }
    /// <summary>How often track_process counts.</summary>
    public TimeSpan ProcessPoll { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>When the engine started (monotonic µs), for vrrp_startup_delay.</summary>
    public long EngineStartedAt { get; init; }
    /// <summary>notify_master_rx_lower_pri delivery (the engine's notification queues).</summary>
    public Action<string, NotifyDefinition>? MasterReceivedLowerPriority { get; init; }
}

// Tracking: trackers feed the effective priority and FAULT. Runs on the engine thread only.
internal sealed partial class InstanceRuntime
{
    private readonly List<TrackerState> _trackers = [];
    private readonly Dictionary<int, TrackerState> _interfaceTrackers = [];
    private int _basePriority = -1;
    private string? _groupFault;
    private string? _priorityReason;
    private string? _faultClearedReason;
    private bool _disposed;

    /// <summary>The configured (or Set-VrrpInstance) priority before weights.</summary>
    public int BasePriority => _basePriority < 0 ? Definition.Priority : _basePriority;

    /// <summary>FAULT for this instance's own reasons (link, trackers), not because of its sync group.</summary>
    public string? OwnFaultReason => _brokenReason
        ?? (!_linkUp && !Definition.DontTrackPrimary ? $"interface {Resolved.Interface.Name} down" : TrackingMath.FaultReason(_trackers));

    // Runs once per instance (at its start, after any vrrp_startup_delay): never again on a resume.
    private void InitTracking(EngineServices? services, long now)
    {
        if (_trackingInitialised)
        {
            return;
        }
        _trackingInitialised = true;
        var d = Definition;
        foreach (var s in d.TrackScripts)
        {
            var t = new TrackerState(s.Name, s.Kind, s.Weight, s.Reverse, s.Rise, s.Fall, s.InitFail);
            _trackers.Add(t);
            if (services is not null)
            {
                AddScriptCheck(s, t, services, now);
            }
        }
        foreach (var i in d.TrackInterfaces)
        {
            var t = new TrackerState(i.InterfaceName, TrackerKind.Interface, i.Weight, i.Reverse);
            _trackers.Add(t);
            var info = _platform.FindInterface(i.InterfaceName);
            if (info is null)
            {
                t.Apply(false, "missing", $"interface {i.InterfaceName} does not exist", DateTime.UtcNow);
                _log.Warning(Name, $"track_interface {i.InterfaceName} does not exist: counted as down");
            }
            else
            {
                _interfaceTrackers[info.Index] = t;
                t.Apply(info.IsUp, info.IsUp ? "up" : "down", info.IsUp ? null : "link down", DateTime.UtcNow);
            }
        }
        foreach (var f in d.TrackFiles)
        {
            var t = new TrackerState(f.Name, TrackerKind.File, f.Weight, f.Reverse);
            _trackers.Add(t);
            var (value, error) = TrackerRunner.ReadValue(f);
            t.ApplyValue(value, error, DateTime.UtcNow);
            if (services is not null)
            {
                AddFileCheck(f, t, services, now);
            }
        }
        foreach (var p in d.TrackProcesses)
        {
            var t = new TrackerState(p.Name, TrackerKind.Process, p.Weight, p.Reverse);
            _trackers.Add(t);
            if (services is not null)
            {
                // The first count decides at once, so the instance starts with the right priority.
                static string? Error(bool ok, string words) => ok ? null : $"quorum not met: {words}";
                var q = new ProcessQuorum(p);
                int count = ProcessMatcher.Count(p, services.Processes.Read(p.NeedsCommandLine));
                bool inQuorum = q.InQuorum(count);
                t.Apply(inQuorum, q.Describe(count), Error(inQuorum, q.Describe(count)), DateTime.UtcNow);
                q.Observe(count, now / 1e6);
                AddProcessCheck(p, t, q, services, now);
            }
        }
        if (d.SyncGroup is string group && _trackers.Where(t => t.Weight != 0).Select(t => t.Name).ToList() is { Count: > 0 } weighted)
        {
            // keepalived 2.2 drops such trackers (they are not even run): a notorious way to lose failover.
            _log.Warning(Name, $"is in sync group {group} and tracks {string.Join(", ", weighted)} with a non-zero weight: keepalived ignores such trackers "
                + "(\"ignoring tracked script with weights due to SYNC group\") unless sync_group_tracking_weight is set; VrrpPS applies the weights. "
                + "Use weight 0 (FAULT) on sync group members for the same behaviour on both");
        }
        if (Resolved.IsAddressOwner && _trackers.Any(t => t.Weight != 0))
        {
            _log.Warning(Name, "is the address owner (priority 255): tracker weights do not change its priority (keepalived rule); weight-0 trackers still put it in FAULT");
        }
    }

    /// <summary>One check result, on the engine thread.</summary>
    internal void ApplyTrack(long now, TrackerState t, bool ok, string? result, string? error)
    {
        if (t.Apply(ok, result, error, DateTime.UtcNow))
        {
            _log.Info(Name, t.Status == TrackerStatus.Ok ? $"{t.LastChange}" : $"{t.LastChange}");
            UpdateTracking(now, t.LastChange);
        }
    }

    /// <summary>A link change from the link monitor; tracked interfaces adjust priority, the primary may FAULT.</summary>
    public void OnLinkChange(long now, int index, bool up)
    {
        if (index == InterfaceIndex)
        {
            LinkChanged(now, up);
        }
        if (_interfaceTrackers.TryGetValue(index, out var t) && t.Apply(up, up ? "up" : "down", up ? null : "link down", DateTime.UtcNow))
        {
            _log.Info(Name, t.LastChange!);
            UpdateTracking(now, t.LastChange);
        }
    }

    /// <summary>After lost link notifications: re-read the primary and the tracked interfaces.</summary>
    public void ResynchroniseLinks(long now)
    {
        if (_platform.FindInterface(InterfaceIndex) is { } primary)
        {
            LinkChanged(now, primary.IsUp);
        }
        else
        {
            LinkChanged(now, false);
        }
        foreach (var i in _trackingInitialised ? Definition.TrackInterfaces : [])
        {
            var info = _platform.FindInterface(i.InterfaceName);
            var t = _trackers.First(x => x.Kind == TrackerKind.Interface && x.Name == i.InterfaceName);
            if (info is not null)
            {
                _interfaceTrackers[info.Index] = t;
            }
            bool up = info is { IsUp: true };
            if (t.Apply(up, info is null ? "missing" : up ? "up" : "down", up ? null : "link down", DateTime.UtcNow))
            {
                UpdateTracking(now, t.LastChange);
            }
        }
    }

    /// <summary>Sync group: Master, or Backup whose Master_Down_Timer fired but the group gate held it back.</summary>
    public bool WantsMaster => _router.WantsMaster;

    /// <summary>Sync group gate (keepalived vrrp_sync_can_goto_master); null when not in a group.</summary>
    public void SetMasterGate(Func<bool>? gate) => _router.MasterGate = gate;

    /// <summary>Sync group: forced Master or Backup because a sibling changed (keepalived vrrp_sync_master/backup).</summary>
    public bool ForceSyncState(long now, VrrpState to, string reason)
    {
        if (!_started || _released || _halted || _stopping)
        {
            return false;
        }
        _syncReason = reason;
        try
        {
            return to == VrrpState.Master ? _router.ForceMaster(now, this) : _router.ForceBackup(now, this);
        }
        finally
        {
            _syncReason = null;
        }
    }

    /// <summary>Sync group: another member is in FAULT (reason) or no longer (null).</summary>
    public void SetGroupFault(long now, string? reason)
    {
        _groupFault = reason;
        if (!_started || _released || _stopping)
        {
            return; // applied by UpdateTracking at the delayed start
        }
        UpdateFault(now);
    }

    /// <summary>Recomputes the effective priority and FAULT after any tracker change.</summary>
    private void UpdateTracking(long now, string? why)
    {
        if (!Resolved.IsAddressOwner)
        {
            int p = TrackingMath.EffectivePriority(BasePriority, _trackers);
            if (p != _router.Priority)
            {
                _log.Info(Name, $"Changing effective priority from {_router.Priority} to {p}" + (why is null ? "" : $" ({why})"));
                _priorityReason = p == BasePriority ? null : why;
                _router.SetPriority(now, (byte)p, this);
            }
        }
        UpdateFault(now);
    }

    private void UpdateFault(long now)
    {
        string? reason = OwnFaultReason ?? _groupFault;
        if (_released || _stopping)
        {
            FaultReason = reason; // out of the election (released or stopping): remembered, not acted on
            return;
        }
        if (reason is not null && _router.State != VrrpState.Fault)
        {
            FaultReason = reason;
            _router.EnterFault(now, this);
        }
        else if (reason is null && _router.State == VrrpState.Fault)
        {
            _faultClearedReason = FaultReason is null ? null : $"{FaultReason} cleared";
            FaultReason = null;
            _router.LeaveFault(now, this);
        }
        else if (reason is not null)
        {
            FaultReason = reason;
        }
    }

    private string? _syncReason;

    private string WithPriorityReason(string reason) =>
        _priorityReason is null ? reason : $"{reason}; own priority {_router.Priority}: {_priorityReason}";

    private VrrpTrackerState[] TrackerSnapshot() => _trackers.Select(t => t.Snapshot(Name)).ToArray();

    private void StopTracking()
    {
        _disposed = true;
        _checks.Cancel();
        _checks.Dispose();
    }
}
