using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using Xunit;

namespace VrrpPS.Tests.Engine;

/// <summary>
/// The engine end to end on an in-memory LAN (real threads, real time, fake sockets): election,
/// graceful release, priority changes, and every refusal that must leave nothing half-started.
/// </summary>
public sealed class EngineTests : IDisposable
{
    private readonly EngineNodes _nodes = new();

    private FakeLan _lan => _nodes.Lan;

    public void Dispose() => _nodes.Dispose();

    private (VrrpEngine Engine, FakePlatform Host) Node(string address) => _nodes.Node(address);

    private static InstanceDefinition Def(string name = "VI_1", int priority = 100, int vrid = 51, int intervalCs = 5,
        string vip = "198.51.100.100", VrrpVersion version = VrrpVersion.V3) => new()
    {
        Name = name,
        InterfaceName = "eth0",
        VirtualRouterId = vrid,
        Priority = priority,
        Version = version,
        AdvertisementIntervalCentiseconds = intervalCs,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse(vip), vip.Contains(':') ? 64 : 24)],
    };

    private static VrrpState WaitFor(VrrpEngine e, string name, VrrpState state, int timeoutMs = 3000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        VrrpState last;
        do
        {
            last = e.GetStates().Single(s => s.Name == name).State;
            if (last == state)
            {
                return last;
            }
            Thread.Sleep(5);
        }
        while (DateTime.UtcNow < deadline);
        return last;
    }

    [Fact]
    public void HighestPriorityBecomesMasterAndOnlyItHoldsTheVip()
    {
        var (a, hostA) = Node("198.51.100.11");
        var (b, hostB) = Node("198.51.100.12");
        b.Start([Def(priority: 100)]);
        a.Start([Def(priority: 150)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
        Thread.Sleep(300); // several intervals: no flapping
        Assert.Equal(VrrpState.Master, a.GetStates()[0].State);
        Assert.Equal(VrrpState.Backup, b.GetStates()[0].State);
        Assert.True(hostA.FakeAddresses.Present.ContainsKey(IpAddressValue.Parse("198.51.100.100")));
        Assert.False(hostB.FakeAddresses.Present.ContainsKey(IpAddressValue.Parse("198.51.100.100")));
        Assert.Equal("198.51.100.11", b.GetStates()[0].MasterAddress);
        Assert.True(hostA.Announcements >= 5, "gratuitous ARP burst of 5 on becoming master (keepalived default)");
    }

    [Fact]
    public void ExcludedAddressesMoveWithTheVipsButAreNotAdvertised()
    {
        // keepalived virtual_ipaddress_excluded: an IPv6 address on an IPv4 instance, and a second IPv4 one.
        var (a, hostA) = Node("198.51.100.11");
        var (b, hostB) = Node("198.51.100.12");
        VirtualAddressSpec[] excluded = [new(IpAddressValue.Parse("2001:db8::100"), 64), new(IpAddressValue.Parse("198.51.100.200"), 24)];
        b.Start([Def(priority: 100) with { ExcludedAddresses = excluded }]);
        a.Start([Def(priority: 150) with { ExcludedAddresses = excluded }]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
        foreach (var x in new[] { "198.51.100.100", "2001:db8::100", "198.51.100.200" })
        {
            Assert.True(hostA.FakeAddresses.Present.ContainsKey(IpAddressValue.Parse(x)), x);
            Assert.False(hostB.FakeAddresses.Present.ContainsKey(IpAddressValue.Parse(x)), x);
        }
        Assert.True(hostA.Announcements >= 15, "5 announcements per address (GARP for IPv4, unsolicited NA for IPv6)");
        // The adverts list the VIP only: VRRPv3 "Count IPvX Addr" (RFC 5798 §5.2.5) is 1, 8 + 4 bytes.
        var adverts = _lan.WireSnapshot().Where(w => w.Source == hostA.PrimaryAddress && w.Payload[2] != 0).Select(w => w.Payload).ToArray();
        Assert.NotEmpty(adverts);
        Assert.All(adverts, p => Assert.Equal((1, 12), (p[3], p.Length)));
        Assert.Equal(["2001:db8::100/64", "198.51.100.200/24"], a.GetStates()[0].ExcludedIPAddress);

        a.Stop("VI_1");
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        foreach (var x in new[] { "198.51.100.100", "2001:db8::100", "198.51.100.200" })
        {
            Assert.False(hostA.FakeAddresses.Present.ContainsKey(IpAddressValue.Parse(x)), x);
            Assert.True(hostB.FakeAddresses.Present.ContainsKey(IpAddressValue.Parse(x)), x);
        }
    }

    [Fact]
    public void GarpMasterRefreshAnnouncesAgainWhileMasterOnly()
    {
        // keepalived garp_master_refresh 0.2 / garp_master_refresh_repeat 2, no second burst: 5 at the
        // transition, then 2 every 0.2 s while Master, none once Backup.
        var (a, hostA) = Node("198.51.100.11");
        a.Start([Def(priority: 150) with { GarpSecondBurstDelaySeconds = 0, GarpRefreshSeconds = 0.2, GarpRefreshRepeat = 2 }]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        var since = DateTime.UtcNow;
        Thread.Sleep(1100);
        int whileMaster = Volatile.Read(ref hostA.Announcements);
        double periods = (DateTime.UtcNow - since).TotalSeconds / 0.2;
        Assert.InRange(whileMaster, 5 + 2 * 3, 5 + 2 * ((int)periods + 1)); // about 5 refreshes; never a catch-up burst
        var (b, _) = Node("198.51.100.12");
        b.Start([Def(priority: 200)]);
        Assert.Equal(VrrpState.Backup, WaitFor(a, "VI_1", VrrpState.Backup));
        int atBackup = Volatile.Read(ref hostA.Announcements);
        Thread.Sleep(600);
        Assert.Equal(atBackup, Volatile.Read(ref hostA.Announcements));
    }

    [Fact]
    public void AConfiguredMulticastGroupIsJoinedAndAdvertisedToAndAWrongOneIsRefused()
    {
        var (a, hostA) = Node("198.51.100.11");
        a.Start([Def(priority: 150) with { MulticastGroup = IpAddressValue.Parse("224.0.0.19") }]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Assert.Equal(IpAddressValue.Parse("224.0.0.19"), Assert.Single(hostA.Sockets).Options.MulticastGroup);
        var ex = Assert.Throws<VrrpEngineException>(() => a.Start([Def(name: "VI_2", vrid: 52) with { MulticastGroup = IpAddressValue.Parse("198.51.100.1") }]));
        Assert.Equal(EngineErrorIds.InvalidMulticastGroup, ex.ErrorId);
        ex = Assert.Throws<VrrpEngineException>(() => a.Start([Def(name: "VI_3", vrid: 53) with { MulticastGroup = IpAddressValue.Parse("ff02::12") }]));
        Assert.Equal(EngineErrorIds.InvalidMulticastGroup, ex.ErrorId);
        Assert.Single(a.GetStates());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnAddressListThatDiffersIsCountedUnlessSkipCheckAdvAddr(bool skip)
    {
        var (a, _) = Node("198.51.100.11");
        var (b, _) = Node("198.51.100.12");
        b.Start([Def(priority: 100) with { SkipAddressListCheck = skip }]);
        a.Start([Def(priority: 150, vip: "198.51.100.150")]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        Thread.Sleep(400); // about 8 adverts at 50 ms
        var s = b.GetStates()[0];
        Assert.Equal(VrrpState.Backup, s.State); // a differing list is reported, never a reason to discard (RFC 5798 §6.4.2)
        Assert.True(s.Counters.AdvertisementsReceived > 2);
        Assert.Equal(skip, s.Counters.AddressListErrors == 0);
    }

    [Fact]
    public void AMasterHearingALowerPriorityMasterAnnouncesAgainAfterTheDelayAndRunsNotifyMasterRxLowerPri()
    {
        // keepalived garp_lower_prio_delay 0.2 / garp_lower_prio_repeat 3 and notify_master_rx_lower_pri. B drops
        // inbound VRRP (one-way fault), so it stays Master too and A keeps hearing its lower-priority adverts.
        string flag = Path.Combine(Path.GetTempPath(), $"vrrpps-rxlower-{Guid.NewGuid():N}");
        try
        {
            var (a, hostA) = Node("198.51.100.11");
            var (b, hostB) = Node("198.51.100.12");
            a.Start([Def(priority: 150) with
            {
                GarpSecondBurstDelaySeconds = 0, GarpLowerPriorityDelaySeconds = 0.2, GarpLowerPriorityRepeat = 3,
                Notify = new NotifyDefinition { MasterRxLowerPriority = ["/bin/sh", "-c", $"sleep 0.2; echo rx >> '{flag}'"] },
            }]);
            Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
            int before = Volatile.Read(ref hostA.Announcements);
            _lan.Deaf[hostB] = true;
            b.Start([Def(priority: 100)]);
            Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
            var since = DateTime.UtcNow;
            Thread.Sleep(700);
            int bursts = (Volatile.Read(ref hostA.Announcements) - before) / 3;
            double most = (DateTime.UtcNow - since).TotalSeconds / 0.2 + 1;
            Assert.Equal(0, (Volatile.Read(ref hostA.Announcements) - before) % 3);
            Assert.InRange(bursts, 1, (int)most); // bursts of 3, at most one per delay, not one per advert (14 adverts heard)
            Assert.Equal(VrrpState.Master, a.GetStates()[0].State);
            _lan.Deaf.TryRemove(hostB, out _); // B hears A again and yields
            Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
            double seconds = (DateTime.UtcNow - since).TotalSeconds;
            a.FlushNotifications(TimeSpan.FromSeconds(5));
            // Each run takes 0.2 s and lower adverts arrive every 50 ms: with at most one run queued at a time there
            // are about seconds/0.2 runs, far fewer than adverts heard.
            Assert.InRange(File.ReadAllLines(flag).Length, 1, (int)(seconds / 0.2) + 2);

        }
        finally
        {
            File.Delete(flag);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AYieldingMasterSendsOneAdvertOnlyWithHigherPrioSendAdvert(bool send)
    {
        var (a, hostA) = Node("198.51.100.11");
        var (b, hostB) = Node("198.51.100.12");
        a.Start([Def(priority: 150)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        _lan.Deaf[hostB] = true; // B does not hear A: both Master
        int atYield = -1;
        b.TransitionObserved += (_, _, t) =>
        {
            if (t.To == VrrpState.Backup && t.From == VrrpState.Master)
            {
                atYield = _lan.WireSnapshot().Count(w => w.Source == hostB.PrimaryAddress); // on B's engine thread
            }
        };
        b.Start([Def(priority: 100) with { HigherPrioritySendAdvert = send }]);
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        _lan.Deaf.TryRemove(hostB, out _);
        Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
        Thread.Sleep(300);
        var after = _lan.WireSnapshot().Where(w => w.Source == hostB.PrimaryAddress).Skip(atYield).ToList();
        Assert.True(atYield > 0);
        Assert.Equal(send ? 1 : 0, after.Count);
        Assert.All(after, w => Assert.Equal(100, w.Payload[2])); // its own priority, not a release
        Assert.Equal(VrrpState.Master, a.GetStates()[0].State);
    }

    [Fact]
    public void VrrpStartupDelayKeepsAnInstanceSilentFromTheEngineStartOnly()
    {
        var before = DateTime.UtcNow;
        var (a, _) = Node("198.51.100.11");
        var started = Assert.Single(a.Start([Def(priority: 150) with { StartupDelaySeconds = 0.6 }]));
        Assert.Equal(VrrpState.Initialize, started.State);
        Assert.Empty(started.History);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        // Load can only make these later: the startup (Backup) no earlier than the delay, Master after it.
        var history = a.GetStates()[0].History;
        Assert.Equal(VrrpState.Backup, history[0].To);
        Assert.True(history[0].Time - before >= TimeSpan.FromMilliseconds(590), $"started after {(history[0].Time - before).TotalMilliseconds:0} ms");
        // The delay counts from the engine's start (keepalived: not again on reload): a later instance starts at once.
        var later = Assert.Single(a.Start([Def(name: "VI_2", vrid: 52, priority: 150, vip: "198.51.100.101") with { StartupDelaySeconds = 0.6 }]));
        Assert.Equal(VrrpState.Backup, later.State);
    }

    [Fact]
    public void GracefulStopSendsPriorityZeroAndBackupTakesOverWithinSkewTime()
    {
        var (a, hostA) = Node("198.51.100.11");
        var (b, hostB) = Node("198.51.100.12");
        a.Start([Def(priority: 150, intervalCs: 100)]);
        b.Start([Def(priority: 100, intervalCs: 100)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master, 4000));
        Assert.Equal(VrrpState.Backup, WaitFor(b, "VI_1", VrrpState.Backup));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        a.Stop("VI_1");
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master, 2000));
        // RFC 5798 §6.4.2: priority 0 → Master_Down_Timer = Skew_Time = (256-100)/256 s ≈ 609 ms.
        Assert.InRange(sw.ElapsedMilliseconds, 0, 609 + 150);
        Assert.Contains(_lan.WireSnapshot(), w => w.Source == hostA.PrimaryAddress && w.Payload[2] == 0);
        Assert.Empty(hostA.FakeAddresses.Present);
        Assert.Equal(1, b.GetStates()[0].Counters.PriorityZeroReceived);
    }

    [Fact]
    public void LoweringTheMastersPriorityHandsOverToTheBackup()
    {
        var (a, _) = Node("198.51.100.11");
        var (b, _) = Node("198.51.100.12");
        a.Start([Def(priority: 150)]);
        b.Start([Def(priority: 100)]);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", VrrpState.Master));
        WaitFor(b, "VI_1", VrrpState.Backup);
        a.SetPriority("VI_1", 50);
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", VrrpState.Master));
        Assert.Equal(VrrpState.Backup, WaitFor(a, "VI_1", VrrpState.Backup));
        Assert.Equal(50, a.GetStates()[0].EffectivePriority);
    }

    [Fact]
    public void AStaleVipFromACrashedRunIsRemovedAtStart()
    {
        var (a, host) = Node("198.51.100.11");
        host.FakeAddresses.Present[IpAddressValue.Parse("198.51.100.100")] = 24;
        var (b, _) = Node("198.51.100.12");
        b.Start([Def(priority: 200)]);
        WaitFor(b, "VI_1", VrrpState.Master);
        a.Start([Def(priority: 100)]);
        Assert.Equal(VrrpState.Backup, WaitFor(a, "VI_1", VrrpState.Backup));
        Assert.False(host.FakeAddresses.Present.ContainsKey(IpAddressValue.Parse("198.51.100.100")));
        Assert.Contains("del 198.51.100.100", host.FakeAddresses.Journal);
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
        var (a, host) = Node("198.51.100.11");
        var ex = Assert.Throws<VrrpEngineException>(() => a.Start([Def(name: "good", vrid: 99), bad]));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(0, a.InstanceCount);
        Assert.Empty(host.Sockets);
        Assert.Empty(host.FakeAddresses.Journal);
    }

    [Fact]
    public void DuplicateNamesAndVridsOnOneInterfaceAreRefused()
    {
        var (a, _) = Node("198.51.100.11");
        a.Start([Def()]);
        Assert.Equal(EngineErrorIds.DuplicateInstanceName, Assert.Throws<VrrpEngineException>(() => a.Start([Def(vrid: 52)])).ErrorId);
        Assert.Equal(EngineErrorIds.VirtualRouterIdInUse, Assert.Throws<VrrpEngineException>(() => a.Start([Def(name: "VI_2")])).ErrorId);
        Assert.Equal(1, a.InstanceCount);
    }

    [Fact]
    public void WithoutNetworkAdminRightsNothingIsOpened()
    {
        var (a, host) = Node("198.51.100.11");
        host.Privileged = false;
        Assert.Equal(EngineErrorIds.NotPrivileged, Assert.Throws<VrrpEngineException>(() => a.Start([Def()])).ErrorId);
        Assert.Empty(host.Sockets);
    }

    [Fact]
    public void DisposingTheEngineReleasesTheMaster()
    {
        var (a, host) = Node("198.51.100.11");
        a.Start([Def(priority: 150)]);
        WaitFor(a, "VI_1", VrrpState.Master);
        Assert.NotEmpty(host.FakeAddresses.Present);
        a.Dispose();
        Assert.Empty(host.FakeAddresses.Present);
        Assert.Contains(_lan.WireSnapshot(), w => w.Source == host.PrimaryAddress && w.Payload[2] == 0);
        Assert.True(host.Sockets.All(s => s.Disposed));
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
