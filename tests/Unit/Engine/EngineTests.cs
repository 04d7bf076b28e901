using VrrpPS.Engine.Notify;
using VrrpPS.Engine.Tracking;
using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// The engine end to end on the simulated LAN, in simulated time (the real engine code, stepped by
/// <see cref="EngineSimulator"/>: no threads, no sleeps): election, graceful release, priority
/// changes, and every refusal that must leave nothing half-started. Counts and times are exact.
/// </summary>
public sealed class EngineTests : IDisposable
{
    private static readonly IpAddressValue Vip = IpAddressValue.Parse("198.51.100.100");
    private readonly EngineSimulator _sim = new(seed: 10);

    public void Dispose() => _sim.Dispose();

    private SimNode Node(string address) => _sim.AddNode(address);

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    // The simulator's definition with this class's 50 ms default and keepalived's default second GARP burst.
    private static InstanceDefinition Def(string name = "VI_1", int priority = 100, int vrid = 51, int intervalCs = 5,
        string vip = "198.51.100.100", VrrpVersion version = VrrpVersion.V3) =>
        SimDefinitions.Instance(name, priority, vrid, intervalCs, vip, version) with { GarpSecondBurstDelaySeconds = 5 };

    /// <summary>Steps until the instance is in <paramref name="state"/> (at most 5 s of simulated time).</summary>
    private VrrpState WaitFor(SimNode n, string name, VrrpState state)
    {
        _sim.RunUntil(() => n.State(name).State == state, TimeSpan.FromSeconds(5));
        return n.State(name).State;
    }

    /// <summary>Simulated time of each transition of a node's instances, as the engine reports it.</summary>
    private List<(long At, VrrpState From, VrrpState To)> Timeline(SimNode n)
    {
        var list = new List<(long, VrrpState, VrrpState)>();
        n.Engine.TransitionObserved += (_, _, t) => list.Add((_sim.Now, t.From, t.To));
        return list;
    }

    private List<(long At, int Host, byte Vrid, byte Priority, byte[] Data)> SentBy(SimNode n) =>
        _sim.Network.Wire.Where(w => w.Host == n.Host.Id).ToList();

    [Fact]
    public void HighestPriorityBecomesMasterAndOnlyItHoldsTheVip()
    {
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        b.Engine.Start([Def(priority: 100)]);
        a.Engine.Start([Def(priority: 150)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        _sim.RunFor(Ms(1000)); // 20 intervals: no flapping
        Assert.Equal([(VrrpState.Initialize, VrrpState.Backup), (VrrpState.Backup, VrrpState.Master)], a.Transitions.Select(t => (t.From, t.To)));
        Assert.Equal([(VrrpState.Initialize, VrrpState.Backup)], b.Transitions.Select(t => (t.From, t.To)));
        Assert.True(a.Host.SimAddresses.Holds(Vip));
        Assert.False(b.Host.SimAddresses.Holds(Vip));
        Assert.Equal("198.51.100.11", b.State().MasterAddress);
        Assert.Equal(5, a.Host.Announcements); // gratuitous ARP burst of 5 on becoming master (keepalived default)
        Assert.Equal(0, b.Host.Announcements);
    }

    [Fact]
    public void ExcludedAddressesMoveWithTheVipsButAreNotAdvertised()
    {
        // keepalived virtual_ipaddress_excluded: an IPv6 address on an IPv4 instance, and a second IPv4 one.
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        VirtualAddressSpec[] excluded = [new(IpAddressValue.Parse("2001:db8::100"), 64), new(IpAddressValue.Parse("198.51.100.200"), 24)];
        b.Engine.Start([Def(priority: 100) with { ExcludedAddresses = excluded }]);
        a.Engine.Start([Def(priority: 150) with { ExcludedAddresses = excluded }]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        _sim.RunFor(Ms(500));
        Assert.Equal(VrrpState.Backup, b.State().State);
        string[] all = ["198.51.100.100", "2001:db8::100", "198.51.100.200"];
        foreach (var x in all)
        {
            Assert.True(a.Host.SimAddresses.Holds(IpAddressValue.Parse(x)), x);
            Assert.False(b.Host.SimAddresses.Holds(IpAddressValue.Parse(x)), x);
        }
        Assert.Equal(15, a.Host.Announcements); // 5 announcements per address (GARP for IPv4, unsolicited NA for IPv6)
        // The adverts list the VIP only: VRRPv3 "Count IPvX Addr" (RFC 5798 §5.2.5) is 1, 8 + 4 bytes.
        var adverts = SentBy(a).Where(w => w.Priority != 0).Select(w => w.Data).ToArray();
        Assert.NotEmpty(adverts);
        Assert.All(adverts, p => Assert.Equal((1, 12), (p[3], p.Length)));
        Assert.Equal(["2001:db8::100/64", "198.51.100.200/24"], a.State().ExcludedIPAddress);

        a.Engine.Stop("VI_1");
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        foreach (var x in all)
        {
            Assert.False(a.Host.SimAddresses.Holds(IpAddressValue.Parse(x)), x);
            Assert.True(b.Host.SimAddresses.Holds(IpAddressValue.Parse(x)), x);
        }
    }

    [Fact]
    public void GarpMasterRefreshAnnouncesAgainWhileMasterOnly()
    {
        // keepalived garp_master_refresh 0.2 / garp_master_refresh_repeat 2, no second burst: 5 at the
        // transition, then 2 every 0.2 s while Master, none once Backup.
        var a = Node("198.51.100.11");
        var timeline = Timeline(a);
        a.Engine.Start([Def(priority: 150) with { GarpSecondBurstDelaySeconds = 0, GarpRefreshSeconds = 0.2, GarpRefreshRepeat = 2 }]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        long masterAt = timeline.Single(t => t.To == VrrpState.Master).At;
        _sim.RunUntil(masterAt + 1_100_000);
        Assert.Equal(5 + 2 * 5, a.Host.Announcements); // refreshes at +0.2, +0.4, +0.6, +0.8, +1.0 s
        var b = Node("198.51.100.12");
        b.Engine.Start([Def(priority: 200)]);
        Assert.Equal(VrrpState.Backup, WaitFor(a, "VI_1", VrrpState.Backup));
        int atBackup = a.Host.Announcements;
        _sim.RunFor(Ms(600));
        Assert.Equal(atBackup, a.Host.Announcements);
    }

    [Fact]
    public void AConfiguredMulticastGroupIsJoinedAndAdvertisedToAndAWrongOneIsRefused()
    {
        var a = Node("198.51.100.11");
        a.Engine.Start([Def(priority: 150) with { MulticastGroup = IpAddressValue.Parse("224.0.0.19") }]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Assert.Equal(IpAddressValue.Parse("224.0.0.19"), Assert.Single(a.Host.Sockets, s => !s.Options.SendOnly).Options.MulticastGroup); // the joined (receive) socket
        var ex = Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Def(name: "VI_2", vrid: 52) with { MulticastGroup = IpAddressValue.Parse("198.51.100.1") }]));
        Assert.Equal(EngineErrorIds.InvalidMulticastGroup, ex.ErrorId);
        ex = Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Def(name: "VI_3", vrid: 53) with { MulticastGroup = IpAddressValue.Parse("ff02::12") }]));
        Assert.Equal(EngineErrorIds.InvalidMulticastGroup, ex.ErrorId);
        Assert.Single(a.Engine.GetStates());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnAddressListThatDiffersIsCountedUnlessSkipCheckAdvAddr(bool skip)
    {
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        b.Engine.Start([Def(priority: 100) with { SkipAddressListCheck = skip }]);
        a.Engine.Start([Def(priority: 150, vip: "198.51.100.150")]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        _sim.RunFor(Ms(400)); // 8 adverts at 50 ms
        var s = b.State();
        Assert.Equal(VrrpState.Backup, s.State); // a differing list is reported, never a reason to discard (RFC 5798 §6.4.2)
        long delivered = SentBy(a).Count(w => w.At + _sim.Network.LatencyMicroseconds <= _sim.Now);
        Assert.Equal(delivered, s.Counters.AdvertisementsReceived);
        Assert.True(delivered >= 8);
        Assert.Equal(skip ? 0 : delivered, s.Counters.AddressListErrors);
    }

    [Fact]
    public void AMasterHearingALowerPriorityMasterAnnouncesAgainAfterTheDelayAndRunsNotifyMasterRxLowerPri()
    {
        // keepalived garp_lower_prio_delay 0.2 / garp_lower_prio_repeat 3 and notify_master_rx_lower_pri. B drops
        // inbound VRRP (one-way fault), so it stays Master too and A keeps hearing its lower-priority adverts.
        const string rxLower = "/bin/sleep"; // a real root-owned program (start-time checks), answered by the simulated runner
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        a.Runner.Programs[rxLower] = ProgramBehaviour.Hang; // still running for the whole scenario (5 s timeout)
        a.Engine.Start([Def(priority: 150) with
        {
            GarpSecondBurstDelaySeconds = 0, GarpLowerPriorityDelaySeconds = 0.2, GarpLowerPriorityRepeat = 3,
            Notify = new NotifyDefinition { MasterRxLowerPriority = [rxLower], TimeoutSeconds = 5 },
        }]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        int before = a.Host.Announcements;
        _sim.Network.Deaf.Add(b.Host);
        var bTimeline = Timeline(b);
        b.Engine.Start([Def(priority: 100)]);
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        long bMasterAt = bTimeline.Single(t => t.To == VrrpState.Master).At;
        _sim.RunUntil(bMasterAt + 700_000);
        long heard = a.State().Counters.AdvertisementsReceived;
        int announced = a.Host.Announcements - before;
        Assert.Equal(14, heard); // B's adverts every 50 ms for 0.7 s
        // Bursts of 3, at most one per 0.2 s delay, not one per advert heard: the first lower advert (B's first,
        // heard at +0.1 ms) arms the delay, the burst goes out 0.2 s later, the next advert heard (+250.1 ms) arms
        // it again: bursts at +200.1 and +450.1 ms; the third (+700.1 ms) is just past the window.
        Assert.Equal(2 * 3, announced);
        Assert.Equal(VrrpState.Master, a.State().State);
        _sim.Network.Deaf.Remove(b.Host); // B hears A again and yields
        Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
        // The notify program runs on the instance's notify queue (a pool thread): wait for it (bounded), then
        // check that the 14 adverts heard while it ran queued no second run.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (a.Runner.StartedRuns.All(r => r[0] != rxLower) && DateTime.UtcNow < deadline)
        {
            Thread.Yield();
        }
        Assert.Single(a.Runner.StartedRuns, r => r[0] == rxLower);
        _sim.RunFor(TimeSpan.FromSeconds(6)); // the hung run times out: nothing left for the shutdown flush to wait for
        Assert.Equal(long.MaxValue, a.Runner.NextCompletion);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AYieldingMasterSendsOneAdvertOnlyWithHigherPrioSendAdvert(bool send)
    {
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        a.Engine.Start([Def(priority: 150)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        _sim.Network.Deaf.Add(b.Host); // B does not hear A: both Master
        int atYield = -1;
        b.Engine.TransitionObserved += (_, _, t) =>
        {
            if (t.To == VrrpState.Backup && t.From == VrrpState.Master)
            {
                atYield = SentBy(b).Count;
            }
        };
        b.Engine.Start([Def(priority: 100) with { HigherPrioritySendAdvert = send }]);
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        _sim.Network.Deaf.Remove(b.Host);
        Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
        _sim.RunFor(Ms(300));
        var after = SentBy(b).Skip(atYield).ToList();
        Assert.True(atYield > 0);
        Assert.Equal(send ? 1 : 0, after.Count);
        Assert.All(after, w => Assert.Equal(100, w.Priority)); // its own priority, not a release
        Assert.Equal(VrrpState.Master, a.State().State);
    }

    [Fact]
    public void VrrpStartupDelayKeepsAnInstanceSilentFromTheEngineStartOnly()
    {
        var a = Node("198.51.100.11");
        var timeline = Timeline(a);
        long startedAt = _sim.Now;
        var started = Assert.Single(a.Engine.Start([Def(priority: 150) with { StartupDelaySeconds = 0.6 }]));
        Assert.Equal(VrrpState.Initialize, started.State);
        Assert.Empty(started.History);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Assert.Equal(VrrpState.Backup, a.State().History[0].To);
        Assert.Equal(startedAt + 600_000, timeline[0].At); // the startup (Backup) exactly when the delay ends
        Assert.Equal(0, SentBy(a).Count(w => w.At < startedAt + 600_000));
        // The delay counts from the engine's start (keepalived: not again on reload): a later instance starts at once.
        var later = Assert.Single(a.Engine.Start([Def(name: "VI_2", vrid: 52, priority: 150, vip: "198.51.100.101") with { StartupDelaySeconds = 0.6 }]));
        Assert.Equal(VrrpState.Backup, later.State);
    }

    [Fact]
    public void GracefulStopSendsPriorityZeroAndBackupTakesOverWithinSkewTime()
    {
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        var bTimeline = Timeline(b);
        a.Engine.Start([Def(priority: 150, intervalCs: 100)]);
        b.Engine.Start([Def(priority: 100, intervalCs: 100)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
        _sim.RunFor(Ms(1500));
        long stoppedAt = _sim.Now;
        a.Engine.Stop("VI_1");
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        // RFC 5798 §6.4.2: priority 0 → Master_Down_Timer = Skew_Time = (256-100)/256 s = 609.375 ms after it arrives.
        Assert.Equal(stoppedAt + _sim.Network.LatencyMicroseconds + 609_375, bTimeline.Single(t => t.To == VrrpState.Master).At);
        Assert.Contains(SentBy(a), w => w.Priority == 0);
        Assert.Empty(a.Host.SimAddresses.List(a.Host.Interface.Index));
        Assert.Equal(1, b.State().Counters.PriorityZeroReceived);
    }

    [Fact]
    public void LoweringTheMastersPriorityHandsOverToTheBackup()
    {
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        a.Engine.Start([Def(priority: 150)]);
        b.Engine.Start([Def(priority: 100)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
        a.Engine.SetPriority("VI_1", 50);
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        Assert.Equal(VrrpState.Backup, WaitFor(a, "VI_1", VrrpState.Backup));
        Assert.Equal(50, a.State().EffectivePriority);
    }

    [Fact]
    public void AStaleVipFromACrashedRunIsRemovedAtStart()
    {
        var a = Node("198.51.100.11");
        a.Host.SimAddresses.Preset(Vip, 24);
        var b = Node("198.51.100.12");
        b.Engine.Start([Def(priority: 200)]);
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        a.Engine.Start([Def(priority: 100)]);
        Assert.Equal(VrrpState.Backup, WaitFor(a, "VI_1", VrrpState.Backup));
        Assert.False(a.Host.SimAddresses.Holds(Vip));
        Assert.Equal(["del 198.51.100.100"], a.Host.SimAddresses.Journal);
    }

    public static TheoryData<string, InstanceDefinition> BadDefinitions() => new()
    {
        { EngineErrorIds.VirtualRouterIdOutOfRange, Def(vrid: 0) },
        { EngineErrorIds.VirtualRouterIdOutOfRange, Def(vrid: 256) },
        { EngineErrorIds.PriorityOutOfRange, Def(priority: 0) },
        { EngineErrorIds.IntervalOutOfRange, Def(intervalCs: 4096) },
        { EngineErrorIds.IntervalOutOfRange, Def(intervalCs: 150, version: VrrpVersion.V2) },
        { EngineErrorIds.OwnerPriorityWithoutAddress, Def(priority: 255) },
        { EngineErrorIds.AddressFamilyMismatch, Def(vip: "2001:db8::100", intervalCs: 100, version: VrrpVersion.V2) },
        { EngineErrorIds.InterfaceNotFound, Def() with { InterfaceName = "nosuch0" } },
        { EngineErrorIds.InvalidName, Def(name: "bad name; rm") },
        { EngineErrorIds.NoVirtualAddress, Def() with { VirtualAddresses = [] } },
        { EngineErrorIds.AuthenticationNotSupported, Def() with { AuthenticationPassword = "secret" } },
        { EngineErrorIds.AddressFamilyMismatch, Def() with { VirtualAddresses = [
            new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24),
            new VirtualAddressSpec(IpAddressValue.Parse("2001:db8::100"), 64)] } },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public void InvalidDefinitionsAreRefusedWithAStableErrorIdAndNothingStarts(string errorId, InstanceDefinition bad)
    {
        var a = Node("198.51.100.11");
        var ex = Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Def(name: "good", vrid: 99), bad]));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(0, a.Engine.InstanceCount);
        Assert.Empty(a.Host.Sockets);
        Assert.Empty(a.Host.SimAddresses.Journal);
    }

    [Fact]
    public void DuplicateNamesAndVridsOnOneInterfaceAreRefused()
    {
        var a = Node("198.51.100.11");
        a.Engine.Start([Def()]);
        Assert.Equal(EngineErrorIds.DuplicateInstanceName, Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Def(vrid: 52)])).ErrorId);
        Assert.Equal(EngineErrorIds.VirtualRouterIdInUse, Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Def(name: "VI_2")])).ErrorId);
        Assert.Equal(1, a.Engine.InstanceCount);
    }

    [Fact]
    public void WithoutNetworkAdminRightsNothingIsOpened()
    {
        var a = Node("198.51.100.11");
        a.Host.Privileged = false;
        Assert.Equal(EngineErrorIds.NotPrivileged, Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Def()])).ErrorId);
        Assert.Empty(a.Host.Sockets);
    }

    [Fact]
    public void DisposingTheEngineReleasesTheMaster()
    {
        var a = Node("198.51.100.11");
        a.Engine.Start([Def(priority: 150)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Assert.True(a.Host.SimAddresses.Holds(Vip));
        var sockets = a.Host.Sockets.ToList();
        a.Engine.Dispose();
        Assert.False(a.Host.SimAddresses.Holds(Vip));
        Assert.Contains(SentBy(a), w => w.Priority == 0);
        Assert.All(sockets, s => Assert.True(s.Disposed));
    }
}

public sealed class ReloadEqualityTests
{
    private static InstanceDefinition Read(int priority) => new()
    {
        Name = "VI_1", InterfaceName = "eth0", VirtualRouterId = 51, Priority = priority,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24)],
        TrackScripts = [new TrackScriptDefinition { Name = "chk", Command = ["/bin/true", "a b"], Weight = -60 }],
        Source = $"k.conf:{priority}",
    };

    [Fact]
    public void TwoReadingsOfTheSameFileAreTheSameDefinition() =>
        Assert.True(VrrpEngine.SameDefinition(Read(100), Read(100) with { Source = "elsewhere" }));

    [Fact]
    public void APriorityOnlyChangeIsRecognisedAndOtherChangesAreNot()
    {
        Assert.False(VrrpEngine.SameDefinition(Read(100), Read(120)));
        Assert.True(VrrpEngine.SameDefinition(Read(100) with { Priority = 120 }, Read(120)));
        var other = Read(100) with { TrackScripts = [new TrackScriptDefinition { Name = "chk", Command = ["/bin/true", "a c"], Weight = -60 }] };
        Assert.False(VrrpEngine.SameDefinition(Read(100), other));
    }
}
