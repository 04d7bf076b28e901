using Xunit;
using VrrpPS.StateMachine;
using static VrrpPS.Tests.StateMachine.TestRouters;

namespace VrrpPS.Tests.StateMachine;

/// <summary>keepalived 2.x preempt_delay, as implemented in vrrp_state_backup (facts read, not copied).</summary>
public class PreemptDelayTests
{
    [Fact]
    public void AfterStartup_BackupDoesNotPreemptLowerMaster_UntilDelayHasPassed_Keepalived()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 200, preemptDelayUs: 5 * Second), a);   // MDI = 3 s + 218 750 µs
        // a lower-priority Master advertises every second from t = 0.5 s
        long t = Second / 2;
        Assert.Equal(AdvertOutcome.PreemptHeldByDelay, r.OnAdvertisement(t, Adv(100), a));   // starts the delay: until 5.5 s
        Assert.True(r.IsPreemptDelayRunning);
        long lastAccepted = t;
        for (t += Second; t < 5_500_000; t += Second)
        {
            Assert.Equal(AdvertOutcome.PreemptHeldByDelay, r.OnAdvertisement(t, Adv(100), a));
            Assert.Equal(t + r.MasterDownIntervalMicroseconds, r.NextDeadline);
            lastAccepted = t;
        }
        Assert.Equal(4_500_000, lastAccepted);
        // from 5.5 s on the delay has passed: lower adverts are discarded and the timer runs out
        for (; t < lastAccepted + r.MasterDownIntervalMicroseconds; t += Second)
        {
            Assert.Equal(AdvertOutcome.LowerPriorityIgnored, r.OnAdvertisement(t, Adv(100), a));
            r.OnTimer(t, a);
            Assert.Equal(VrrpState.Backup, r.State);
        }
        r.OnTimer(lastAccepted + r.MasterDownIntervalMicroseconds, a);
        Assert.Equal((VrrpState.Backup, VrrpState.Master, TransitionCause.PreemptDelayExpired, Peer, (byte)100), a.Transitions.Single());
    }

    [Fact]
    public void HigherOrEqualAdvert_StopsTheDelay_AndTheNextLowerAdvertRestartsIt_Keepalived()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 200, preemptDelayUs: 5 * Second), a);
        r.OnAdvertisement(Second, Adv(100), a);
        Assert.True(r.IsPreemptDelayRunning);
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(2 * Second, Adv(220), a));
        Assert.False(r.IsPreemptDelayRunning);
        // the delay restarts at 7 s, so at 8 s (past the first delay's end of 6 s) the advert is still held
        Assert.Equal(AdvertOutcome.PreemptHeldByDelay, r.OnAdvertisement(7 * Second, Adv(100), a));
        Assert.Equal(AdvertOutcome.PreemptHeldByDelay, r.OnAdvertisement(8 * Second, Adv(100), a));
        Assert.Equal(AdvertOutcome.LowerPriorityIgnored, r.OnAdvertisement(12 * Second, Adv(100), a));
    }

    [Fact]
    public void NoPreempt_MakesTheDelayIrrelevant()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 200, preempt: false, preemptDelayUs: Second), a);
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(Second, Adv(100), a));
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(10 * Second, Adv(100), a));
        Assert.False(r.IsPreemptDelayRunning);
    }

    [Fact]
    public void LeaveFault_ClearsTheDelay_Keepalived()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 200, preemptDelayUs: 5 * Second), a);
        r.OnAdvertisement(Second, Adv(100), a);
        r.EnterFault(2 * Second, a);
        r.LeaveFault(20 * Second, a);
        Assert.False(r.IsPreemptDelayRunning);
        Assert.Equal(AdvertOutcome.PreemptHeldByDelay, r.OnAdvertisement(21 * Second, Adv(100), a));
    }

    // keepalived clears preempt_delay on entering BACKUP: a router demoted from Master waits the
    // whole delay again before it preempts a lower-priority Master (review item 8).
    [Fact]
    public void AMasterDemotedToBackup_WaitsTheWholeDelayAgain_BeforePreempting()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 200, preemptDelayUs: 5 * Second), a);
        Assert.Equal(AdvertOutcome.PreemptHeldByDelay, r.OnAdvertisement(Second, Adv(100, source: LowPeer), a));   // delay until 6 s
        r.OnAdvertisement(Second + Second / 2, Adv(0, source: LowPeer), a);                                      // released
        r.OnTimer(r.NextDeadline, a);
        Assert.Equal(VrrpState.Master, r.State);
        r.OnAdvertisement(3 * Second, Adv(220), a);                                                             // a higher router arrives
        Assert.Equal(VrrpState.Backup, r.State);
        Assert.False(r.IsPreemptDelayRunning);
        Assert.Equal(AdvertOutcome.PreemptHeldByDelay, r.OnAdvertisement(10 * Second, Adv(100, source: LowPeer), a));
    }

    [Fact]
    public void ASyncGroupForcedBackup_WaitsTheWholeDelayAgain_BeforePreempting()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 200, preemptDelayUs: 5 * Second), a);
        r.OnAdvertisement(Second, Adv(100, source: LowPeer), a);
        r.OnAdvertisement(Second + Second / 2, Adv(0, source: LowPeer), a);
        r.OnTimer(r.NextDeadline, a);
        Assert.Equal(VrrpState.Master, r.State);
        Assert.True(r.ForceBackup(3 * Second, a));
        Assert.Equal(AdvertOutcome.PreemptHeldByDelay, r.OnAdvertisement(10 * Second, Adv(100, source: LowPeer), a));
    }
}
