using VrrpPS.Engine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>keepalived's garp_master_delay / garp_master_refresh / garp_lower_prio_* timing, without I/O.</summary>
public sealed class AnnouncementScheduleTests
{
    private const long S = 1_000_000;

    private static InstanceDefinition Def(double delay = 5, double refresh = 0, double lowerDelay = 0, int lowerRepeat = 0) => new()
    {
        Name = "VI_1", InterfaceName = "eth0", VirtualRouterId = 1,
        GarpRepeat = 5, GarpSecondBurstDelaySeconds = delay, GarpRefreshSeconds = refresh, GarpRefreshRepeat = 2,
        GarpLowerPriorityDelaySeconds = lowerDelay, GarpLowerPriorityRepeat = lowerRepeat,
    };

    [Fact]
    public void TheSecondBurstComesOnceAfterTheDelay()
    {
        var a = new AnnouncementSchedule(Def(delay: 5));
        a.BecameMaster(10 * S);
        Assert.Equal(15 * S, a.NextDeadline);
        Assert.Equal(0, a.Due(15 * S - 1));
        Assert.Equal(5, a.Due(15 * S));
        Assert.Equal(long.MaxValue, a.NextDeadline);
    }

    [Fact]
    public void RefreshIsDriftFreeAndALateLoopSendsOneBurstNotACatchUpSeries()
    {
        var a = new AnnouncementSchedule(Def(delay: 0, refresh: 10));
        a.BecameMaster(0);
        Assert.Equal(2, a.Due(10 * S + 300));   // late by 300 µs: next still at 20 s, not 20 s + 300 µs
        Assert.Equal(20 * S, a.NextDeadline);
        Assert.Equal(2, a.Due(75 * S));         // stalled past several periods: one burst
        Assert.Equal(85 * S, a.NextDeadline);
    }

    [Fact]
    public void OneLowerPriorityBurstIsPendingAtATimeAndLeavingMasterCancelsEverything()
    {
        var a = new AnnouncementSchedule(Def(delay: 5, lowerDelay: 2, lowerRepeat: 3));
        a.BecameMaster(0);
        Assert.True(a.LowerPriorityHeard(1 * S));
        Assert.False(a.LowerPriorityHeard(2 * S));
        Assert.Equal(3, a.Due(3 * S));
        Assert.True(a.LowerPriorityHeard(4 * S));
        a.LeftMaster();
        Assert.Equal(long.MaxValue, a.NextDeadline);
        Assert.Equal(0, a.Due(100 * S));
    }
}
