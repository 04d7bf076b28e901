using System.Collections.Concurrent;
using VrrpPS.Engine;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Engine;
using static VrrpPS.Tests.Engine.EngineWait;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>Trackers, notify and sync groups driving real engines on the in-memory LAN.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrackingEngineTests : IDisposable
{
    private readonly FakeLan _lan = new();
    private readonly List<VrrpEngine> _engines = [];
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-trk-").FullName;

    public void Dispose()
    {
        foreach (var e in _engines)
        {
            e.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }

    private VrrpEngine Node(string address)
    {
        var engine = new VrrpEngine(new FakePlatform(_lan, address));
        _engines.Add(engine);
        return engine;
    }

    private static InstanceDefinition Def(string name = "VI_1", int priority = 100, int vrid = 51) => new()
    {
        Name = name,
        InterfaceName = "eth0",
        VirtualRouterId = vrid,
        Priority = priority,
        AdvertisementIntervalCentiseconds = 5,
        VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.100"), 24)],
    };

    // A ScriptBlock check controlled by a file: OK while the file exists.
    private TrackScriptDefinition FileCheck(string flag, int weight, int fall = 1, int rise = 1) => new()
    {
        Name = "api",
        ScriptBlockText = $"Test-Path -LiteralPath '{flag}'",
        IntervalSeconds = 0.05,
        TimeoutSeconds = 2,
        Fall = fall,
        Rise = rise,
        Weight = weight,
    };

    [Fact]
    public void AnInstanceRestartedByAReloadRunsItsTrackers()
    {
        // Reload (SIGHUP) restarts a changed instance through the same path as Start: its tracker
        // must run and weigh in just as at start.
        string flag = Path.Combine(_dir, "absent"); // never created: the check fails
        var a = Node("198.51.100.11");
        a.Start([Def(priority: 150)]);
        var changed = Def(priority: 150, vrid: 52) with { TrackScripts = [FileCheck(flag, -60)] };
        var r = a.Reconcile([changed], ["VI_1"]);
        Assert.Equal(["VI_1"], r.Restarted);
        var s = WaitFor(a, "VI_1", x => x.Tracker.Length == 1 && x.Tracker[0].Status == TrackerStatus.Failed);
        Assert.Equal(TrackerStatus.Failed, Assert.Single(s.Tracker).Status);
        Assert.Equal(90, s.EffectivePriority);
        Assert.Equal(52, s.VirtualRouterId);
    }

    [Fact]
    public void FailingWeightedCheckHandsMasterToTheBackupAndRecoveryTakesItBack()
    {
        // The seed scenario: 150 with weight -60 vs 100 ⇒ 90 < 100 ⇒ preempted (RFC 5798 §6.4.3 higher priority advert).
        string flag = Path.Combine(_dir, "healthy");
        File.WriteAllText(flag, "");
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        b.Start([Def(priority: 100)]);
        a.Start([Def(priority: 150) with { TrackScripts = [FileCheck(flag, -60, fall: 2)] }]);
        // The first result decides at once (keepalived's initial state); fall counting starts after it.
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", s => s.State == VrrpState.Master && s.Tracker[0].Status == TrackerStatus.Ok).State);
        File.Delete(flag);
        var down = WaitFor(a, "VI_1", s => s.State == VrrpState.Backup);
        Assert.Equal(VrrpState.Backup, down.State);
        Assert.Equal(90, down.EffectivePriority);
        Assert.Equal(150, down.Priority);
        var tracker = Assert.Single(down.Tracker);
        Assert.Equal(TrackerStatus.Failed, tracker.Status);
        Assert.Equal(-60, tracker.Contribution);
        Assert.Equal(TrackerKind.ScriptBlock, tracker.Kind);
        Assert.True(down.History[^1].Reason.Contains("track script api failed (fall 2/2)"), down.History[^1].Reason);
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", s => s.State == VrrpState.Master).State);
        File.WriteAllText(flag, "");
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", s => s.State == VrrpState.Master).State);
        Assert.Equal(150, a.GetStates()[0].EffectivePriority);
    }

    [Fact]
    public void WeightZeroFailureIsFaultWithReasonAndRecoveryGoesToBackup()
    {
        string flag = Path.Combine(_dir, "ok");
        File.WriteAllText(flag, "");
        var a = Node("198.51.100.11");
        a.Start([Def(priority: 150) with { TrackScripts = [FileCheck(flag, 0, fall: 2)] }]);
        WaitFor(a, "VI_1", s => s.State == VrrpState.Master && s.Tracker[0].Status == TrackerStatus.Ok);
        File.Delete(flag);
        var fault = WaitFor(a, "VI_1", s => s.State == VrrpState.Fault);
        Assert.Equal(VrrpState.Fault, fault.State);
        Assert.Equal("track script api failed (fall 2/2): returned False", fault.FaultReason);
        Assert.Equal(fault.FaultReason, fault.History[^1].Reason);
        File.WriteAllText(flag, "");
        var back = WaitFor(a, "VI_1", s => s.State != VrrpState.Fault);
        Assert.Equal(VrrpState.Backup, back.History[^1].To); // keepalived: leaving FAULT goes to BACKUP
    }

    [Fact]
    public void InitFailStartsInFault()
    {
        var a = Node("198.51.100.11");
        var chk = new TrackScriptDefinition { Name = "never", Command = ["/bin/false"], IntervalSeconds = 0.05, InitFail = true };
        var s = a.Start([Def() with { TrackScripts = [chk] }])[0];
        Assert.Equal(VrrpState.Fault, s.State);
        Assert.Equal(VrrpState.Fault, WaitFor(a, "VI_1", x => x.Tracker[0].LastRun is not null).State);
    }

    [Fact]
    public void NotifyProgramsFifoAndSinksSeeFiftyRapidTransitionsInOrder()
    {
        // keepalived runs notify scripts concurrently (issues #996, #584); ours keep transition order.
        string log = Path.Combine(_dir, "notify.log");
        string fifo = Path.Combine(_dir, "fifo.log");
        var a = Node("198.51.100.11");
        var truth = new ConcurrentQueue<string>();
        a.TransitionObserved += (_, name, t) => truth.Enqueue($"{t.To}");
        var sunk = new ConcurrentQueue<string>();
        a.AddStateChangedSink(e => sunk.Enqueue($"{e.NewState}"));
        // Alternates OK/failed at every run: weight 0 ⇒ FAULT, BACKUP, FAULT, ...
        var flip = new TrackScriptDefinition
        {
            Name = "flip", ScriptBlockText = "$global:n++; ($global:n % 2) -eq 0", IntervalSeconds = 0.01, Weight = 0,
        };
        var notify = new NotifyDefinition
        {
            Any = ["/bin/sh", "-c", $"sleep 0.00$(( $$ % 7 )); echo \"$1 $2 $3 $4\" >> '{log}'", "sh"],
            FifoPath = fifo,
        };
        a.Start([Def() with { TrackScripts = [flip], Notify = notify }]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (truth.Count < 52 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
        a.Stop("VI_1");
        Assert.True(truth.Count >= 52, $"only {truth.Count} transitions");
        a.FlushNotifications(TimeSpan.FromSeconds(30));
        var expected = truth.Select(s => s switch { "Master" => "MASTER", "Backup" => "BACKUP", "Fault" => "FAULT", _ => "STOP" }).ToArray();
        // The programs may fall behind: at most NotifyDispatcher.QueueCapacity runs wait, the oldest waiting
        // are dropped (counted). What runs is in transition order and ends with the last state.
        var all = expected.Select(w => $"INSTANCE VI_1 {w} 100").ToList();
        var lines = File.ReadAllLines(log);
        Assert.Equal(all.Count, lines.Length + a.Notifications.DroppedNotifications);
        Assert.Equal(all[^1], lines[^1]);
        int k = 0;
        foreach (var line in lines)
        {
            while (k < all.Count && all[k] != line)
            {
                k++;
            }
            Assert.True(k++ < all.Count, "notify runs out of transition order");
        }
        Assert.Equal(expected.Select(w => $"INSTANCE \"VI_1\" {w} 100"), File.ReadAllLines(fifo));
        Assert.Equal(truth.ToArray(), sunk.ToArray());
    }

    [Fact]
    public void DisposingTheEngineRunsPendingAndStopActionsInOrderBeforeItReturns()
    {
        // The engine's shutdown flushes notifications while the stop actions need the engine runspace:
        // it once held the runspace lock during the flush, so OnStop waited out the 5 s flush and was dropped
        // (seen as -OnStop lost at pwsh exit). A slow OnMaster still running at shutdown must finish first.
        string log = Path.Combine(_dir, "actions.log");
        var a = Node("198.51.100.11");
        var notify = new NotifyDefinition
        {
            OnMaster = $"param($e) Start-Sleep -Milliseconds 300; Add-Content -LiteralPath '{log}' \"master $($e.NewState)\"",
            OnStop = $"param($e) Add-Content -LiteralPath '{log}' \"stop $($e.NewState)\"",
        };
        a.Start([Def(priority: 150) with { Notify = notify }]);
        WaitFor(a, "VI_1", s => s.State == VrrpState.Master);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        a.Dispose();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4.5), $"shutdown took {sw.Elapsed.TotalSeconds:0.0} s (the flush timed out)");
        Assert.Equal(["master Master", "stop Initialize"], File.ReadAllLines(log));
    }

    [Fact]
    public void SyncGroupMembersGoToFaultTogether()
    {
        // keepalived vrrp_sync_group: one member in FAULT ⇒ every member in FAULT; back together.
        string flag = Path.Combine(_dir, "g");
        File.WriteAllText(flag, "");
        var a = Node("198.51.100.11");
        a.Start([
            Def("VI_1", 150, 51) with { SyncGroup = "G1", TrackScripts = [FileCheck(flag, 0)] },
            Def("VI_2", 150, 52) with { SyncGroup = "G1", VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.101"), 24)] },
        ]);
        WaitFor(a, "VI_2", s => s.State == VrrpState.Master);
        File.Delete(flag);
        var v2 = WaitFor(a, "VI_2", s => s.State == VrrpState.Fault);
        Assert.Equal(VrrpState.Fault, v2.State);
        Assert.StartsWith("sync group G1: VI_1 in fault (track script api failed", v2.FaultReason);
        File.WriteAllText(flag, "");
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_2", s => s.State == VrrpState.Master).State);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", s => s.State == VrrpState.Master).State);
    }

    [Fact]
    public void WorldWritableTrackScriptRefusesTheWholeStart()
    {
        string bad = Path.Combine(_dir, "bad.sh");
        File.WriteAllText(bad, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(bad, (UnixFileMode)0x1FF); // 0777
        var a = Node("198.51.100.11");
        var chk = new TrackScriptDefinition { Name = "bad", Command = [bad] };
        Assert.True(VrrpPS.Engine.Tracking.ScriptSecurity.RunningAsRoot, "the unit suite runs as root (it needs CAP_NET_ADMIN for the lab tests)");
        var ex = Assert.Throws<VrrpEngineException>(() => a.Start([Def() with { TrackScripts = [chk] }]));
        Assert.Equal("VrrpScriptInsecure", ex.ErrorId);
        Assert.Empty(a.GetStates());
    }
}
