using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VrrpPS.Tests.Config;

/// <summary>The oracle of the fidelity differential: keepalived 2.2.7's own parsed view of a config (`keepalived -d`, "dump the
/// configuration"), taken inside a throwaway network namespace created here (random tag) and deleted in Dispose.
/// The namespace has veth interfaces named as the corpus and the generator need, all DOWN: every instance goes to FAULT at
/// start, so keepalived sends no advert. One namespace and one keepalived (foreground, reloaded per config) serve every config;
/// it gets SIGINT in Dispose (or when a config stopped it from dumping) and anything left in the namespace is killed.
/// keepalived logs to the console only (-l -G, no syslog): every dump line sent to the host's journal cost 1.5-6 s per reload of
/// 20 instances at load 25, against 0.12-0.16 s without (measured with 5 SIGHUPs each), and kept the journal full of test dumps.</summary>
public sealed partial class KeepalivedDumpLab : IDisposable
{
    /// <summary>Interfaces a config may name (instance interface, track_interface, dev of a VIP or route).</summary>
    internal static readonly string[] Interfaces = ["eth0", "eth1", "eth2", "bond0", "bond0.100"];
    private const string DumpStart = "------< Global definitions >------", DumpEnd = "------< Interfaces >------";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vrrpps-kdump-" + Guid.NewGuid().ToString("N")[..8]);

    internal string Name { get; } = "kdump" + Guid.NewGuid().ToString("N")[..8];

    public KeepalivedDumpLab()
    {
        Directory.CreateDirectory(_dir);
        KeepalivedNamespace.Run("ip", $"netns add {Name}");
        try
        {
            for (int k = 0; k < Interfaces.Length; k++)
                Check(KeepalivedNamespace.Run("ip", $"-n {Name} link add {Interfaces[k]} type veth peer name {(k == 0 ? "eth0p" : "kdp" + k)}"));
        }
        catch { Dispose(); throw; }
    }

    private static void Check((int rc, string output) r) { if (r.rc != 0) throw new InvalidOperationException(r.output); }

    private Process? _daemon;
    private readonly List<string> _lines = [];
    private int _dumps, _ready, _reloads, _dumpsAtReload, _readyAtReload, _children;
    private readonly AutoResetEvent _dumped = new(false);

    /// <summary>keepalived's dump of <paramref name="text"/> (read with config id node_a), normalised: the dump sections only
    /// (global definitions … track processes), log lines interleaved by the other process removed, runtime-only lines removed.
    /// When keepalived stops or does not dump (a config error), the result starts with "NO DUMP" and holds its log.</summary>
    internal string Dump(string text)
    {
        string conf = Path.Combine(_dir, "text.conf");
        File.WriteAllText(conf, text);
        return DumpFile(conf);
    }

    /// <summary><see cref="Dump"/> of a file (its includes are read relative to it, as keepalived does). One keepalived runs for
    /// the whole lab and reads each config on SIGHUP (a reload dumps the same text as a start: checked on 2.2.7, 3 reloads
    /// of one file gave identical dumps) — a start costs about a second, a reload a fraction of it.</summary>
    internal string DumpFile(string path)
    {
        // A VRRP child that keepalived restarted (one killed by its RLIMIT_RTTIME under a vrrp_rt_priority config, seen under
        // load) reads the config again and dumps again, maybe the previous config, at any time: a dump taken while the daemon has
        // restarted a child is taken again from a fresh daemon, whose first child read only this config.
        string dump = DumpOnce(path);
        bool respawned;
        lock (_lines) respawned = _children > 1;
        if (!respawned) return dump;
        StopDaemon();
        return DumpOnce(path);
    }

    private string DumpOnce(string path)
    {
        // the daemon's -f file only includes the config under test, so the config keeps its own directory for relative includes
        File.WriteAllText(Path.Combine(_dir, "k.conf"), $"include {Path.GetFullPath(path)}\n");
        int before, readyBefore, reloadsBefore;
        lock (_lines) { _lines.Clear(); before = _dumps; readyBefore = _ready; reloadsBefore = _reloads; }
        bool reload = _daemon is { HasExited: false };
        if (!reload) StartDaemon();
        else KeepalivedNamespace.Run("kill", $"-HUP {_daemon!.Id}");
        var deadline = Stopwatch.StartNew();
        // done when the dump is out AND keepalived's parent says "Startup/Reload complete": a SIGHUP sent before that can find
        // the parent without its handler and end it (seen under load)
        while (deadline.ElapsedMilliseconds < 20000)
        {
            _dumped.WaitOne(20);
            // a reload counts from its "Reloading ..." line on (OnLine clears the lines there): a dump printed before it belongs
            // to the previous config (a VRRP child that keepalived restarted, e.g. killed by a 2 µs vrrp_rlimit_rttime, dumps again)
            lock (_lines) if (reload ? _reloads > reloadsBefore && _dumps > _dumpsAtReload && _ready > _readyAtReload : _dumps > before && _ready > readyBefore)
                    return Normalise(_lines);
            if (_daemon!.HasExited) break;
        }
        StopDaemon(); // no dump in time: the config stopped keepalived or made it skip the dump; start afresh next time
        lock (_lines) return "NO DUMP\n" + string.Join('\n', _lines);
    }

    /// <summary>`keepalived -t` (config test only) of <paramref name="text"/> inside the lab's namespace.</summary>
    internal (int rc, string output) ConfigTest(string text)
    {
        string conf = Path.Combine(_dir, "test.conf");
        File.WriteAllText(conf, text);
        return KeepalivedNamespace.Run("ip", $"netns exec {Name} keepalived -t -i node_a -f {conf}");
    }

    private void StartDaemon()
    {
        lock (_lines) _children = 0;
        var psi = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            ArgumentList = { "netns", "exec", Name, "keepalived", "-n", "-l", "-G", "-D", "-d", "--vrrp", "-i", "node_a", "-f", Path.Combine(_dir, "k.conf"),
                "-p", Path.Combine(_dir, "k.pid"), "-r", Path.Combine(_dir, "v.pid"), "-c", Path.Combine(_dir, "c.pid") },
        };
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => OnLine(e.Data);
        p.Start();
        p.BeginOutputReadLine(); p.BeginErrorReadLine();
        _daemon = p;
    }

    private void OnLine(string? raw)
    {
        if (raw is null) return;
        string l = Stamp().Replace(raw, "");
        lock (_lines)
        {
            _lines.Add(l);
            // the configuration part of a dump ends where the interface list starts (one process writes it, in order)
            if (l.StartsWith("Starting VRRP child process", StringComparison.Ordinal)) _children++;
            else if (l == "Reloading ...") { _reloads++; _lines.Clear(); (_dumpsAtReload, _readyAtReload) = (_dumps, _ready); }
            else if (l == DumpEnd) { _dumps++; _dumped.Set(); }
            else if (l is "Startup complete" or "Reload complete") { _ready++; _dumped.Set(); }
        }
    }

    private void StopDaemon()
    {
        if (_daemon is not { } p) return;
        _daemon = null;
        if (!p.HasExited) KeepalivedNamespace.Run("kill", $"-INT {p.Id}");
        if (!p.WaitForExit(5000))
        {
            KeepalivedNamespace.Run("kill", $"-KILL {p.Id}");
            p.WaitForExit(2000);
        }
        p.WaitForExit(); // drains the redirected streams
        p.Dispose();
        KillLeftovers();
    }

    /// <summary>Kills what keepalived left running in this lab's namespace (its VRRP child if the parent died first).</summary>
    private void KillLeftovers()
    {
        var (_, pids) = KeepalivedNamespace.Run("ip", $"netns pids {Name}");
        foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            KeepalivedNamespace.Run("kill", $"-KILL {pid}");
    }

    internal static string Normalise(IEnumerable<string> lines)
    {
        var keep = new List<string>();
        bool inDump = false;
        foreach (string l in lines)
        {
            if (l == DumpStart) inDump = true;
            else if (l == DumpEnd) break;
            if (!inDump || !(l.StartsWith(' ') || l.StartsWith("------<", StringComparison.Ordinal))) continue; // log lines of the other process
            if (Runtime().IsMatch(l)) continue;
            keep.Add(l);
        }
        return string.Join('\n', keep);
    }

    /// <summary>keepalived's console timestamp "Sun Nov 29 08:03:10 2026: ".</summary>
    [GeneratedRegex(@"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: ")]
    private static partial Regex Stamp();

    /// <summary>Lines that describe running state, not configuration: tracker status and script results (kept across a reload), process counts, sync group state counts.</summary>
    [GeneratedRegex(@"^\s+(Status = |Current processes = |Have quorum = |Num member fault |Number of config faults = |State = |Last transition = |Read timeout = |Master router = |Master priority = |Master advert int = |Statistics|Result = |Init state = )")]
    private static partial Regex Runtime();

    public void Dispose()
    {
        StopDaemon();
        KillLeftovers();
        KeepalivedNamespace.Run("ip", $"netns del {Name}");
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
