using Xunit;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;

namespace VrrpPS.Tests.StateMachine;

/// <summary>DESIGN §4: no allocation per advert or timer in steady state.</summary>
public class AllocationTests
{
    private sealed class CountingActions : IRouterActions
    {
        public int Sent;
        public void SendAdvertisement(long now, byte priority) => Sent++;
        public void AddVirtualAddresses(long now) { }
        public void RemoveVirtualAddresses(long now) { }
        public void AnnounceVirtualAddresses(long now) { }
        public void StateChanged(long now, VrrpState from, VrrpState to, TransitionCause cause, IpAddressValue peer, byte peerPriority) { }
    }

    private static readonly IpAddressValue LowerSource = IpAddressValue.Parse("198.51.100.3");

    private static long Run(VirtualRouter master, VirtualRouter backup, CountingActions a, int rounds, long start)
    {
        var toBackup = new ReceivedAdvertisement(200, 1, master.PrimaryAddress);
        var lower = new ReceivedAdvertisement(50, 1, LowerSource);
        long now = start;
        for (int i = 0; i < rounds; i++)
        {
            now = master.NextDeadline;
            master.OnTimer(now, a);
            backup.OnAdvertisement(now + 5, in toBackup, a);
            backup.OnTimer(now + 6, a);
            master.OnAdvertisement(now + 7, in lower, a);
        }
        return now;
    }

    [Fact]
    public void SteadyState_AdvertsAndTimers_AllocateNothing()
    {
        var a = new CountingActions();
        var master = new VirtualRouter(new VirtualRouterOptions
        {
            VirtualRouterId = 1, Priority = 200, AdvertisementIntervalCentiseconds = 1,
            PrimaryAddress = IpAddressValue.Parse("198.51.100.1"),
        });
        var backup = new VirtualRouter(new VirtualRouterOptions
        {
            VirtualRouterId = 1, Priority = 100, AdvertisementIntervalCentiseconds = 1,
            PrimaryAddress = IpAddressValue.Parse("198.51.100.2"),
        });
        master.Startup(0, a);
        master.OnTimer(master.NextDeadline, a);
        backup.Startup(0, a);
        long now = Run(master, backup, a, 1_000, 0);   // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(master, backup, a, 20_000, now);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(VrrpState.Master, master.State);
        Assert.Equal(VrrpState.Backup, backup.State);
        Assert.True(a.Sent > 40_000);
    }
}
