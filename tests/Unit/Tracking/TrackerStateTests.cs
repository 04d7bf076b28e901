using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>keepalived vrrp_script / track_interface / track_file arithmetic, without any I/O.</summary>
public sealed class TrackerStateTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static TrackerState Script(int weight, int rise = 1, int fall = 1, bool reverse = false, bool initFail = false) =>
        new("chk", TrackerKind.Script, weight, reverse, rise, fall, initFail);

    [Fact]
    public void FallCountsConsecutiveFailuresAndRiseConsecutiveSuccesses()
    {
        // keepalived: `fall` failures in a row turn OK into KO, `rise` successes turn KO into OK.
        var t = Script(-60, rise: 3, fall: 2);
        Assert.True(t.Apply(true, "0", null, T0));            // first result decides (initial state)
        Assert.Equal(TrackerStatus.Ok, t.Status);
        Assert.False(t.Apply(false, "1", "exit code 1", T0));  // 1/2
        Assert.False(t.Apply(true, "0", null, T0));            // resets the failure run
        Assert.False(t.Apply(false, "1", "exit code 1", T0));
        Assert.True(t.Apply(false, "1", "exit code 1", T0));   // 2/2
        Assert.Equal(TrackerStatus.Failed, t.Status);
        Assert.Equal("track script chk failed (fall 2/2): exit code 1", t.LastChange);
        Assert.Equal("exit code 1", t.LastError);
        Assert.False(t.Apply(true, "0", null, T0));
        Assert.False(t.Apply(true, "0", null, T0));
        Assert.True(t.Apply(true, "0", null, T0));             // rise 3/3
        Assert.Equal(TrackerStatus.Ok, t.Status);
        Assert.Null(t.LastError);
        Assert.Equal("track script chk succeeded (rise 3/3)", t.LastChange);
    }

    [Fact]
    public void InitFailStartsFailedAndNeedsRiseSuccesses()
    {
        var t = Script(0, rise: 2, initFail: true);
        Assert.Equal(TrackerStatus.Failed, t.Status);
        Assert.True(t.IsFaulting); // weight 0 + failed ⇒ FAULT from the start
        Assert.False(t.Apply(true, "0", null, T0));
        Assert.Equal(TrackerStatus.Failed, t.Status);
        Assert.True(t.Apply(true, "0", null, T0));
        Assert.False(t.IsFaulting);
    }

    [Theory]
    // keepalived: positive weight added while OK, negative added while failing, reverse flips the direction.
    [InlineData(20, false, true, 20)]
    [InlineData(20, false, false, 0)]
    [InlineData(-60, false, true, 0)]
    [InlineData(-60, false, false, -60)]
    [InlineData(20, true, true, -20)]
    [InlineData(-60, true, false, 60)]
    public void WeightContribution(int weight, bool reverse, bool ok, int expected)
    {
        var t = Script(weight, reverse: reverse);
        t.Apply(ok, null, ok ? null : "x", T0);
        Assert.Equal(expected, t.Contribution);
        Assert.False(t.IsFaulting);
    }

    [Fact]
    public void WeightZeroFaultsWhileFailingAndReverseFaultsWhileOk()
    {
        var plain = Script(0);
        plain.Apply(false, null, "down", T0);
        Assert.True(plain.IsFaulting);
        var reversed = Script(0, reverse: true);
        reversed.Apply(true, null, null, T0);
        Assert.True(reversed.IsFaulting);
        reversed.Apply(false, null, "x", T0);
        Assert.False(reversed.IsFaulting);
    }

    [Fact]
    public void EffectivePriorityIsClampedAndOwnerIsUnchanged()
    {
        // 150 - 60 = 90: below a 100 backup, so it is preempted (the seed's scenario).
        var api = Script(-60);
        api.Apply(false, null, "x", T0);
        Assert.Equal(90, TrackerSet.EffectivePriority(150, [api]));
        var big = Script(-200);
        big.Apply(false, null, "x", T0);
        Assert.Equal(1, TrackerSet.EffectivePriority(150, [api, big]));   // never below 1
        var up = Script(200);
        up.Apply(true, null, null, T0);
        Assert.Equal(254, TrackerSet.EffectivePriority(150, [up]));       // never 255 by weights
        Assert.Equal(255, TrackerSet.EffectivePriority(255, [api, big])); // keepalived: owner ignores weights
    }

    [Fact]
    public void FaultReasonNamesTheFirstFaultingTracker()
    {
        var ok = Script(-10);
        ok.Apply(false, null, "x", T0);
        var chk = new TrackerState("api", TrackerKind.ScriptBlock, 0, false, 1, 2);
        chk.Apply(true, null, null, T0);
        Assert.Null(TrackerSet.FaultReasonOf([ok, chk]));
        chk.Apply(false, null, "boom", T0);
        chk.Apply(false, null, "boom", T0);
        Assert.Equal("track script api failed (fall 2/2): boom", TrackerSet.FaultReasonOf([ok, chk]));
    }

    [Theory]
    // keepalived track_file: value × weight; weight 0: non-zero ⇒ FAULT; ≤ -254 ⇒ FAULT.
    [InlineData(1, 0, false, 0, false)]
    [InlineData(5, 0, false, 0, true)]
    [InlineData(-2, 10, false, -20, false)]
    [InlineData(3, 10, true, -30, false)]
    [InlineData(-300, 1, false, 0, true)]
    public void TrackFileValueTimesWeight(long value, int weight, bool reverse, int contribution, bool faulting)
    {
        var t = new TrackerState("f", TrackerKind.File, weight, reverse);
        if (value != 1 || weight != 0)
        {
            Assert.True(t.ApplyValue(value, null, T0));
        }
        Assert.Equal(faulting, t.IsFaulting);
        Assert.Equal(contribution, t.Snapshot("VI_1").Contribution);
    }

    [Fact]
    public void ATrackFileThatCannotBeReadIsFailedWithTheReasonUntilAReadSucceeds()
    {
        // The initial value (0 here) still decides the priority; the tracker shows why it is not the file's.
        const string NotRegular = "'/run/x' is not a regular file (a FIFO)";
        var t = new TrackerState("f", TrackerKind.File, -10, false);
        Assert.True(t.ApplyValue(0, NotRegular, T0));
        Assert.Equal((TrackerStatus.Failed, NotRegular), (t.Status, t.LastError));
        Assert.Equal($"track file f value 0: {NotRegular}", t.LastChange);
        Assert.Equal(0, t.Contribution);
        Assert.False(t.ApplyValue(0, NotRegular, T0)); // the same failure again is no change (logged once)
        Assert.True(t.ApplyValue(0, null, T0));
        Assert.Equal((TrackerStatus.Ok, (string?)null), (t.Status, t.LastError));
    }

    [Fact]
    public void InterfaceTrackerWithNegativeWeightLowersPriorityWhenDown()
    {
        var eth1 = new TrackerState("eth1", TrackerKind.Interface, -20, false);
        eth1.Apply(true, "up", null, T0);
        Assert.Equal(100, TrackerSet.EffectivePriority(100, [eth1]));
        Assert.True(eth1.Apply(false, "down", "link down", T0));
        Assert.Equal(80, TrackerSet.EffectivePriority(100, [eth1]));
        Assert.Equal("track interface eth1 failed (fall 1/1): link down", eth1.LastChange);
    }
}
