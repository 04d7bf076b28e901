using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;
using VrrpPS.Protocol;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>One instance's trackers as a set: effective priority, FAULT reason, and no growth on re-apply.</summary>
public sealed class TrackerSetTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Dictionary<string, NetworkInterfaceInfo> _links = new()
    {
        ["eth1"] = Link(3, "eth1", up: true),
        ["eth2"] = Link(4, "eth2", up: true),
    };

    private static NetworkInterfaceInfo Link(int index, string name, bool up) => new(index, name, up, new byte[6], []);

    private NetworkInterfaceInfo? Find(string name) => _links.GetValueOrDefault(name);

    private static (long, string?) NoFile(TrackFileDefinition f) => (f.InitialValue, null);

    private static InstanceDefinition Def(int priority = 100,
        IReadOnlyList<TrackScriptDefinition>? scripts = null, IReadOnlyList<TrackInterfaceDefinition>? interfaces = null) => new()
    {
        Name = "VI_1",
        InterfaceName = "eth0",
        VirtualRouterId = 51,
        Priority = priority,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24)],
        TrackScripts = scripts ?? [],
        TrackInterfaces = interfaces ?? [],
    };

    private TrackerSet Initialised(InstanceDefinition d)
    {
        var set = new TrackerSet();
        Assert.True(set.Initialise(d, Find, NoFile, T0));
        return set;
    }

    [Fact]
    public void EffectivePriority_IsBasePlusWeights_ClampedTo1And254_OwnerUnchanged()
    {
        var d = Def(scripts: [new() { Name = "api", Command = ["/bin/true"], Weight = -60 }],
            interfaces: [new() { InterfaceName = "eth1", Weight = 20 }, new() { InterfaceName = "eth2", Weight = -30 }]);
        var set = Initialised(d);
        var api = set.Scripts[0].State;

        // eth1 up: +20 (positive weight counts while OK); eth2 up: 0; api not yet run: 0.
        Assert.Equal(120, set.EffectivePriority(100));
        api.Apply(false, "1", "exit code 1", T0);
        Assert.Equal(60, set.EffectivePriority(100));           // 100 + 20 - 60
        Assert.NotNull(set.OnLinkChange(4, up: false, T0));
        Assert.Equal(30, set.EffectivePriority(100));           // 100 + 20 - 60 - 30
        Assert.Equal(1, set.EffectivePriority(50));             // never below 1
        api.Apply(true, "0", null, T0);
        Assert.NotNull(set.OnLinkChange(4, up: true, T0));
        Assert.Equal(254, set.EffectivePriority(250));          // never 255 by weights
        Assert.Equal(255, set.EffectivePriority(255));          // keepalived: the owner ignores weights
        Assert.Null(set.FaultReason);
    }

    [Fact]
    public void WeightZero_FailingTracker_IsTheFaultReason_UntilItRecovers()
    {
        var d = Def(scripts: [new() { Name = "db", Command = ["/bin/true"], Weight = 0, Fall = 2 }],
            interfaces: [new() { InterfaceName = "eth1", Weight = 0 }]);
        var set = Initialised(d);
        var db = set.Scripts[0].State;

        db.Apply(true, "0", null, T0);
        Assert.Null(set.FaultReason);
        Assert.Equal("track interface eth1 failed (fall 1/1): link down", set.OnLinkChange(3, up: false, T0));
        Assert.Equal("track interface eth1 failed (fall 1/1): link down", set.FaultReason);
        Assert.Equal(100, set.EffectivePriority(100));          // a weight-0 tracker faults, it does not weigh
        Assert.NotNull(set.OnLinkChange(3, up: true, T0));
        Assert.Null(set.FaultReason);

        db.Apply(false, "1", "exit code 1", T0);
        Assert.Null(set.FaultReason);                           // fall 1/2
        db.Apply(false, "1", "exit code 1", T0);
        Assert.Equal("track script db failed (fall 2/2): exit code 1", set.FaultReason);
        Assert.Equal([true, false], set.Snapshot("VI_1").Select(s => s.Faulting).ToArray());   // scripts first, then interfaces
    }

    [Fact]
    public void MissingTrackedInterface_CountsAsDown_AndIsReported()
    {
        var missing = new List<string>();
        var set = new TrackerSet();
        set.Initialise(Def(interfaces: [new() { InterfaceName = "eth9", Weight = 0 }]), Find, NoFile, T0, missing.Add);
        Assert.Equal(["eth9"], missing);
        Assert.Equal("track interface eth9 failed (fall 1/1): interface eth9 does not exist", set.FaultReason);
    }

    [Fact]
    public void TheSetNeverGrows_AcrossReInitialiseAndInterfaceReCreation()
    {
        var d = Def(scripts: [new() { Name = "api", Command = ["/bin/true"], Weight = -60 }],
            interfaces: [new() { InterfaceName = "eth1", Weight = -10 }]);
        var set = Initialised(d);
        Assert.Equal(2, set.Trackers.Count);
        var before = set.Trackers.ToArray();

        for (int i = 0; i < 3; i++)
        {
            Assert.False(set.Initialise(d, Find, NoFile, T0));  // a resume / delayed start re-applies
        }
        // eth1 deleted, then re-created with a new index while notifications were lost.
        _links.Remove("eth1");
        var changes = new List<string?>();
        set.ResynchroniseInterfaces(Find, T0, changes.Add);
        Assert.Equal(["track interface eth1 failed (fall 1/1): link down"], changes);
        _links["eth1"] = Link(17, "eth1", up: true);
        set.ResynchroniseInterfaces(Find, T0, changes.Add);
        set.ResynchroniseInterfaces(Find, T0, changes.Add);     // nothing changed: nothing reported
        Assert.Equal(2, changes.Count);

        Assert.Equal(before, set.Trackers);
        Assert.Equal(100, set.EffectivePriority(100));
        Assert.NotNull(set.OnLinkChange(17, up: false, T0));    // the new index is the tracked one now
        Assert.Equal(90, set.EffectivePriority(100));
        Assert.Equal(2, set.Snapshot("VI_1").Length);
    }
}
