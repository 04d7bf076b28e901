using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using Xunit;
using static VrrpPS.Tests.Simulation.Engine.SimDefinitions;

namespace VrrpPS.Tests.Simulation.Engine;

/// <summary>
/// The defects an independent review found in the engine, each replayed in simulated time on the
/// real engine code (no sleeps, no threads). Each test failed before its fix.
/// </summary>
public sealed class EngineDefectTests : IDisposable
{
    private static readonly IpAddressValue VipAddress = IpAddressValue.Parse(Vip);
    private readonly EngineSimulator _sim = new(seed: 1);

    public void Dispose() => _sim.Dispose();

    private const string Check = "/bin/true"; // a real root-owned program (start-time checks), answered by the simulated runner

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void ReleaseAndResumeTwiceKeepOneTrackerAndTheRightPriority()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 150) with { TrackScripts = [Script(Check, weight: 10)] }]);
        _sim.RunFor(Ms(1000));
        Assert.Equal(160, a.State().EffectivePriority);
        for (int i = 0; i < 2; i++)
        {
            a.Engine.Release("VI_1");
            _sim.RunFor(Ms(500));
            a.Engine.Resume("VI_1");
            _sim.RunFor(Ms(1000));
        }
        var s = a.State();
        Assert.Single(s.Tracker);
        Assert.Equal(160, s.EffectivePriority);
        Assert.Equal(VrrpState.Master, s.State);
        Assert.True(a.Host.SimAddresses.Holds(VipAddress));
    }

    [Fact]
    public void ResumeOfAnInstanceThatIsNotReleasedLeavesTheMastersVipsAlone()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 150)]);
        _sim.RunFor(Ms(1000));
        Assert.Equal(VrrpState.Master, a.State().State);
        a.Engine.Resume("VI_1");
        _sim.RunFor(Ms(300));
        Assert.Equal(VrrpState.Master, a.State().State);
        Assert.True(a.Host.SimAddresses.Holds(VipAddress), "a Master advertising without its VIPs black-holes the traffic");
    }

    [Fact]
    public void AReleasedInstanceStaysOutOfTheElectionWhileItsTrackerAndLinkFlap()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 150) with { TrackScripts = [Script(Check, weight: 0)] }]);
        _sim.RunFor(Ms(1000));
        a.Engine.Release("VI_1");
        long sentAtRelease = _sim.Network.Wire.Count(w => w.Host == a.Host.Id);
        a.Runner.Programs[Check] = ProgramBehaviour.Fail;
        _sim.RunFor(Ms(600));
        a.Runner.Programs[Check] = ProgramBehaviour.Succeed;
        a.Host.SetLink(false);
        _sim.RunFor(Ms(300));
        a.Host.SetLink(true);
        _sim.RunFor(Ms(1500));
        Assert.Equal(VrrpState.Initialize, a.State().State);
        Assert.Equal(sentAtRelease, _sim.Network.Wire.Count(w => w.Host == a.Host.Id));
        Assert.False(a.Host.SimAddresses.Holds(VipAddress));
        a.Engine.Resume("VI_1");
        _sim.RunFor(Ms(1000));
        Assert.Equal(VrrpState.Master, a.State().State);
    }

    /// <summary>Node a Master (150), node b Backup (100) for VI_1 and VI_2 on one interface: b's two share a receive socket.</summary>
    private (SimNode A, SimNode B) TwoVridsSharingASocket()
    {
        var a = _sim.AddNode("198.51.100.11");
        var b = _sim.AddNode("198.51.100.12");
        a.Engine.Start([Instance(priority: 150), Instance("VI_2", priority: 150, vrid: 52, vip: "198.51.100.101")]);
        b.Engine.Start([Instance(priority: 100), Instance("VI_2", priority: 100, vrid: 52, vip: "198.51.100.101")]);
        _sim.RunFor(Ms(1000));
        return (a, b);
    }

    [Fact]
    public void AReceiveErrorReopensTheSharedSocketAndEveryInstanceRunsOn()
    {
        // Issue 16: the instances of an interface read their adverts from one shared socket. An errno other than
        // EAGAIN from it blames no instance: it is logged and the socket replaced; no instance goes to FAULT or
        // takes over, and the engine loop goes on (before, one instance's own socket failing faulted that instance).
        var (a, b) = TwoVridsSharingASocket();
        var errors = b.Engine.Log.Subscribe();
        int socketsBefore = b.Host.Sockets.Count;
        b.Host.FailNext.Add("receive");
        _sim.RunFor(Ms(500));
        var received = b.Engine.GetStates().ToDictionary(s => s.Name, s => s.Counters.AdvertisementsReceived);
        _sim.RunFor(Ms(1000));

        Assert.False(b.Engine.IsStopped);
        Assert.Contains(errors, e => e.Level == EngineLogLevel.Error && e.Message.Contains("reopening", StringComparison.Ordinal));
        Assert.Equal(socketsBefore, b.Host.Sockets.Count); // replaced, not leaked
        Assert.All(b.Engine.GetStates(), s =>
        {
            Assert.Equal(VrrpState.Backup, s.State);
            Assert.True(s.Counters.AdvertisementsReceived >= received[s.Name] + 9, $"{s.Name} still receives");
        });
        Assert.DoesNotContain(b.Transitions, t => t.To is VrrpState.Master or VrrpState.Fault);
        Assert.All(a.Engine.GetStates(), s => Assert.Equal(VrrpState.Master, s.State));
    }

    [Fact]
    public void AReopenedSharedSocketThePollerRefusesIsNotLeftForTheNextInstance()
    {
        // Review finding: when the reopened shared socket could not be registered with the poller (epoll_ctl ADD:
        // ENOMEM, ENOSPC), it stayed in the engine's table unpolled; the next instance of the interface joined it,
        // heard nothing, and took over from the live Master: two Masters and no error for that instance.
        var (a, b) = TwoVridsSharingASocket();
        b.Host.FailNext.Add("receive");
        b.Host.FailNext.Add("poll");
        _sim.RunFor(Ms(5000));

        Assert.False(b.Engine.IsStopped);
        Assert.DoesNotContain(b.Transitions, t => t.To == VrrpState.Master);
        var states = b.Engine.GetStates().ToDictionary(s => s.Name, s => s.State);
        Assert.Equal(VrrpState.Fault, states["VI_1"]); // its socket could not be registered: FAULT, as documented
        Assert.Equal(VrrpState.Backup, states["VI_2"]); // got a socket of its own that is polled
        Assert.All(a.Engine.GetStates(), s => Assert.Equal(VrrpState.Master, s.State));
    }

    [Fact]
    public void AnIPv6InstanceWithMoreAddressesThanOneAdvertCarriesIsRefusedAtStart()
    {
        var a = _sim.AddNode("2001:db8::11");
        var vips = Enumerable.Range(1, 95).Select(i => new VirtualAddressSpec(IpAddressValue.Parse($"2001:db8::1:{i:x}"), 64)).ToList();
        var ex = Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Instance(vip: "2001:db8::100") with { VirtualAddresses = vips }]));
        Assert.Equal(EngineErrorIds.TooManyAddresses, ex.ErrorId);
        Assert.Empty(a.Engine.GetStates());
        a.Engine.Start([Instance(vip: "2001:db8::100") with { VirtualAddresses = vips.Take(90).ToList() }]); // 90 fit 1500 bytes
        _sim.RunFor(Ms(1000));
        Assert.Equal(VrrpState.Master, a.State().State);
    }

    [Fact]
    public void AStalledBackupReadsTheWaitingAdvertBeforeItsMasterDownTimer()
    {
        var a = _sim.AddNode("198.51.100.11");
        var b = _sim.AddNode("198.51.100.12");
        a.Engine.Start([Instance(priority: 150)]);
        b.Engine.Start([Instance(priority: 100)]);
        _sim.RunFor(Ms(1000));
        Assert.Equal(VrrpState.Backup, b.State().State);
        b.StalledUntil = _sim.Now + 500_000; // 5 intervals: past Master_Down (3 × 100 ms + skew)
        _sim.RunFor(Ms(1500));
        Assert.DoesNotContain(b.Transitions, t => t.To == VrrpState.Master);
        Assert.Equal(VrrpState.Backup, b.State().State);
    }

    [Fact]
    public void DroppedPacketsAreLoggedAboutOnceASecond()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 150)]);
        _sim.RunFor(Ms(500));
        var log = a.Engine.Log.Subscribe();
        byte[] bad = Advert("198.51.100.66", "224.0.0.18", 100);
        bad[6] ^= 0xFF; // checksum
        for (int i = 0; i < 3000; i++)
        {
            _sim.At(_sim.Now + i * 1000, () => _sim.Network.Inject(a.Host, bad, IpAddressValue.Parse("198.51.100.66"), IpAddressValue.Parse("224.0.0.18")));
        }
        _sim.RunFor(Ms(3000));
        int lines = log.Count(e => e.Message.Contains("invalid advertisement"));
        Assert.Equal(3000, a.State().Counters.ChecksumErrors);
        Assert.InRange(lines, 3, 4);
    }

    [Fact]
    public void AnOwnerOnADownLinkStartsInFaultWithoutAdvertisingOrSettingItsVips()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Host.Interface.IsUp = false;
        a.Host.InterfaceAddresses.Add(VipAddress); // the owner's own address is the VIP
        a.Engine.Start([Instance(priority: 255)]);
        _sim.RunFor(Ms(500));
        Assert.Equal(VrrpState.Fault, a.State().State);
        Assert.DoesNotContain(a.Transitions, t => t.To == VrrpState.Master);
        Assert.Equal(0, a.State().Counters.AdvertisementsSent);
        Assert.Equal(0, a.Host.Announcements);
    }

    private sealed class ThrowingProcessTable : IProcessTable
    {
        public IReadOnlyList<ProcessEntry> Read(bool withCommandLine) => throw new IOException("simulated /proc failure");
    }

    [Fact]
    public void AnInstanceWhoseStartThrowsIsNotLeftRegistered()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.ProcessTable = new ThrowingProcessTable();
        var bad = Instance("VI_2", vrid: 52, vip: "198.51.100.101") with
        {
            TrackProcesses = [new TrackProcessDefinition { Name = "p", Process = "nginx", Weight = 0 }],
        };
        Assert.ThrowsAny<Exception>(() => a.Engine.Start([Instance(priority: 150), bad]));
        Assert.Empty(a.Engine.GetStates());
        Assert.Empty(a.Host.Sockets);
        Assert.False(a.Host.SimAddresses.Holds(VipAddress));
        a.Engine.Start([Instance(priority: 150), Instance("VI_2", vrid: 52, vip: "198.51.100.101")]); // the names are free again
        Assert.Equal(2, a.Engine.GetStates().Count);
    }

    [Fact]
    public void AnInterfaceDeletedAndCreatedAgainIsFollowedByName()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 150)]);
        _sim.RunFor(Ms(1000));
        a.Host.RecreateInterface(newIndex: 7);
        _sim.RunFor(Ms(1000));
        var s = a.State();
        Assert.Equal(VrrpState.Master, s.State);
        Assert.Equal(1, a.Host.SimAddresses.Count(VipAddress));
        Assert.Contains(_sim.Network.Wire, w => w.Host == a.Host.Id && w.At > _sim.Now - 200_000);
    }

    [Fact]
    public void LostLinkNotificationsAreRecoveredByReReadingTheLinks()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 150)]);
        _sim.RunFor(Ms(1000));
        a.Host.Interface.IsUp = false; // the notification is lost in an overrun
        a.Host.LinkMonitor.Overflow();
        _sim.RunFor(Ms(300));
        Assert.Equal(VrrpState.Fault, a.State().State);
        a.Host.Interface.IsUp = true;
        a.Host.LinkMonitor.Overflow();
        _sim.RunFor(Ms(1000));
        Assert.Equal(VrrpState.Master, a.State().State);
    }

    [Fact]
    public void AMulticastInstanceIgnoresAnAdvertSentToItsUnicastAddress()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 150)]);
        _sim.RunFor(Ms(1000));
        for (int i = 0; i < 20; i++)
        {
            _sim.At(_sim.Now + i * 50_000, () => _sim.Network.Inject(a.Host, Advert("198.51.100.66", "198.51.100.11", 200),
                IpAddressValue.Parse("198.51.100.66"), IpAddressValue.Parse("198.51.100.11")));
        }
        _sim.RunFor(Ms(1000));
        Assert.Equal(VrrpState.Master, a.State().State);
        Assert.Equal(20, a.State().Counters.OtherErrors);
    }

    [Fact]
    public void AV3IntervalMismatchIsLogged()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 100)]);
        var log = a.Engine.Log.Subscribe();
        for (int i = 0; i < 10; i++)
        {
            _sim.At(_sim.Now + i * 100_000, () => _sim.Network.Inject(a.Host, Advert("198.51.100.66", "224.0.0.18", 200, intervalCs: 20),
                IpAddressValue.Parse("198.51.100.66"), IpAddressValue.Parse("224.0.0.18")));
        }
        _sim.RunFor(Ms(1000));
        Assert.Equal(VrrpState.Backup, a.State().State);
        Assert.Contains(log, e => e.Message.Contains("interval mismatch"));
        Assert.Equal(10, a.State().Counters.IntervalMismatches);
    }

    [Fact]
    public void AMastersAnswerToAFloodOfLowerPriorityAdvertsIsRateLimited()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Instance(priority: 150)]);
        _sim.RunFor(Ms(1000));
        long before = a.State().Counters.AdvertisementsSent;
        for (int i = 0; i < 1000; i++)
        {
            _sim.At(_sim.Now + i * 1000, () => _sim.Network.Inject(a.Host, Advert("198.51.100.66", "224.0.0.18", 50),
                IpAddressValue.Parse("198.51.100.66"), IpAddressValue.Parse("224.0.0.18")));
        }
        _sim.RunFor(Ms(1000));
        long sent = a.State().Counters.AdvertisementsSent - before;
        Assert.InRange(sent, 10, 21); // its own 10 adverts a second, plus at most one answer per interval
    }
}
