namespace VrrpPS.StateMachine;

/// <summary>
/// The states of RFC 5798 §6.4 / RFC 9568 §6.4, plus keepalived's FAULT.
/// RFC 9568 renamed the Master state to "Active" (and Master_Down_Timer to Active_Down_Timer);
/// this code keeps the RFC 3768/5798 and keepalived names.
/// </summary>
public enum VrrpState
{
    /// <summary>RFC 5798 §6.4.1: not started, or shut down.</summary>
    Initialize,
    /// <summary>RFC 5798 §6.4.2: watching the Master; Master_Down_Timer running.</summary>
    Backup,
    /// <summary>RFC 5798 §6.4.3 ("Active" in RFC 9568): owns the virtual addresses; Adver_Timer running.</summary>
    Master,
    /// <summary>keepalived FAULT: interface down or a tracked object failed; no timers, adverts ignored.</summary>
    Fault,
}
