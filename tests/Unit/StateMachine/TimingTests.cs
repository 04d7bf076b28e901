using Xunit;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using static VrrpPS.Tests.StateMachine.TestRouters;

namespace VrrpPS.Tests.StateMachine;

public class TimingTests
{
    [Fact]
    public void V2_SkewTime_IsFractionOfOneSecond_Rfc3768_6_1()
    {
        // (256 - 100) / 256 s = 0.609375 s
        Assert.Equal(609_375, VrrpTiming.SkewTimeMicroseconds(VrrpVersion.V2, 100, 100));
        // v2 skew does not scale with the interval
        Assert.Equal(609_375, VrrpTiming.SkewTimeMicroseconds(VrrpVersion.V2, 100, 300));
        Assert.Equal(3_609_375, VrrpTiming.MasterDownIntervalMicroseconds(VrrpVersion.V2, 100, 100));
        Assert.Equal(9_218_750, VrrpTiming.MasterDownIntervalMicroseconds(VrrpVersion.V2, 200, 300));
    }

    [Fact]
    public void V3_SkewTime_ScalesWithMasterAdverInterval_Rfc5798_6_1()
    {
        Assert.Equal(609_375, VrrpTiming.SkewTimeMicroseconds(VrrpVersion.V3, 100, 100));
        // 10 ms interval (1 cs), priority 200: 56 * 10 000 / 256 = 2 187.5 µs → 2 187
        Assert.Equal(2_187, VrrpTiming.SkewTimeMicroseconds(VrrpVersion.V3, 200, 1));
        Assert.Equal(30_000 + 2_187, VrrpTiming.MasterDownIntervalMicroseconds(VrrpVersion.V3, 200, 1));
        Assert.Equal(3 * 4_095 * 10_000L + 255 * 40_950_000L / 256,
            VrrpTiming.MasterDownIntervalMicroseconds(VrrpVersion.V3, 1, 4095));
    }

    [Theory]
    [InlineData(VrrpVersion.V2, 100)]
    [InlineData(VrrpVersion.V3, 100)]
    [InlineData(VrrpVersion.V3, 7)]
    public void HigherPriority_HasShorterSkewAndMasterDown_Rfc5798_6_1(VrrpVersion version, int intervalCs)
    {
        for (int p = 1; p < 255; p++)
        {
            Assert.True(VrrpTiming.SkewTimeMicroseconds(version, (byte)(p + 1), intervalCs)
                < VrrpTiming.SkewTimeMicroseconds(version, (byte)p, intervalCs));
            Assert.Equal(3 * intervalCs * 10_000L + VrrpTiming.SkewTimeMicroseconds(version, (byte)p, intervalCs),
                VrrpTiming.MasterDownIntervalMicroseconds(version, (byte)p, intervalCs));
        }
    }

    [Fact]
    public void Router_ExposesSkewAndMasterDownInterval_FromItsPriority()
    {
        var r = new VirtualRouter(Options(priority: 200, version: VrrpVersion.V2, intervalCs: 200));
        Assert.Equal(218_750, r.SkewTimeMicroseconds);
        Assert.Equal(6_218_750, r.MasterDownIntervalMicroseconds);
        Assert.Equal(long.MaxValue, r.NextDeadline);
        Assert.Equal(VrrpState.Initialize, r.State);
        var v3 = new VirtualRouter(Options(priority: 200, intervalCs: 50));
        Assert.Equal(109_375, v3.SkewTimeMicroseconds);
        Assert.Equal(1_609_375, v3.MasterDownIntervalMicroseconds);
    }

    [Fact]
    public void EveryAction_CarriesTheTimeOfTheInputThatCausedIt()
    {
        // The engine has no clock of its own inside a callback: what it logs, rate-limits and schedules
        // (GARP refresh, lower-priority re-announce) uses the now passed with each action.
        var a = new RecordingActions();
        var r = new VirtualRouter(Options());
        r.Startup(1_000, a);
        long down = r.NextDeadline;
        r.OnTimer(down, a);                                   // Backup → Master: advert, add, announce, transition
        r.OnTimer(down + Second, a);                          // Adver_Timer: advert
        r.OnAdvertisement(down + Second + 7, Adv(0), a);      // a release answered with an advert
        r.EnterFault(down + 3 * Second, a);                   // Master → Fault: priority 0, remove, transition
        r.LeaveFault(down + 4 * Second, a);                   // → Backup
        r.Shutdown(down + 5 * Second, a);                     // Backup → Initialize

        Assert.Equal(
        [
            "Initialize->Backup Startup",
            "advert 100", "add", "announce", "Backup->Master MasterDownTimer",
            "advert 100",
            "advert 100",
            "advert 0", "remove", "Master->Fault Fault",
            "Fault->Backup FaultCleared",
            "Backup->Initialize Shutdown",
        ], a.Log);
        Assert.Equal(
        [
            1_000,
            down, down, down, down,
            down + Second,
            down + Second + 7,
            down + 3 * Second, down + 3 * Second, down + 3 * Second,
            down + 4 * Second,
            down + 5 * Second,
        ], a.Times);
    }
}
