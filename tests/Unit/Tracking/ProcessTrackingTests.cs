using VrrpPS.Engine;
using VrrpPS.Engine.Tracking;
using VrrpPS.Platform.Linux;
using Xunit;
using VrrpPS.StateMachine;
using VrrpPS.Tests.Simulation.Engine;

namespace VrrpPS.Tests.Tracking;

/// <summary>keepalived vrrp_track_process: matching rules (keepalived.conf(5)), quorum and delays, /proc parsing.</summary>
public sealed class ProcessTrackingTests
{
    private static ProcessEntry P(string name, params string[] argv) => new(1, name, argv.Length == 0 ? null : argv);

    private static TrackProcessDefinition Def(string process, params string[] parameters) => new()
    {
        Name = "t", Process = process, Parameters = parameters, MatchParameters = parameters.Length > 0, FullCommand = parameters.Length > 0,
    };

    [Fact]
    public void Name_only_is_an_exact_match_of_the_process_name_not_a_pattern()
    {
        var d = Def("ssh");
        Assert.True(ProcessMatcher.Matches(d, P("ssh")));
        Assert.False(ProcessMatcher.Matches(d, P("sshd"))); // pgrep ssh would match sshd; keepalived does not
        Assert.False(ProcessMatcher.Matches(d, P("SSH")));
    }

    [Fact]
    public void Names_longer_than_15_characters_compare_with_the_kernels_truncated_name()
    {
        var d = Def("kube-controller-manager");
        Assert.True(ProcessMatcher.Matches(d, P("kube-controller")));
    }

    [Fact]
    public void Full_command_compares_argv0_and_ignores_the_arguments_unless_param_match()
    {
        var d = Def("/usr/sbin/haproxy") with { FullCommand = true };
        Assert.True(ProcessMatcher.Matches(d, P("haproxy", "/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg")));
        Assert.False(ProcessMatcher.Matches(d, P("haproxy", "haproxy", "-f", "/etc/haproxy.cfg")));
        Assert.False(ProcessMatcher.Matches(d, P("kworker/0:1"))); // kernel threads have no command line
    }

    [Fact]
    public void Parameters_match_exactly_by_default()
    {
        var d = Def("/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg");
        Assert.True(ProcessMatcher.Matches(d, P("haproxy", "/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg")));
        Assert.False(ProcessMatcher.Matches(d, P("haproxy", "/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg", "-D")));
        Assert.False(ProcessMatcher.Matches(d, P("haproxy", "/usr/sbin/haproxy", "-f")));
    }

    [Fact]
    public void Bare_param_match_without_parameters_requires_no_arguments()
    {
        var d = Def("/usr/bin/sleep") with { MatchParameters = true, FullCommand = true };
        Assert.True(ProcessMatcher.Matches(d, P("sleep", "/usr/bin/sleep")));
        Assert.False(ProcessMatcher.Matches(d, P("sleep", "/usr/bin/sleep", "10")));
    }

    [Fact]
    public void Partial_allows_more_arguments_and_initial_also_a_longer_last_parameter()
    {
        var partial = Def("nginx", "-c", "/etc/nginx") with { ParameterMatch = ProcessParameterMatch.Partial };
        Assert.True(ProcessMatcher.Matches(partial, P("nginx", "nginx", "-c", "/etc/nginx", "-g", "daemon off;")));
        Assert.False(ProcessMatcher.Matches(partial, P("nginx", "nginx", "-c", "/etc/nginx/nginx.conf")));
        var initial = partial with { ParameterMatch = ProcessParameterMatch.Initial };
        Assert.True(ProcessMatcher.Matches(initial, P("nginx", "nginx", "-c", "/etc/nginx/nginx.conf")));
        Assert.True(ProcessMatcher.Matches(initial, P("nginx", "nginx", "-c", "/etc/nginx/nginx.conf", "-q")));
        Assert.False(ProcessMatcher.Matches(initial, P("nginx", "nginx", "-C", "/etc/nginx/nginx.conf")));
    }

    [Fact]
    public void Quorum_and_quorum_max_bound_the_count()
    {
        var q = new ProcessQuorum(Def("w") with { Quorum = 2, QuorumMax = 3 });
        Assert.False(q.InQuorum(1));
        Assert.True(q.InQuorum(2));
        Assert.True(q.InQuorum(3));
        Assert.False(q.InQuorum(4));
        Assert.Equal("4 running (quorum 2..3)", q.Describe(4));
        var none = new ProcessQuorum(Def("w") with { Quorum = 0, QuorumMax = 0 }); // quorum_max 0: must not run
        Assert.True(none.InQuorum(0));
        Assert.False(none.InQuorum(1));
        Assert.Equal("1 running (quorum 1+)", new ProcessQuorum(Def("w")).Describe(1));
    }

    [Fact]
    public void First_count_is_reported_at_once_then_changes_only_after_their_delay()
    {
        var q = new ProcessQuorum(Def("w") with { TerminateDelaySeconds = 2, ForkDelaySeconds = 1 });
        Assert.True(q.Observe(1, 0));        // initial: no delay
        Assert.Null(q.Observe(0, 10));       // lost at t=10 ...
        Assert.Null(q.Observe(0, 11.9));     // ... still within terminate_delay
        Assert.False(q.Observe(0, 12));      // reported after 2 s
        Assert.Null(q.Observe(1, 20));       // regained at t=20
        Assert.Null(q.Observe(0, 20.5));     // lost again: the fork_delay clock restarts
        Assert.Null(q.Observe(1, 21));
        Assert.Null(q.Observe(1, 21.9));
        Assert.True(q.Observe(1, 22));       // 1 s of quorum
    }

    [Fact]
    public void A_restart_within_terminate_delay_never_fails_the_tracker()
    {
        var q = new ProcessQuorum(Def("w") with { TerminateDelaySeconds = 1 });
        Assert.True(q.Observe(1, 0));
        Assert.Null(q.Observe(0, 5));
        Assert.Null(q.Observe(1, 5.5));
        Assert.Null(q.Observe(1, 7));
    }

    [Fact]
    public void Stat_parsing_keeps_names_with_spaces_and_parentheses()
    {
        Assert.Equal(("Web Content", 'S'), ProcProcessTable.ParseStat("4242 (Web Content) S 1 4242 0"u8));
        Assert.Equal(("a) b", 'Z'), ProcProcessTable.ParseStat("7 (a) b) Z 1 7"u8));
        Assert.Null(ProcProcessTable.ParseStat("garbage"u8));
        Assert.Equal(["/usr/bin/sleep", "30", ""], ProcProcessTable.SplitCommandLine("/usr/bin/sleep\030\0\0"u8));
        Assert.Empty(ProcProcessTable.SplitCommandLine([]));
    }

    [Fact]
    public void The_real_process_table_finds_this_test_process_by_pid_name_and_command_line()
    {
        var me = Environment.ProcessId;
        var entry = new ProcProcessTable("/proc").Read(withCommandLine: true).Single(p => p.Pid == me);
        Assert.Equal(File.ReadAllText($"/proc/{me}/comm").TrimEnd('\n'), entry.Name);
        Assert.Equal(ProcProcessTable.SplitCommandLine(File.ReadAllBytes($"/proc/{me}/cmdline")), entry.CommandLine);
        Assert.DoesNotContain(new ProcProcessTable("/proc").Read(withCommandLine: false), p => p.CommandLine is not null);
    }
}

/// <summary>track_process driving engines on the simulated LAN (simulated time), with a process table the test controls.</summary>
public sealed class ProcessTrackingEngineTests : IDisposable
{
    private sealed class FakeTable : IProcessTable
    {
        public int Running = 1;
        public IReadOnlyList<ProcessEntry> Read(bool withCommandLine) =>
            [.. Enumerable.Range(0, Running).Select(i => new ProcessEntry(100 + i, "haproxy", withCommandLine ? ["/usr/sbin/haproxy"] : null)),
             new ProcessEntry(1, "init", withCommandLine ? ["/sbin/init"] : null)];
    }

    private const long Poll = 20_000;
    private readonly EngineSimulator _sim = new(seed: 13);
    private readonly FakeTable _table = new();

    public void Dispose() => _sim.Dispose();

    private SimNode Node(string address)
    {
        var node = _sim.AddNode(address);
        node.Engine.ProcessTable = _table;
        node.Engine.ProcessPoll = TimeSpan.FromTicks(Poll * 10);
        return node;
    }

    /// <summary>Steps until the condition holds (at most 5 s of simulated time); returns the last snapshot.</summary>
    private VrrpInstanceState WaitFor(SimNode n, Func<VrrpInstanceState, bool> ok)
    {
        _sim.RunUntil(() => ok(n.State()), TimeSpan.FromSeconds(5));
        return n.State();
    }

    private static InstanceDefinition Def(int priority, params TrackProcessDefinition[] processes) => new()
    {
        Name = "VI_1",
        InterfaceName = "eth0",
        VirtualRouterId = 51,
        Priority = priority,
        AdvertisementIntervalCentiseconds = 5,
        VirtualAddresses = [new VirtualAddressSpec(VrrpPS.Protocol.IpAddressValue.Parse("198.51.100.100"), 24)],
        TrackProcesses = processes,
    };

    [Fact]
    public void Losing_the_tracked_process_lowers_priority_by_the_weight_and_the_backup_takes_over()
    {
        var a = Node("198.51.100.11");
        var b = Node("198.51.100.12");
        b.Engine.Start([Def(100)]);
        var started = Assert.Single(a.Engine.Start([Def(150, new TrackProcessDefinition { Name = "chk_haproxy", Process = "haproxy", Weight = -60 })]));
        Assert.Equal(150, started.EffectivePriority); // the first count is taken before the instance runs
        Assert.Equal(VrrpState.Master, WaitFor(a, s => s.State == VrrpState.Master).State);
        _table.Running = 0;
        long lostAt = _sim.Now;
        var down = WaitFor(a, s => s.EffectivePriority == 90);
        Assert.True(_sim.Now - lostAt <= Poll + 1_000, $"noticed {_sim.Now - lostAt} µs after the process went (poll {Poll} µs)");
        down = WaitFor(a, s => s.State == VrrpState.Backup);
        Assert.Equal(VrrpState.Backup, down.State);
        Assert.Equal(90, down.EffectivePriority);
        var t = Assert.Single(down.Tracker);
        Assert.Equal((TrackerKind.Process, TrackerStatus.Failed, -60), (t.Kind, t.Status, t.Contribution));
        Assert.Equal("quorum not met: 0 running (quorum 1+)", t.LastError);
        Assert.Equal(VrrpState.Master, WaitFor(b, s => s.State == VrrpState.Master).State);
        _table.Running = 1;
        Assert.Equal(VrrpState.Master, WaitFor(a, s => s.State == VrrpState.Master).State);
        Assert.Equal(VrrpState.Backup, b.State().State);
    }

    [Fact]
    public void Weight_zero_puts_the_instance_in_fault_naming_the_process_and_the_count()
    {
        _table.Running = 0;
        var a = Node("198.51.100.11");
        var s = Assert.Single(a.Engine.Start([Def(150, new TrackProcessDefinition { Name = "chk_haproxy", Process = "haproxy", Quorum = 2 })]));
        s = WaitFor(a, x => x.State == VrrpState.Fault);
        Assert.Equal(VrrpState.Fault, s.State);
        Assert.Contains("track process chk_haproxy", s.FaultReason);
        Assert.Contains("0 running (quorum 2+)", s.FaultReason);
        _table.Running = 2;
        Assert.NotEqual(VrrpState.Fault, WaitFor(a, x => x.State != VrrpState.Fault).State);
    }

    [Fact]
    public void A_process_with_an_invalid_quorum_is_refused_before_anything_starts()
    {
        var a = Node("198.51.100.11");
        var ex = Assert.Throws<VrrpEngineException>(() => a.Engine.Start([Def(150, new TrackProcessDefinition { Name = "p", Process = "haproxy", Quorum = 3, QuorumMax = 2 })]));
        Assert.Equal("VrrpInvalidTrackProcess", ex.ErrorId);
        Assert.Empty(a.Engine.GetStates());
    }
}
