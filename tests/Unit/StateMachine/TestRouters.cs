using Xunit;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;

namespace VrrpPS.Tests.StateMachine;

/// <summary>Records every action a VirtualRouter asks for, in order.</summary>
internal sealed class RecordingActions : IRouterActions
{
    public List<string> Log { get; } = [];
    /// <summary>The <c>now</c> each action in <see cref="Log"/> was called with (same index).</summary>
    public List<long> Times { get; } = [];
    public List<byte> Sent { get; } = [];
    public List<(VrrpState From, VrrpState To, TransitionCause Cause, IpAddressValue Peer, byte PeerPriority)> Transitions { get; } = [];
    public bool HoldsVips { get; private set; }

    public void SendAdvertisement(long now, byte priority)
    {
        Sent.Add(priority);
        Add(now, $"advert {priority}");
    }

    public void AddVirtualAddresses(long now)
    {
        HoldsVips = true;
        Add(now, "add");
    }

    public void RemoveVirtualAddresses(long now)
    {
        HoldsVips = false;
        Add(now, "remove");
    }

    public void AnnounceVirtualAddresses(long now) => Add(now, "announce");

    public void StateChanged(long now, VrrpState from, VrrpState to, TransitionCause cause, IpAddressValue peer, byte peerPriority)
    {
        Transitions.Add((from, to, cause, peer, peerPriority));
        Add(now, $"{from}->{to} {cause}");
    }

    private void Add(long now, string entry)
    {
        Log.Add(entry);
        Times.Add(now);
    }

    public void Clear()
    {
        Log.Clear();
        Times.Clear();
        Sent.Clear();
        Transitions.Clear();
    }
}

internal static class TestRouters
{
    public const long Second = 1_000_000;
    public const string OurAddress = "198.51.100.10";
    public static readonly IpAddressValue Ours = IpAddressValue.Parse(OurAddress);
    public static readonly IpAddressValue Peer = IpAddressValue.Parse("198.51.100.20");
    public static readonly IpAddressValue LowPeer = IpAddressValue.Parse("198.51.100.5");

    public static VirtualRouterOptions Options(byte priority = 100, VrrpVersion version = VrrpVersion.V3,
        int intervalCs = 100, bool preempt = true, long preemptDelayUs = 0, bool owner = false,
        bool lowerNoAdvert = false, string address = OurAddress) => new()
        {
            VirtualRouterId = 51,
            Priority = priority,
            Version = version,
            AdvertisementIntervalCentiseconds = intervalCs,
            Preempt = preempt,
            PreemptDelayMicroseconds = preemptDelayUs,
            IsAddressOwner = owner,
            LowerPriorityNoAdvert = lowerNoAdvert,
            PrimaryAddress = IpAddressValue.Parse(address),
        };

    public static VirtualRouter Started(VirtualRouterOptions options, RecordingActions a, long now = 0)
    {
        var r = new VirtualRouter(options);
        r.Startup(now, a);
        a.Clear();
        return r;
    }

    /// <summary>A non-owner that has become Master through its Master_Down_Timer at the returned time.</summary>
    public static VirtualRouter StartedMaster(VirtualRouterOptions options, RecordingActions a, out long masterSince)
    {
        var r = new VirtualRouter(options);
        r.Startup(0, a);
        masterSince = r.NextDeadline;
        r.OnTimer(masterSince, a);
        Assert.Equal(VrrpState.Master, r.State);
        a.Clear();
        return r;
    }

    public static ReceivedAdvertisement Adv(byte priority, int intervalCs = 100, IpAddressValue? source = null) =>
        new(priority, intervalCs, source ?? Peer);
}
