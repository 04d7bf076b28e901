using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Engine;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>
/// keepalived vrrp_sync_group on the in-memory LAN: VI_1 (VRID 51) and VI_2 (VRID 52) in group G1
/// become Master together (vrrp_sync_master), go Backup together when one loses to a
/// higher-priority advert (vrrp_sync_backup), and a member whose timer fires waits for the others
/// (vrrp_sync_can_goto_master).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SyncGroupEngineTests : IDisposable
{
    private readonly FakeLan _lan = new();
    private readonly List<VrrpEngine> _engines = [];

    public void Dispose()
    {
        foreach (var e in _engines)
        {
            e.Dispose();
        }
    }

    private VrrpEngine Node(string address)
    {
        var engine = new VrrpEngine(new FakePlatform(_lan, address));
        _engines.Add(engine);
        return engine;
    }

    private static InstanceDefinition Member(string name, int vrid, int priority, string vip) => new()
    {
        Name = name,
        InterfaceName = "eth0",
        VirtualRouterId = vrid,
        Priority = priority,
        // 200 ms: a Backup only takes over after ~680 ms without adverts, so a loaded CI host that
        // starves one engine thread for a few intervals does not make the group change state.
        AdvertisementIntervalCentiseconds = 20,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse(vip), 24)],
        SyncGroup = "G1",
    };

    private static VrrpInstanceState WaitFor(VrrpEngine e, string name, VrrpState state, int timeoutMs = 4000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        VrrpInstanceState s;
        do
        {
            s = e.GetStates().Single(x => x.Name == name);
            if (s.State == state)
            {
                return s;
            }
            Thread.Sleep(10);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{name} is {s.State}, expected {state} (last reason: {s.LastTransitionReason})");
        return s;
    }

    [Fact]
    public void MembersBecomeMasterAndBackupTogether()
    {
        var a = Node("198.51.100.11");
        a.Start([Member("VI_1", 51, 150, "198.51.100.100"), Member("VI_2", 52, 150, "198.51.100.101")]);
        var v1 = WaitFor(a, "VI_1", VrrpState.Master);
        var v2 = WaitFor(a, "VI_2", VrrpState.Master);
        // The first member whose Master_Down_Timer fired waited for its sibling; the second took
        // Master and forced the first (vrrp_sync_can_goto_master + vrrp_sync_master).
        Assert.Single(new[] { v1, v2 }, s => s.LastTransitionReason?.StartsWith("sync group G1: VI_") == true);

        // Another router preempts VRID 52 with priority 200 (not in a group there): VI_2 loses to
        // the higher-priority advert (RFC 5798 §6.4.3) and VI_1 is forced Backup with it.
        var b = Node("198.51.100.12");
        b.Start([Member("VI_2", 52, 200, "198.51.100.101") with { SyncGroup = null }]);
        WaitFor(b, "VI_2", VrrpState.Master);
        v1 = WaitFor(a, "VI_1", VrrpState.Backup);
        Assert.Equal("sync group G1: VI_2 became BACKUP (higher priority advert (200) from 198.51.100.12)", v1.LastTransitionReason);
        Assert.Equal(1, v1.Counters.ReleasedMaster);

        // Nobody advertises VRID 51, so VI_1's Master_Down_Timer fires again and again, but the
        // group holds it Backup while VI_2 follows a better master (no split group).
        long became = v1.Counters.BecameMaster;
        var deadline = DateTime.UtcNow.AddMilliseconds(1500); // > Master_Down_Interval (683 ms): the timer fires at least twice
        while (DateTime.UtcNow < deadline)
        {
            var now = a.GetStates().Single(x => x.Name == "VI_1");
            Assert.True(now.State == VrrpState.Backup, $"VI_1 is {now.State}: {now.LastTransitionReason}");
            Thread.Sleep(20);
        }
        Assert.Equal(became, a.GetStates().Single(x => x.Name == "VI_1").Counters.BecameMaster);

        // The other router stops (priority 0, RFC 5798 §6.4.2): VI_2 takes over after Skew_Time and
        // forces VI_1, which already wanted Master, to come with it.
        b.Stop("VI_2");
        v2 = WaitFor(a, "VI_2", VrrpState.Master);
        Assert.Equal("master 198.51.100.12 released (priority 0)", v2.LastTransitionReason);
        v1 = WaitFor(a, "VI_1", VrrpState.Master);
        Assert.Equal("sync group G1: VI_2 became MASTER", v1.LastTransitionReason);
    }
}
