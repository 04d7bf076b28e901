namespace VrrpPS.StateMachine;

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
