using VrrpPS.Engine.Tracking;
using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

// Tracking: trackers feed the effective priority and FAULT. Runs on the engine thread only.
internal sealed partial class InstanceRuntime
{
    private readonly TrackerSet _trackers = new();
    private int _basePriority = -1;
    private string? _groupFault;
    private string? _priorityReason;
    private string? _faultClearedReason;
    private bool _disposed;

    /// <summary>The configured (or Set-VrrpInstance) priority before weights.</summary>
    public int BasePriority => _basePriority < 0 ? Definition.Priority : _basePriority;

    /// <summary>FAULT for this instance's own reasons (link, trackers), not because of its sync group.</summary>
    public string? OwnFaultReason => _brokenReason
        ?? (!_linkUp && !Definition.DontTrackPrimary ? $"interface {Resolved.Interface.Name} down" : _trackers.FaultReason);

    // Runs once per instance (at its start, after any vrrp_startup_delay): never again on a resume.
    private void InitTracking(EngineServices? services, long now)
    {
        if (!_trackers.Initialise(Definition, _platform.FindInterface, TrackerRunner.ReadValue, DateTime.UtcNow,
            name => _log.Warning(Name, $"track_interface {name} does not exist: counted as down")))
        {
            return;
        }
        if (services is not null)
        {
            StartChecks(services, now);
        }
        var d = Definition;
        if (d.SyncGroup is string group && _trackers.WeightedNames is { Count: > 0 } weighted)
        {
            // keepalived 2.2 drops such trackers (they are not even run): a notorious way to lose failover.
            _log.Warning(Name, $"is in sync group {group} and tracks {string.Join(", ", weighted)} with a non-zero weight: keepalived ignores such trackers "
                + "(\"ignoring tracked script with weights due to SYNC group\") unless sync_group_tracking_weight is set; VrrpPS applies the weights. "
                + "Use weight 0 (FAULT) on sync group members for the same behaviour on both");
        }
        if (Resolved.IsAddressOwner && _trackers.WeightedNames.Count > 0)
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
        if (_trackers.OnLinkChange(index, up, DateTime.UtcNow) is { } change)
        {
            _log.Info(Name, change);
            UpdateTracking(now, change);
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
        _trackers.ResynchroniseInterfaces(_platform.FindInterface, DateTime.UtcNow, change => UpdateTracking(now, change));
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
            int p = _trackers.EffectivePriority(BasePriority);
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

    private VrrpTrackerState[] TrackerSnapshot() => _trackers.Snapshot(Name);

    private void StopTracking()
    {
        _disposed = true;
        _checks.Cancel();
        _checks.Dispose();
    }
}
