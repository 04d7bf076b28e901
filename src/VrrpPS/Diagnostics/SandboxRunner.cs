using System.Diagnostics;
using VrrpPS.Config;
using VrrpPS.Engine;
using VrrpPS.Hosting;
using VrrpPS.Lab;
using VrrpPS.StateMachine;

namespace VrrpPS.Diagnostics;

/// <summary>
/// Test-VrrpFailover -Lab: one namespace per config on one bridge, a VrrpPS daemon per node
/// running its mapped config, then each scenario from a converged cluster. Always torn down.
/// </summary>
public sealed partial class SandboxRunner : IDisposable
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);
    private readonly SandboxPlan _plan;
    private readonly IFailoverObserver _observer;
    private readonly string _pwsh;
    private readonly string _modulePath;
    private readonly IReadOnlyDictionary<string, string> _trackOverride;
    private readonly Dictionary<int, Process> _processes = [];
    private readonly HashSet<string> _controlledScripts = new(StringComparer.Ordinal);
    private NamespaceLab? _lab;
    private string _dir = string.Empty;

    public SandboxRunner(SandboxPlan plan, IFailoverObserver observer, string pwsh, string modulePath, IReadOnlyDictionary<string, string> trackOverride)
    {
        _plan = plan;
        _observer = observer;
        _pwsh = pwsh;
        _modulePath = modulePath;
        _trackOverride = trackOverride;
    }

    private string InstanceName => _plan.Designated.Instance.Name;

    public IEnumerable<VrrpFailoverResult> Run(IReadOnlyList<FailoverScenario> scenarios, CancellationToken cancel)
    {
        Build();
        var results = new List<VrrpFailoverResult> { Election(cancel) };
        foreach (var s in scenarios)
        {
            if (cancel.IsCancellationRequested)
            {
                break;
            }
            _observer.Progress($"Scenario {s}", 10 + 90 * results.Count / (scenarios.Count + 1));
            EnsureRunning(cancel);
            results.Add(s switch
            {
                FailoverScenario.MasterCrash => Loss(s, n => _processes[n.Index].Kill(entireProcessTree: true), "killed", cancel),
                FailoverScenario.LinkLoss => Loss(s, n => _lab!.SetLinkUp(n.Index, false), "cable cut", cancel),
                FailoverScenario.GracefulStop => Loss(s, n => Client(n).Shutdown(), "stopped gracefully", cancel),
                FailoverScenario.TrackFailure => TrackFailure(cancel),
                FailoverScenario.MasterReturn => MasterReturn(cancel),
                _ => throw new ArgumentOutOfRangeException(nameof(scenarios)),
            });
            for (int i = 1; i <= _plan.Nodes.Count; i++)
            {
                _lab!.SetLinkUp(i, true);
            }
            ClearFlags();
        }
        return results;
    }

    private void Build()
    {
        _observer.Progress("Building the namespace lab", 0);
        foreach (var m in _plan.Map.Table)
        {
            _observer.Verbose($"Address mapped into the lab range: {m}");
        }
        var first = _plan.Nodes[0];
        _lab = NamespaceLab.Create(_plan.Nodes.Count, new LabOptions
        {
            InterfaceName = first.Interface,
            NodeAddresses = _plan.Nodes.Select(n => n.Cidr).ToArray(),
        });
        _dir = Path.Combine(Path.GetTempPath(), $"vrrpps-sandbox-{_lab.Tag}");
        Directory.CreateDirectory(_dir);
        foreach (var n in _plan.Nodes)
        {
            if (n.Interface != first.Interface)
            {
                string ns = _lab.NodeNamespace(n.Index);
                LabCommand.RunChecked("ip", ["-n", ns, "link", "set", first.Interface, "down"], TimeSpan.FromSeconds(10));
                LabCommand.RunChecked("ip", ["-n", ns, "link", "set", first.Interface, "name", n.Interface], TimeSpan.FromSeconds(10));
                LabCommand.RunChecked("ip", ["-n", ns, "link", "set", n.Interface, "up"], TimeSpan.FromSeconds(10));
            }
            RewriteScripts(n);
            File.WriteAllText(ConfigPath(n), KeepalivedConfigWriter.Write([n.Config]));
            _observer.Verbose($"{n.Name}: {n.SourceFile} -> {ConfigPath(n)} in namespace {_lab.NodeNamespace(n.Index)} ({n.Interface} {n.Cidr})");
        }
    }

    // Track scripts cannot run in the lab as configured (the checked service is not there): each
    // becomes a check the TrackFailure scenario controls (a flag file), or /bin/true|/bin/false per -TrackOverride.
    private void RewriteScripts(SandboxNode n)
    {
        foreach (var s in n.Config.Scripts)
        {
            if (_trackOverride.TryGetValue(s.Name, out string? mode))
            {
                s.Script = mode.Equals("fail", StringComparison.OrdinalIgnoreCase) ? "/bin/false" : "/bin/true";
                _observer.Verbose($"{n.Name}: vrrp_script {s.Name} pinned to {s.Script} (-TrackOverride)");
            }
            else
            {
                s.Script = $"/usr/bin/test ! -e {FlagPath(n, s.Name)}";
                _controlledScripts.Add(s.Name);
            }
            s.ScriptArguments = s.Script.Split(' ');
        }
    }

    private string ConfigPath(SandboxNode n) => Path.Combine(_dir, $"{n.Name}.conf");
    private string SocketPath(SandboxNode n) => Path.Combine(_dir, $"{n.Name}.sock");
    private string LogPath(SandboxNode n) => Path.Combine(_dir, $"{n.Name}.log");
    private string FlagPath(SandboxNode n, string script) => Path.Combine(_dir, $"{n.Name}-{script}.fail");
    private EngineClient Client(SandboxNode n) => EngineClient.Connect(SocketPath(n));

    private void ClearFlags()
    {
        foreach (var f in Directory.GetFiles(_dir, "*.fail"))
        {
            File.Delete(f);
        }
    }

    private void Start(SandboxNode n)
    {
        File.Delete(SocketPath(n));
        string script = $"$ErrorActionPreference='Stop'; Import-Module '{_modulePath}'; Import-KeepalivedConfig -Path '{ConfigPath(n)}' -ConfigId {n.Name} | Start-VrrpInstance -Wait -ControlSocket '{SocketPath(n)}'";
        _processes[n.Index] = _lab!.StartLoggedProcess(_lab.NodeNamespace(n.Index), LogPath(n), _pwsh, "-NoProfile", "-NonInteractive", "-Command", script);
    }

    private void EnsureRunning(CancellationToken cancel)
    {
        foreach (var n in _plan.Nodes.Where(n => !_processes.TryGetValue(n.Index, out var p) || p.HasExited))
        {
            Start(n);
        }
        var deadline = Stopwatch.StartNew();
        foreach (var n in _plan.Nodes)
        {
            bool restarted = false;
            while (!File.Exists(SocketPath(n)))
            {
                if (_processes[n.Index].HasExited && !restarted)
                {
                    restarted = true; // a node that was still shutting down when we looked
                    Start(n);
                    continue;
                }
                if (_processes[n.Index].HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60) || cancel.IsCancellationRequested)
                {
                    throw new VrrpEngineException("VrrpSandboxNodeFailed", $"{n} did not start: {Tail(n)}", n.Name);
                }
                Thread.Sleep(50);
            }
        }
        WaitConverged(cancel);
    }

    private Dictionary<SandboxNode, VrrpInstanceState?> States()
    {
        var d = new Dictionary<SandboxNode, VrrpInstanceState?>();
        foreach (var n in _plan.Nodes)
        {
            try
            {
                d[n] = !_processes.TryGetValue(n.Index, out var p) || p.HasExited || !File.Exists(SocketPath(n)) ? null
                    : Client(n).GetStates().FirstOrDefault(s => s.Name == InstanceName);
            }
            catch (VrrpEngineException)
            {
                d[n] = null;
            }
        }
        return d;
    }

    private SandboxNode[] Masters(Dictionary<SandboxNode, VrrpInstanceState?> s) =>
        s.Where(kv => kv.Value?.State == VrrpState.Master).Select(kv => kv.Key).ToArray();

    private TimeSpan Interval => TimeSpan.FromSeconds(_plan.Designated.Instance.AdvertisementInterval);
    private int Version => _plan.Designated.Instance.Version;

    /// <summary>Waits until one Master is stable for Master_Down_Interval (bounded).</summary>
    private SandboxNode? WaitConverged(CancellationToken cancel)
    {
        var mdi = FailoverBounds.Loss(Version, 1, Interval);
        var limit = Stopwatch.StartNew();
        var stable = Stopwatch.StartNew();
        SandboxNode? last = null;
        while (limit.Elapsed < 4 * mdi + TimeSpan.FromSeconds(5) && !cancel.IsCancellationRequested)
        {
            var m = Masters(States());
            SandboxNode? now = m.Length == 1 ? m[0] : null;
            if (now != last || now is null)
            {
                last = now;
                stable.Restart();
            }
            else if (stable.Elapsed > mdi)
            {
                return now;
            }
            Thread.Sleep(50);
        }
        return last;
    }

    private string Tail(SandboxNode n)
    {
        try
        {
            return string.Join(" | ", File.ReadLines(LogPath(n)).TakeLast(5));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public void Dispose()
    {
        foreach (var p in _processes.Values)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
        _lab?.Dispose();
        if (_dir.Length > 0)
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
