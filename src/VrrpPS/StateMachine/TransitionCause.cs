namespace VrrpPS.StateMachine;

/// <summary>Why a transition happened (passed to <see cref="IRouterActions.StateChanged"/>).</summary>
public enum TransitionCause
{
    /// <summary>RFC 5798 §6.4.1 Startup event.</summary>
    Startup,
    /// <summary>RFC 5798 §6.4.2/§6.4.3 Shutdown event.</summary>
    Shutdown,
    /// <summary>Backup → Master: the Master went silent for Master_Down_Interval.</summary>
    MasterDownTimer,
    /// <summary>Master → Backup: an advert with higher priority (or equal priority and higher address).</summary>
    HigherPriorityAdvert,
    /// <summary>Backup → Master by preemption: lower-priority adverts were discarded until Master_Down_Timer fired.</summary>
    LowerPriorityAdvert,
    /// <summary>Backup → Master after the Master released (priority 0): Master_Down_Timer was Skew_Time.</summary>
    PriorityZeroReceived,
    /// <summary>Backup → Master by preemption once the keepalived-style preempt_delay had run out.</summary>
    PreemptDelayExpired,
    /// <summary>Backup → Master by preemption because our own priority was raised above the Master's.</summary>
    PriorityChanged,
    /// <summary>Into Fault (<see cref="VirtualRouter.EnterFault"/>).</summary>
    Fault,
    /// <summary>Out of Fault (<see cref="VirtualRouter.LeaveFault"/>).</summary>
    FaultCleared,
    /// <summary>Forced by a keepalived vrrp_sync_group member (<see cref="VirtualRouter.ForceMaster"/>/<see cref="VirtualRouter.ForceBackup"/>).</summary>
    SyncGroup,
}
