using Xunit;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using static VrrpPS.Tests.StateMachine.TestRouters;

namespace VrrpPS.Tests.StateMachine;

public class StartupAndBackupTests
{
    [Fact]
    public void Owner_Startup_GoesStraightToMaster_Rfc5798_6_4_1()
    {
        var a = new RecordingActions();
        var r = new VirtualRouter(Options(priority: 255, owner: true));
        r.Startup(5 * Second, a);
        Assert.Equal(["advert 255", "add", "announce", "Initialize->Master Startup"], a.Log);
        Assert.Equal(VrrpState.Master, r.State);
        Assert.Equal(6 * Second, r.NextDeadline);   // Adver_Timer = Advertisement_Interval
        Assert.Equal(Ours, r.MasterAddress);
        Assert.Equal(255, r.MasterPriority);
    }

    [Fact]
    public void NonOwner_Startup_GoesBackup_WithMasterDownTimer_Rfc5798_6_4_1()
    {
        var a = new RecordingActions();
        var r = new VirtualRouter(Options(priority: 100));
        r.Startup(2 * Second, a);
        Assert.Equal(["Initialize->Backup Startup"], a.Log);
        Assert.Equal(VrrpState.Backup, r.State);
        Assert.Equal(2 * Second + 3_609_375, r.NextDeadline);
        Assert.True(r.MasterAddress.IsEmpty);
        r.Startup(3 * Second, a);   // a second Startup is a no-op
        Assert.Single(a.Log);
    }

    [Fact]
    public void NonOwner_StartsAsBackup_WithFullMasterDownInterval_AsKeepalivedDoesEvenForStateMaster_1804()
    {
        var o = Options(priority: 150);
        var a = new RecordingActions();
        var r = new VirtualRouter(o);
        r.Startup(0, a);
        Assert.Equal(VrrpState.Backup, r.State);
        Assert.Equal(r.MasterDownIntervalMicroseconds, r.NextDeadline);
        Assert.Empty(a.Sent);
    }

    [Fact]
    public void Backup_MasterDownTimerFires_BecomesMaster_Rfc5798_6_4_2()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        long due = r.NextDeadline;
        r.OnTimer(due - 1, a);
        Assert.Empty(a.Log);
        r.OnTimer(due, a);
        Assert.Equal(["advert 100", "add", "announce", "Backup->Master MasterDownTimer"], a.Log);
        Assert.Equal(due + Second, r.NextDeadline);
    }

    [Fact]
    public void V3_Backup_AdoptsMasterAdverInterval_AndRecomputesSkew_Rfc5798_6_4_2_Rfc9568()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100, intervalCs: 100), a);
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(Second, Adv(200, intervalCs: 50), a));
        Assert.Equal(50, r.MasterAdvertisementIntervalCentiseconds);
        Assert.Equal(156 * 500_000L / 256, r.SkewTimeMicroseconds);
        Assert.Equal(1_500_000 + 156 * 500_000L / 256, r.MasterDownIntervalMicroseconds);
        Assert.Equal(Second + r.MasterDownIntervalMicroseconds, r.NextDeadline);
        Assert.Equal(Peer, r.MasterAddress);
        Assert.Equal(200, r.MasterPriority);
        Assert.Empty(a.Log);
    }

    [Fact]
    public void V2_AdvertWithOtherInterval_IsDiscarded_Rfc3768_7_1()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100, version: VrrpVersion.V2, intervalCs: 100), a);
        long due = r.NextDeadline;
        Assert.Equal(AdvertOutcome.IntervalMismatch, r.OnAdvertisement(Second, Adv(200, intervalCs: 200), a));
        Assert.Equal(due, r.NextDeadline);
        Assert.Equal(100, r.MasterAdvertisementIntervalCentiseconds);
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(Second, Adv(200, intervalCs: 100), a));
        Assert.Equal(Second + 3 * Second + 609_375, r.NextDeadline);
    }

    [Fact]
    public void Backup_PriorityZero_SetsMasterDownTimerToSkewTime_Rfc5798_6_4_2()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        r.OnAdvertisement(Second, Adv(200), a);
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(2 * Second, Adv(0), a));
        Assert.Equal(2 * Second + 609_375, r.NextDeadline);
        r.OnTimer(2 * Second + 609_375, a);
        Assert.Equal((VrrpState.Backup, VrrpState.Master, TransitionCause.PriorityZeroReceived, Peer, (byte)200), a.Transitions.Single());
    }

    [Fact]
    public void Backup_Preempt_DiscardsLowerPriority_AndTakesOverWhenTimerFires_Rfc5798_6_4_2()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 150), a);
        long due = r.NextDeadline;
        Assert.Equal(AdvertOutcome.LowerPriorityIgnored, r.OnAdvertisement(Second, Adv(100), a));
        Assert.Equal(due, r.NextDeadline);                // timer not reset
        Assert.Equal(Peer, r.MasterAddress);               // still records who is Master
        r.OnTimer(due, a);
        Assert.Equal((VrrpState.Backup, VrrpState.Master, TransitionCause.LowerPriorityAdvert, Peer, (byte)100), a.Transitions.Single());
    }

    [Fact]
    public void Backup_NoPreempt_LowerPriorityResetsMasterDownTimer_Rfc5798_6_4_2()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 150, preempt: false), a);
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(Second, Adv(100), a));
        Assert.Equal(Second + r.MasterDownIntervalMicroseconds, r.NextDeadline);
    }

    [Fact]
    public void Backup_EqualPriority_IsAcceptedEvenFromLowerAddress_Rfc5798_6_4_2()
    {
        // "greater than or equal to the local Priority": no address tie-break in Backup.
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(Second, Adv(100, source: LowPeer), a));
        Assert.Equal(Second + r.MasterDownIntervalMicroseconds, r.NextDeadline);
    }

    [Fact]
    public void Advert_FromOurOwnAddress_IsDiscarded()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        long due = r.NextDeadline;
        Assert.Equal(AdvertOutcome.OwnAddress, r.OnAdvertisement(Second, Adv(200, source: Ours), a));
        Assert.Equal(due, r.NextDeadline);
    }

    [Fact]
    public void Initialize_IgnoresAdverts_AndHasNoTimer_Rfc5798_6_4_1()
    {
        var a = new RecordingActions();
        var r = new VirtualRouter(Options());
        Assert.Equal(AdvertOutcome.NotActive, r.OnAdvertisement(0, Adv(200), a));
        r.OnTimer(long.MaxValue - 1, a);
        Assert.Empty(a.Log);
        Assert.Equal(long.MaxValue, r.NextDeadline);
    }
}
