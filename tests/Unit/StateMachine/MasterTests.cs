using Xunit;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using static VrrpPS.Tests.StateMachine.TestRouters;

namespace VrrpPS.Tests.StateMachine;

public class MasterTests
{
    [Fact]
    public void Master_HigherPriorityAdvert_GoesBackup_RemovesVips_LearnsInterval_Rfc5798_6_4_3()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 100), a, out long since);
        long now = since + Second / 3;
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(now, Adv(150, intervalCs: 200), a));
        Assert.Equal(["remove", "Master->Backup HigherPriorityAdvert"], a.Log);
        Assert.Equal((VrrpState.Master, VrrpState.Backup, TransitionCause.HigherPriorityAdvert, Peer, (byte)150), a.Transitions[0]);
        Assert.Equal(200, r.MasterAdvertisementIntervalCentiseconds);
        Assert.Equal(156 * 2_000_000L / 256, r.SkewTimeMicroseconds);
        Assert.Equal(now + 6 * Second + 156 * 2_000_000L / 256, r.NextDeadline);   // Adver_Timer cancelled
    }

    [Theory]
    [InlineData("198.51.100.9", "198.51.100.10")]        // numeric, not text, order
    [InlineData("fe80::1", "fe80::ffff:0:0:1")]           // unsigned: top bit of the low half set
    [InlineData("fe80::ffff:ffff:ffff:ffff", "fe81::")]    // high half decides
    public void Master_EqualPriority_HigherSenderAddress_Wins_UnsignedNetworkOrder_Rfc9568_6_4_3(string ours, string theirs)
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 100, address: ours), a, out long since);
        var low = new ReceivedAdvertisement(100, 100, IpAddressValue.Parse(theirs));
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(since + 1, low, a));
        Assert.Equal(VrrpState.Backup, r.State);

        // and the other way round: the router with the higher address stays Master
        var b = new RecordingActions();
        var winner = StartedMaster(Options(priority: 100, address: theirs), b, out long since2);
        var fromLower = new ReceivedAdvertisement(100, 100, IpAddressValue.Parse(ours));
        Assert.Equal(AdvertOutcome.LowerPriorityIgnored, winner.OnAdvertisement(since2 + 1, fromLower, b));
        Assert.Equal(VrrpState.Master, winner.State);
    }

    [Fact]
    public void Master_LowerPriorityAdvert_AnswersAtOnce_AndStays_Rfc9568_6_4_3()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 150), a, out long since);
        long now = since + 400_000;
        Assert.Equal(AdvertOutcome.LowerPriorityIgnored, r.OnAdvertisement(now, Adv(100), a));
        Assert.Equal(["advert 150"], a.Log);
        Assert.Equal(now + Second, r.NextDeadline);
        Assert.Equal(VrrpState.Master, r.State);
    }

    [Fact]
    public void Master_LowerPriorityNoAdvert_StaysSilent_KeepalivedLowerPrioNoAdvert()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 150, lowerNoAdvert: true), a, out long since);
        Assert.Equal(AdvertOutcome.LowerPriorityIgnored, r.OnAdvertisement(since + 400_000, Adv(100), a));
        Assert.Empty(a.Log);
        Assert.Equal(since + Second, r.NextDeadline);
    }

    [Fact]
    public void Master_PriorityZero_SendsAdvertAndResetsAdverTimer_Rfc5798_6_4_3()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 150), a, out long since);
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(since + 700_000, Adv(0), a));
        Assert.Equal(["advert 150"], a.Log);
        Assert.Equal(since + 1_700_000, r.NextDeadline);
    }

    [Fact]
    public void AdverTimer_IsDriftFree_WhenCalledLate_Rfc5798_6_4_3()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 150, intervalCs: 100), a, out long since);
        r.OnTimer(since + Second - 1, a);
        Assert.Empty(a.Sent);
        r.OnTimer(since + Second + 300, a);             // 300 µs late
        Assert.Equal(since + 2 * Second, r.NextDeadline);   // not since + 2 s + 300 µs
        r.OnTimer(since + 2 * Second + 999_999, a);     // almost a whole interval late
        Assert.Equal(since + 3 * Second, r.NextDeadline);
        Assert.Equal([150, 150], a.Sent);
    }

    [Fact]
    public void AdverTimer_MoreThanOneIntervalLate_SendsOnce_AndSkipsForward()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 150, intervalCs: 100), a, out long since);
        long now = since + 3 * Second + Second / 2;     // 2.5 intervals overdue
        r.OnTimer(now, a);
        Assert.Single(a.Sent);
        Assert.Equal(now + Second, r.NextDeadline);
        r.OnTimer(now, a);                               // calling again at the same time sends nothing
        Assert.Single(a.Sent);
    }

    [Fact]
    public void V2_Master_DiscardsHigherPriorityAdvertWithOtherInterval_Rfc3768_7_1()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 100, version: VrrpVersion.V2), a, out long since);
        Assert.Equal(AdvertOutcome.IntervalMismatch, r.OnAdvertisement(since + 1, Adv(200, intervalCs: 300), a));
        Assert.Equal(VrrpState.Master, r.State);
        Assert.Empty(a.Log);
    }

    [Fact]
    public void Shutdown_FromMaster_SendsPriorityZero_AndRemovesVips_Rfc5798_6_4_3()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 100), a, out long since);
        r.Shutdown(since + 5, a);
        Assert.Equal(["advert 0", "remove", "Master->Initialize Shutdown"], a.Log);
        Assert.Equal(VrrpState.Initialize, r.State);
        Assert.Equal(long.MaxValue, r.NextDeadline);
        r.Shutdown(since + 6, a);
        Assert.Equal(3, a.Log.Count);
    }

    [Fact]
    public void Shutdown_FromBackup_CancelsTimer_WithoutAdvert_Rfc5798_6_4_2()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        r.Shutdown(Second, a);
        Assert.Equal(["Backup->Initialize Shutdown"], a.Log);
        Assert.Equal(long.MaxValue, r.NextDeadline);
        r.Startup(2 * Second, a);                        // can start again
        Assert.Equal(VrrpState.Backup, r.State);
    }

    [Fact]
    public void Owner_ReceivingLowerPriority_AnswersAndStays_EvenWithNoPreempt_Rfc5798_6_1()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 255, owner: true, preempt: false), a);
        Assert.Equal(VrrpState.Master, r.State);
        // a conflicting owner with a higher address wins the tie-break …
        Assert.Equal(AdvertOutcome.Accepted, r.OnAdvertisement(Second, Adv(255), a));
        Assert.Equal(VrrpState.Backup, r.State);
        // … but the owner still preempts a lower-priority Master although Preempt is off
        Assert.Equal(AdvertOutcome.LowerPriorityIgnored, r.OnAdvertisement(2 * Second, Adv(254), a));
    }
}
