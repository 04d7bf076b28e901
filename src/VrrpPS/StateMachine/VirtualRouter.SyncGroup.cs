namespace VrrpPS.StateMachine;

/// <summary>
/// keepalived vrrp_sync_group operations on one member (the engine decides when to call them):
/// vrrp_sync_master (ForceMaster), vrrp_sync_backup (ForceBackup) and vrrp_sync_can_goto_master
/// (MasterGate, consulted when Master_Down_Timer fires).
/// </summary>
public sealed partial class VirtualRouter
{
    /// <summary>
    /// keepalived vrrp_sync_group: asked when this Backup's Master_Down_Timer fires; false keeps it
    /// Backup (timer restarted, <see cref="WantsMaster"/> set) until every member wants Master, so
    /// a group never splits between routers (keepalived vrrp_sync_can_goto_master). Null: no group.
    /// </summary>
    public Func<bool>? MasterGate { get; set; }

    /// <summary>True when Master, or Backup whose Master_Down_Timer fired but <see cref="MasterGate"/> held it back.</summary>
    public bool WantsMaster => State == VrrpState.Master || (State == VrrpState.Backup && _wantsMaster);

    /// <summary>Sync group: Backup → Master because another member became Master (advert, VIPs, announce).</summary>
    public bool ForceMaster(long now, IRouterActions a)
    {
        if (State != VrrpState.Backup)
        {
            return false;
        }
        BecomeMaster(now, a, VrrpState.Backup, TransitionCause.SyncGroup, default, 0);
        return true;
    }

    /// <summary>
    /// Sync group: Master → Backup because another member lost to a higher-priority Master. The VIPs
    /// go, no priority-0 advert is sent (keepalived only releases on shutdown/fault), and
    /// Master_Down_Timer starts so the member can come back once the whole group wants Master.
    /// </summary>
    public bool ForceBackup(long now, IRouterActions a)
    {
        if (State != VrrpState.Master)
        {
            return false;
        }
        _adverDeadline = long.MaxValue;
        State = VrrpState.Backup;
        ClearPreemptDelay();
        MasterAddress = default;
        MasterPriority = 0;
        RecomputeTimers();
        StartMasterDownTimer(now);
        a.RemoveVirtualAddresses(now);
        a.StateChanged(now, VrrpState.Master, VrrpState.Backup, TransitionCause.SyncGroup, default, 0);
        return true;
    }
}
