using System.Collections.Concurrent;
using VrrpPS.Engine.Notify;
using VrrpPS.Engine.Tracking;
using VrrpPS.Engine;
using VrrpPS.Platform.Linux;
using VrrpPS.Protocol;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Simulation.Engine;
using Xunit;

namespace VrrpPS.Tests.Tracking;

/// <summary>
/// Trackers, notify and sync groups driving engines on the simulated LAN. Track scripts run through
/// the simulated process runner (their outcome set by the test), so scenarios are exact in simulated
/// time; what must be real (a ScriptBlock in the engine runspace, notify programs writing files) runs
/// for real and the test waits for its outcome, never for a time window.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrackingEngineTests : IDisposable
{
    private const string Check = "/bin/true"; // a real root-owned program (start-time checks), answered by the simulated runner
    private readonly EngineSimulator _sim = new(seed: 11);
    private readonly string _dir = Directory.CreateTempSubdirectory("vrrpps-trk-").FullName;

    public void Dispose()
    {
        _sim.Dispose();
        Directory.Delete(_dir, recursive: true);
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

    // A program check every 50 ms whose outcome the test sets through the node's simulated runner.
    private static TrackScriptDefinition ProgramCheck(int weight, int fall = 1, int rise = 1) => new()
    {
        Name = "api", Command = [Check], IntervalSeconds = 0.05, TimeoutSeconds = 2, Fall = fall, Rise = rise, Weight = weight,
    };

    /// <summary>Steps until the condition holds (at most 5 s of simulated time); returns the last snapshot.</summary>
    private VrrpInstanceState WaitFor(SimNode n, string name, Func<VrrpInstanceState, bool> ok)
    {
        _sim.RunUntil(() => ok(n.State(name)), TimeSpan.FromSeconds(5));
        return n.State(name);
    }

    /// <summary>Steps simulated time in 1 ms slices until real work (runspace, processes) produced the outcome; bounded at 30 s of real time.</summary>
    private void StepUntil(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done() && DateTime.UtcNow < deadline)
        {
            _sim.RunFor(TimeSpan.FromMilliseconds(1));
            Thread.Yield();
        }
    }

    /// <summary>The check program through the simulated runner, anything else (notify programs) run for real.</summary>
    private sealed class RealNotifyRunner(SimProcessRunner checks) : IProcessRunner
    {
        public Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancel = default) =>
            request.Arguments[0] == Check ? checks.RunAsync(request, cancel) : LinuxProcessRunner.Shared.RunAsync(request, cancel);
    }

    [Fact]
    public void AnInstanceRestartedByAReloadRunsItsTrackers()
    {
        // Reload (SIGHUP) restarts a changed instance through the same path as Start: its tracker
        // must run and weigh in just as at start.
        var a = _sim.AddNode("198.51.100.11");
        a.Runner.Programs[Check] = ProgramBehaviour.Fail;
        a.Engine.Start([Def(priority: 150)]);
        var changed = Def(priority: 150, vrid: 52) with { TrackScripts = [ProgramCheck(-60)] };
        var r = a.Engine.Reconcile([changed], ["VI_1"]);
        Assert.Equal(["VI_1"], r.Restarted);
        _sim.RunFor(TimeSpan.FromMilliseconds(10)); // the first check starts at once and ends 1 ms later
        var s = a.State();
        Assert.Equal(TrackerStatus.Failed, Assert.Single(s.Tracker).Status);
        Assert.Equal(90, s.EffectivePriority);
        Assert.Equal(52, s.VirtualRouterId);
    }

    [Fact]
    public void FailingWeightedCheckHandsMasterToTheBackupAndRecoveryTakesItBack()
    {
        // The seed scenario: 150 with weight -60 vs 100 ⇒ 90 < 100 ⇒ preempted (RFC 5798 §6.4.3 higher priority advert).
        var a = _sim.AddNode("198.51.100.11");
        var b = _sim.AddNode("198.51.100.12");
        b.Engine.Start([Def(priority: 100)]);
        a.Engine.Start([Def(priority: 150) with { TrackScripts = [ProgramCheck(-60, fall: 2)] }]);
        // The first result decides at once (keepalived's initial state); fall counting starts after it.
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", s => s.State == VrrpState.Master && s.Tracker[0].Status == TrackerStatus.Ok).State);
        a.Runner.Programs[Check] = ProgramBehaviour.Fail;
        var down = WaitFor(a, "VI_1", s => s.State == VrrpState.Backup);
        Assert.Equal(VrrpState.Backup, down.State);
        Assert.Equal(90, down.EffectivePriority);
        Assert.Equal(150, down.Priority);
        var tracker = Assert.Single(down.Tracker);
        Assert.Equal(TrackerStatus.Failed, tracker.Status);
        Assert.Equal(-60, tracker.Contribution);
        Assert.Equal(TrackerKind.Script, tracker.Kind);
        Assert.True(down.History[^1].Reason.Contains("track script api failed (fall 2/2)"), down.History[^1].Reason);
        Assert.Equal(VrrpState.Master, WaitFor(b, "VI_1", s => s.State == VrrpState.Master).State);
        a.Runner.Programs[Check] = ProgramBehaviour.Succeed;
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", s => s.State == VrrpState.Master).State);
        Assert.Equal(150, a.State().EffectivePriority);
    }

    [Fact]
    public void WeightZeroFailureIsFaultWithReasonAndRecoveryGoesToBackup()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([Def(priority: 150) with { TrackScripts = [ProgramCheck(0, fall: 2)] }]);
        WaitFor(a, "VI_1", s => s.State == VrrpState.Master && s.Tracker[0].Status == TrackerStatus.Ok);
        a.Runner.Programs[Check] = ProgramBehaviour.Fail;
        var fault = WaitFor(a, "VI_1", s => s.State == VrrpState.Fault);
        Assert.Equal(VrrpState.Fault, fault.State);
        Assert.Equal("track script api failed (fall 2/2): exit code 1", fault.FaultReason);
        Assert.Equal(fault.FaultReason, fault.History[^1].Reason);
        a.Runner.Programs[Check] = ProgramBehaviour.Succeed;
        var back = WaitFor(a, "VI_1", s => s.State != VrrpState.Fault);
        Assert.Equal(VrrpState.Backup, back.History[^1].To); // keepalived: leaving FAULT goes to BACKUP
    }

    [Fact]
    public void AScriptBlockCheckRunsInTheEngineRunspaceAndAFalseResultFailsIt()
    {
        // Real: the ScriptBlock runs in the engine's runspace (a thread of its own); the test steps simulated
        // time until its results arrive. OK while the file exists.
        string flag = Path.Combine(_dir, "ok");
        File.WriteAllText(flag, "");
        var a = _sim.AddNode("198.51.100.11");
        var check = new TrackScriptDefinition
        {
            Name = "api", ScriptBlockText = $"Test-Path -LiteralPath '{flag}'", IntervalSeconds = 0.05, TimeoutSeconds = 10, Weight = 0,
        };
        a.Engine.Start([Def(priority: 150) with { TrackScripts = [check] }]);
        StepUntil(() => a.State().State == VrrpState.Master && a.State().Tracker[0].Status == TrackerStatus.Ok);
        Assert.Equal(TrackerKind.ScriptBlock, a.State().Tracker[0].Kind);
        File.Delete(flag);
        StepUntil(() => a.State().State == VrrpState.Fault);
        var fault = a.State();
        Assert.Equal(VrrpState.Fault, fault.State);
        Assert.Equal("track script api failed (fall 1/1): returned False", fault.FaultReason);
    }

    [Fact]
    public void InitFailStartsInFault()
    {
        var a = _sim.AddNode("198.51.100.11");
        a.Runner.Programs["/bin/false"] = ProgramBehaviour.Fail;
        var chk = new TrackScriptDefinition { Name = "never", Command = ["/bin/false"], IntervalSeconds = 0.05, InitFail = true };
        var s = a.Engine.Start([Def() with { TrackScripts = [chk] }])[0];
        Assert.Equal(VrrpState.Fault, s.State);
        Assert.Equal(VrrpState.Fault, WaitFor(a, "VI_1", x => x.Tracker[0].LastRun is not null).State);
        _sim.RunFor(TimeSpan.FromMilliseconds(500));
        Assert.Equal([(VrrpState.Initialize, VrrpState.Fault)], a.Transitions.Select(t => (t.From, t.To)));
    }

    [Fact]
    public void NotifyProgramsFifoAndSinksSeeFiftyRapidTransitionsInOrder()
    {
        // keepalived runs notify scripts concurrently (issues #996, #584); ours keep transition order.
        // The check flips in simulated time; the notify program and the FIFO write are real.
        string log = Path.Combine(_dir, "notify.log");
        string fifo = Path.Combine(_dir, "fifo.log");
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.ProcessRunner = new RealNotifyRunner(a.Runner);
        var truth = new ConcurrentQueue<string>();
        a.Engine.TransitionObserved += (_, name, t) => truth.Enqueue($"{t.To}");
        var sunk = new ConcurrentQueue<string>();
        a.Engine.AddStateChangedSink(e => sunk.Enqueue($"{e.NewState}"));
        // The check runs every 10 ms (start to start, 1 ms each); its outcome flips between runs: weight 0 ⇒
        // FAULT, BACKUP, FAULT, ...
        var flip = new TrackScriptDefinition { Name = "flip", Command = [Check], IntervalSeconds = 0.01, Weight = 0 };
        var notify = new NotifyDefinition
        {
            Any = ["/bin/sh", "-c", $"sleep 0.00$(( $$ % 7 )); echo \"$1 $2 $3 $4\" >> '{log}'", "sh"],
            FifoPath = fifo,
        };
        a.Runner.Programs[Check] = ProgramBehaviour.Fail;
        for (int i = 0; i < 60; i++)
        {
            var outcome = i % 2 == 0 ? ProgramBehaviour.Succeed : ProgramBehaviour.Fail;
            _sim.At(_sim.Now + 5_000 + i * 10_000L, () => a.Runner.Programs[Check] = outcome);
        }
        a.Engine.Start([Def() with { TrackScripts = [flip], Notify = notify }]);
        _sim.RunUntil(() => truth.Count >= 52, TimeSpan.FromSeconds(5));
        a.Engine.Stop("VI_1");
        Assert.True(truth.Count >= 52, $"only {truth.Count} transitions");
        a.Engine.FlushNotifications(TimeSpan.FromSeconds(30));
        var expected = truth.Select(s => s switch { "Master" => "MASTER", "Backup" => "BACKUP", "Fault" => "FAULT", _ => "STOP" }).ToArray();
        // The programs may fall behind: at most NotifyDispatcher.QueueCapacity runs wait, the oldest waiting
        // are dropped (counted). What runs is in transition order and ends with the last state.
        var all = expected.Select(w => $"INSTANCE VI_1 {w} 100").ToList();
        var lines = File.ReadAllLines(log);
        Assert.Equal(all.Count, lines.Length + a.Engine.Notifications.DroppedNotifications);
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
        // Real: the actions run in the engine runspace; the outcome (both lines, in order) is what counts.
        string log = Path.Combine(_dir, "actions.log");
        string running = Path.Combine(_dir, "running");
        var a = _sim.AddNode("198.51.100.11");
        var notify = new NotifyDefinition
        {
            OnMaster = $"param($e) Set-Content -LiteralPath '{running}' x; Start-Sleep -Milliseconds 300; Add-Content -LiteralPath '{log}' \"master $($e.NewState)\"",
            OnStop = $"param($e) Add-Content -LiteralPath '{log}' \"stop $($e.NewState)\"",
        };
        a.Engine.Start([Def(priority: 150) with { Notify = notify }]);
        WaitFor(a, "VI_1", s => s.State == VrrpState.Master);
        // Shut down while OnMaster runs (the runspace is created on first use, slowly on a loaded machine:
        // wait for the action to have started, bounded, so the 5 s flush is not spent creating it).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(running) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }
        Assert.True(File.Exists(running), "OnMaster never started");
        a.Engine.Dispose();
        Assert.Equal(["master Master", "stop Initialize"], File.ReadAllLines(log));
    }

    [Fact]
    public void SyncGroupMembersGoToFaultTogether()
    {
        // keepalived vrrp_sync_group: one member in FAULT ⇒ every member in FAULT; back together.
        var a = _sim.AddNode("198.51.100.11");
        a.Engine.Start([
            Def("VI_1", 150, 51) with { SyncGroup = "G1", TrackScripts = [ProgramCheck(0)] },
            Def("VI_2", 150, 52) with { SyncGroup = "G1", VirtualAddresses = [new VirtualAddressSpec(IpAddressValue.Parse("198.51.100.101"), 24)] },
        ]);
        WaitFor(a, "VI_2", s => s.State == VrrpState.Master);
        a.Runner.Programs[Check] = ProgramBehaviour.Fail;
        var v2 = WaitFor(a, "VI_2", s => s.State == VrrpState.Fault);
        Assert.Equal(VrrpState.Fault, v2.State);
        Assert.Equal("sync group G1: VI_1 in fault (track script api failed (fall 1/1): exit code 1)", v2.FaultReason);
        a.Runner.Programs[Check] = ProgramBehaviour.Succeed;
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_2", s => s.State == VrrpState.Master).State);
        Assert.Equal(VrrpState.Master, WaitFor(a, "VI_1", s => s.State == VrrpState.Master).State);
    }

    [Trait(TestCategories.Key, TestCategories.Root)]
    [Fact]
    public void WorldWritableTrackScriptRefusesTheWholeStart()
    {
        string bad = Path.Combine(_dir, "bad.sh");
        File.WriteAllText(bad, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(bad, (UnixFileMode)0x1FF); // 0777
        var a = _sim.AddNode("198.51.100.11");
        var chk = new TrackScriptDefinition { Name = "bad", Command = [bad] };
        Assert.True(VrrpPS.Engine.Tracking.ScriptSecurity.RunningAsRoot, "the unit suite runs as root (it needs CAP_NET_ADMIN for the lab tests)");
        var ex = Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Def() with { TrackScripts = [chk] }]));
        Assert.Equal("VrrpScriptInsecure", ex.ErrorId);
        Assert.Empty(a.Engine.GetStates());
    }
}
