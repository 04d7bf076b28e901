using VrrpPS.Protocol;

namespace VrrpPS.StateMachine;

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
