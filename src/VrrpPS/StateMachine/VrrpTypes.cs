using VrrpPS.Protocol;

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

/// <summary>What <see cref="VirtualRouter.OnAdvertisement"/> did with an advert (for counters and logs).</summary>
public enum AdvertOutcome
{
    /// <summary>Used: timers reset, a transition made, or (Master) a priority-0 advert answered.</summary>
    Accepted,
    /// <summary>
    /// Backup with a running preempt_delay accepted a lower-priority advert (reset Master_Down_Timer)
    /// instead of preempting (keepalived preempt_delay).
    /// </summary>
    PreemptHeldByDelay,
    /// <summary>
    /// A lower-priority advert was discarded: a Master answers it with its own advert (RFC 9568 §6.4.3,
    /// unless LowerPriorityNoAdvert); a preempting Backup lets Master_Down_Timer run out (RFC 5798 §6.4.2).
    /// </summary>
    LowerPriorityIgnored,
    /// <summary>VRRPv2 only: the advert's interval differs from ours, discarded (RFC 3768 §7.1).</summary>
    IntervalMismatch,
    /// <summary>The advert carries our own primary address (looped back or an address conflict); discarded.</summary>
    OwnAddress,
    /// <summary>Initialize or Fault: adverts are not processed.</summary>
    NotActive,
}

/// <summary>
/// An advert already validated by the codec (TTL, checksum, VRID, version, auth).
/// For VRRPv2 the codec converts the interval from seconds to centiseconds (×100).
/// </summary>
public readonly record struct ReceivedAdvertisement(byte Priority, int AdvertisementIntervalCentiseconds, IpAddressValue Source);

/// <summary>
/// Side effects requested by a <see cref="VirtualRouter"/>; implemented by the engine and called
/// synchronously from inside the router's methods, in RFC order. Each call carries the <c>now</c>
/// (monotonic µs) of the input that caused it, so an implementation needs no clock of its own.
/// </summary>
public interface IRouterActions
{
    /// <summary>Send one advert with this priority (0 = release, RFC 5798 §6.4.3 Shutdown).</summary>
    void SendAdvertisement(long now, byte priority);
    void AddVirtualAddresses(long now);
    void RemoveVirtualAddresses(long now);
    /// <summary>Gratuitous ARP / unsolicited NA burst for every virtual address.</summary>
    void AnnounceVirtualAddresses(long now);
    /// <summary>Called after every state change, once the new state is in place.</summary>
    void StateChanged(long now, VrrpState from, VrrpState to, TransitionCause cause, IpAddressValue peer, byte peerPriority);
}
