using System.Net.Sockets;
using VrrpPS.Protocol;

namespace VrrpPS.StateMachine;

/// <summary>
/// Settings of one virtual router. <see cref="VirtualRouter"/> copies them at construction, so later
/// changes to this object do not affect a running router (runtime priority goes through
/// <see cref="VirtualRouter.SetPriority"/>).
/// </summary>
public sealed class VirtualRouterOptions
{
    /// <summary>Longest accepted preempt delay (keepalived: 0..1000 s).</summary>
    public const long MaxPreemptDelayMicroseconds = 1000L * 1_000_000;

    public byte VirtualRouterId { get; set; }

    /// <summary>1..255; 255 only for the address owner (RFC 5798 §5.2.4).</summary>
    public byte Priority { get; set; } = VrrpConstants.DefaultPriority;

    public VrrpVersion Version { get; set; } = VrrpVersion.V3;

    /// <summary>v2: a multiple of 100 (1..255 s, RFC 3768 §5.3.7); v3: 1..4095 (RFC 5798 §5.2.7).</summary>
    public int AdvertisementIntervalCentiseconds { get; set; } = 100;

    /// <summary>RFC 5798 Preempt_Mode (keepalived: on unless <c>nopreempt</c>). The owner always preempts.</summary>
    public bool Preempt { get; set; } = true;

    /// <summary>keepalived <c>preempt_delay</c>, see <see cref="VirtualRouter"/> remarks.</summary>
    public long PreemptDelayMicroseconds { get; set; }

    /// <summary>RFC 5798 Accept_Mode; carried for the engine (the state machine does not use it).</summary>
    public bool AcceptMode { get; set; }

    /// <summary>Our source address, compared with the sender's to break priority ties.</summary>
    public IpAddressValue PrimaryAddress { get; set; }

    /// <summary>We own the virtual address(es); priority must then be 255.</summary>
    public bool IsAddressOwner { get; set; }

    /// <summary>keepalived <c>vrrp_lower_prio_no_advert</c>: a Master does not answer lower-priority adverts.</summary>
    public bool LowerPriorityNoAdvert { get; set; }

    /// <summary>Returns a description of the first problem, or null when the options are usable.</summary>
    public string? Validate()
    {
        if (VirtualRouterId == 0)
        {
            return "VirtualRouterId must be 1..255.";
        }
        if (Priority == 0)
        {
            return "Priority must be 1..255 (0 is reserved for the release advert).";
        }
        if (Priority == VrrpConstants.OwnerPriority && !IsAddressOwner)
        {
            return "Priority 255 is reserved for the address owner (RFC 5798 §5.2.4); use 1..254 or declare the router the owner.";
        }
        if (IsAddressOwner && Priority != VrrpConstants.OwnerPriority)
        {
            return "The address owner must have priority 255 (RFC 5798 §5.2.4).";
        }
        if (Version == VrrpVersion.V2)
        {
            if (AdvertisementIntervalCentiseconds % 100 != 0 || AdvertisementIntervalCentiseconds < 100
                || AdvertisementIntervalCentiseconds > VrrpConstants.V2MaxIntervalSeconds * 100)
            {
                return "VRRPv2 advertisement interval must be whole seconds, 1..255 s (RFC 3768 §5.3.7).";
            }
        }
        else if (Version == VrrpVersion.V3)
        {
            if (AdvertisementIntervalCentiseconds < 1 || AdvertisementIntervalCentiseconds > VrrpConstants.V3MaxIntervalCentiseconds)
            {
                return "VRRPv3 advertisement interval must be 1..4095 centiseconds (RFC 5798 §5.2.7).";
            }
        }
        else
        {
            return "Version must be 2 or 3.";
        }
        if (PreemptDelayMicroseconds < 0 || PreemptDelayMicroseconds > MaxPreemptDelayMicroseconds)
        {
            return "Preempt delay must be 0..1000 s.";
        }
        if (PrimaryAddress.IsEmpty)
        {
            return "PrimaryAddress is required (it breaks priority ties).";
        }
        if (Version == VrrpVersion.V2 && PrimaryAddress.Family != AddressFamily.InterNetwork)
        {
            return "VRRPv2 is IPv4 only (RFC 3768).";
        }
        return null;
    }
}
