using Xunit;
using VrrpPS.StateMachine;
using static VrrpPS.Tests.StateMachine.TestRouters;

namespace VrrpPS.Tests.StateMachine;

public class FaultAndPriorityTests
{
    [Fact]
    public void EnterFault_FromMaster_Releases_AndStopsTimers_Keepalived()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 100), a, out long since);
        r.EnterFault(since + 10, a);
        Assert.Equal(["advert 0", "remove", "Master->Fault Fault"], a.Log);
        Assert.Equal(long.MaxValue, r.NextDeadline);
        Assert.Equal(AdvertOutcome.NotActive, r.OnAdvertisement(since + 20, Adv(0), a));
        r.OnTimer(long.MaxValue - 1, a);
        Assert.Equal(3, a.Log.Count);
    }

    [Fact]
    public void EnterFault_FromBackupOrInitialize_NoAdvert()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        r.EnterFault(Second, a);
        Assert.Equal(["Backup->Fault Fault"], a.Log);
        var r2 = new VirtualRouter(Options());
        r2.EnterFault(0, a);
        Assert.Equal(VrrpState.Fault, r2.State);
        r2.LeaveFault(Second, a);
        Assert.Equal(VrrpState.Backup, r2.State);
        Assert.Equal(Second + r2.MasterDownIntervalMicroseconds, r2.NextDeadline);
    }

    [Fact]
    public void LeaveFault_GoesBackup_WithOwnInterval_AndMasterDownTimer()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100, intervalCs: 100), a);
        r.OnAdvertisement(Second, Adv(200, intervalCs: 25), a);   // learnt 250 ms from a Master
        r.EnterFault(2 * Second, a);
        a.Clear();
        r.LeaveFault(9 * Second, a);
        Assert.Equal(["Fault->Backup FaultCleared"], a.Log);
        Assert.Equal(100, r.MasterAdvertisementIntervalCentiseconds);
        Assert.Equal(9 * Second + 3_609_375, r.NextDeadline);
        r.LeaveFault(10 * Second, a);                              // not in Fault: no-op
        Assert.Single(a.Log);
    }

    [Fact]
    public void LeaveFault_Owner_GoesStraightToMaster()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 255, owner: true), a);
        r.EnterFault(Second, a);
        a.Clear();
        r.LeaveFault(2 * Second, a);
        Assert.Equal(["advert 255", "add", "announce", "Fault->Master FaultCleared"], a.Log);
    }

    [Fact]
    public void SetPriority_MasterLoweredBelowBackup_IsPreemptedWhenBackupTimerFires_Rfc5798_6_4_2()
    {
        var ma = new RecordingActions();
        var ba = new RecordingActions();
        var master = StartedMaster(Options(priority: 200), ma, out long t);
        var backup = Started(Options(priority: 150, address: "198.51.100.20"), ba, t);
        long lastAccepted = t + 10;
        Assert.Equal(AdvertOutcome.Accepted, backup.OnAdvertisement(lastAccepted, Adv(200, source: Ours), ba));
        master.SetPriority(t + Second / 2, 100, ma);
        Assert.Equal(100, master.Priority);
        Assert.Equal(VrrpState.Master, master.State);
        // the Master's next adverts carry 100: the preempting Backup discards them
        for (long now = t + Second; now < lastAccepted + backup.MasterDownIntervalMicroseconds; now += Second)
        {
            master.OnTimer(now, ma);
            Assert.Equal(100, ma.Sent[^1]);
            Assert.Equal(AdvertOutcome.LowerPriorityIgnored, backup.OnAdvertisement(now, Adv(100, source: Ours), ba));
        }
        long takeover = lastAccepted + backup.MasterDownIntervalMicroseconds;
        backup.OnTimer(takeover, ba);
        Assert.Equal((VrrpState.Backup, VrrpState.Master, TransitionCause.LowerPriorityAdvert, Ours, (byte)100), ba.Transitions[^1]);
        master.OnAdvertisement(takeover + 50, new ReceivedAdvertisement(ba.Sent[^1], 100, Peer), ma);
        Assert.Equal(VrrpState.Backup, master.State);
        Assert.Equal(TransitionCause.HigherPriorityAdvert, ma.Transitions[^1].Cause);
    }

    [Fact]
    public void SetPriority_BackupRaisedAboveMaster_TakesOverWhenTimerFires_CausePriorityChanged_Rfc5798_6_4_2()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        r.OnAdvertisement(Second, Adv(150), a);
        long due = r.NextDeadline;
        r.SetPriority(Second + 1, 200, a);
        Assert.Equal(due, r.NextDeadline);               // running timer keeps its deadline
        Assert.Equal(56 * Second / 256, r.SkewTimeMicroseconds);
        Assert.Equal(AdvertOutcome.LowerPriorityIgnored, r.OnAdvertisement(2 * Second, Adv(150), a));
        r.OnTimer(due, a);
        Assert.Equal((VrrpState.Backup, VrrpState.Master, TransitionCause.PriorityChanged, Peer, (byte)150), a.Transitions.Single());
    }

    [Fact]
    public void SetPriority_RejectsReservedValues_AndOwnerChanges()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.SetPriority(0, 0, a));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.SetPriority(0, 255, a));
        var owner = Started(Options(priority: 255, owner: true), a);
        Assert.Throws<InvalidOperationException>(() => owner.SetPriority(0, 200, a));
    }
}
