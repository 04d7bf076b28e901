using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>
/// keepalived vrrp_sync_group on the simulated LAN (simulated time): VI_1 (VRID 51) and VI_2 (VRID 52) in group G1
/// become Master together (vrrp_sync_master), go Backup together when one loses to a
/// higher-priority advert (vrrp_sync_backup), and a member whose timer fires waits for the others
/// (vrrp_sync_can_goto_master).
/// </summary>
public sealed class SyncGroupEngineTests : IDisposable
{
    private readonly EngineSimulator _sim = new(seed: 12);

    public void Dispose() => _sim.Dispose();

    private static InstanceDefinition Member(string name, int vrid, int priority, string vip) => new()
    {
        Name = name,
        InterfaceName = "eth0",
        VirtualRouterId = vrid,
        Priority = priority,
        AdvertisementIntervalCentiseconds = 20,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse(vip), 24)],
        SyncGroup = "G1",
    };

    /// <summary>Steps until the instance is in <paramref name="state"/>; fails if 5 s of simulated time pass first.</summary>
    private VrrpInstanceState WaitFor(SimNode n, string name, VrrpState state)
    {
        _sim.RunUntil(() => n.State(name).State == state, TimeSpan.FromSeconds(5));
        var s = n.State(name);
        Assert.True(s.State == state, $"{name} is {s.State}, expected {state} (last reason: {s.LastTransitionReason})");
        return s;
    }

    [Fact]
    public void MembersBecomeMasterAndBackupTogether()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Member("VI_1", 51, 150, "198.51.100.100"), Member("VI_2", 52, 150, "198.51.100.101")]);
        var v1 = WaitFor(a, "VI_1", VrrpState.Master);
        var v2 = WaitFor(a, "VI_2", VrrpState.Master);
        // The first member whose Master_Down_Timer fired waited for its sibling; the second took
        // Master and forced the first (vrrp_sync_can_goto_master + vrrp_sync_master).
        Assert.Single(new[] { v1, v2 }, s => s.LastTransitionReason?.StartsWith("sync group G1: VI_") == true);

        // Another router preempts VRID 52 with priority 200 (not in a group there): VI_2 loses to
        // the higher-priority advert (RFC 5798 §6.4.3) and VI_1 is forced Backup with it.
        var b = _sim.AddNode("198.51.100.12");
        b.Engine.Start([Member("VI_2", 52, 200, "198.51.100.101") with { SyncGroup = null }]);
        WaitFor(b, "VI_2", VrrpState.Master);
        v1 = WaitFor(a, "VI_1", VrrpState.Backup);
        Assert.Equal("sync group G1: VI_2 became BACKUP (higher priority advert (200) from 198.51.100.12)", v1.LastTransitionReason);
        Assert.Equal(1, v1.Counters.ReleasedMaster);

        // Nobody advertises VRID 51, so VI_1's Master_Down_Timer fires again and again, but the
        // group holds it Backup while VI_2 follows a better master (no split group): checked after every step.
        long became = v1.Counters.BecameMaster;
        _sim.AfterStep = _ =>
        {
            var now = a.State("VI_1");
            Assert.True(now.State == VrrpState.Backup, $"VI_1 is {now.State}: {now.LastTransitionReason}");
        };
        _sim.RunFor(TimeSpan.FromMilliseconds(1500)); // > 2 × Master_Down_Interval (683 ms): the timer fires at least twice
        _sim.AfterStep = null;
        Assert.Equal(became, a.State("VI_1").Counters.BecameMaster);

        // The other router stops (priority 0, RFC 5798 §6.4.2): VI_2 takes over after Skew_Time and
        // forces VI_1, which already wanted Master, to come with it.
        b.Engine.Stop("VI_2");
        v2 = WaitFor(a, "VI_2", VrrpState.Master);
        Assert.Equal("master 198.51.100.12 released (priority 0)", v2.LastTransitionReason);
        v1 = WaitFor(a, "VI_1", VrrpState.Master);
        Assert.Equal("sync group G1: VI_2 became MASTER", v1.LastTransitionReason);
    }
}
