using Xunit;
using VrrpPS.StateMachine;
using static VrrpPS.Tests.StateMachine.TestRouters;

namespace VrrpPS.Tests.StateMachine;

/// <summary>
/// keepalived vrrp_sync_group operations on one member: vrrp_sync_master (a sibling became Master,
/// so this one is forced Master), vrrp_sync_backup (a sibling lost to a higher-priority Master, so
/// this one is forced Backup) and vrrp_sync_can_goto_master (a member whose Master_Down_Timer fires
/// waits until every member wants Master, so a group never splits between two routers).
/// </summary>
public class SyncGroupTests
{
    [Fact]
    public void ForceMaster_FromBackup_AdvertsAddsAnnounces_LikeMasterDownTimer()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        r.OnAdvertisement(Second / 2, Adv(200), a);   // following a better Master
        a.Clear();
        Assert.True(r.ForceMaster(Second, a));
        Assert.Equal(["advert 100", "add", "announce", "Backup->Master SyncGroup"], a.Log);
        Assert.Equal(VrrpState.Master, r.State);
        Assert.Equal(Second + Second, r.NextDeadline);   // Adver_Timer = Advertisement_Interval (1 s)
    }

    [Fact]
    public void ForceMaster_OnlyFromBackup()
    {
        var a = new RecordingActions();
        var m = StartedMaster(Options(), a, out long since);
        Assert.False(m.ForceMaster(since + 1, a));
        var f = Started(Options(), a);
        f.EnterFault(1, a);
        a.Clear();
        Assert.False(f.ForceMaster(2, a));   // keepalived: a FAULT member is not forced to Master
        Assert.Equal(VrrpState.Fault, f.State);
        Assert.Empty(a.Log);
    }

    [Fact]
    public void ForceBackup_FromMaster_RemovesVips_NoRelease_StartsMasterDownTimer()
    {
        var a = new RecordingActions();
        var r = StartedMaster(Options(priority: 100), a, out long since);
        long now = since + Second / 3;
        Assert.True(r.ForceBackup(now, a));
        // keepalived sends priority 0 only on shutdown/fault, not when a sibling forces Backup.
        Assert.Equal(["remove", "Master->Backup SyncGroup"], a.Log);
        Assert.Empty(a.Sent);
        Assert.Equal(now + r.MasterDownIntervalMicroseconds, r.NextDeadline);
        Assert.False(r.ForceBackup(now + 1, a));   // already Backup: no-op
        Assert.Equal(2, a.Log.Count);
    }

    [Fact]
    public void MasterGate_HoldsBackupUntilGroupWantsMaster_vrrp_sync_can_goto_master()
    {
        var a = new RecordingActions();
        bool siblingWants = false;
        var r = Started(Options(priority: 100), a);
        r.MasterGate = () => siblingWants;
        Assert.False(r.WantsMaster);
        long due = r.NextDeadline;
        r.OnTimer(due, a);
        Assert.Equal(VrrpState.Backup, r.State);       // held back: a sibling still follows a Master
        Assert.True(r.WantsMaster);
        Assert.Empty(a.Log);
        Assert.Equal(due + r.MasterDownIntervalMicroseconds, r.NextDeadline);
        siblingWants = true;
        r.OnTimer(r.NextDeadline, a);
        Assert.Equal(VrrpState.Master, r.State);
        Assert.Equal(TransitionCause.MasterDownTimer, a.Transitions[^1].Cause);
    }

    [Fact]
    public void WantsMaster_ClearedByAdvertFromBetterMaster()
    {
        var a = new RecordingActions();
        var r = Started(Options(priority: 100), a);
        r.MasterGate = () => false;
        r.OnTimer(r.NextDeadline, a);
        Assert.True(r.WantsMaster);
        r.OnAdvertisement(r.NextDeadline - 1, Adv(150), a);   // RFC 5798 §6.4.2: follow the Master
        Assert.False(r.WantsMaster);
    }
}
