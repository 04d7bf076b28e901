using System.Runtime.InteropServices;

namespace VrrpPS.Hosting;

/// <summary>
/// The daemon's signal dispositions. No signal may end it without releasing its VIPs:
/// TERM, INT, QUIT → release and exit; HUP → reload; USR1 → state dump; USR2 → stats dump;
/// PIPE, ALRM, VTALRM, IO/POLL, PWR, STKFLT (fatal by default) and TSTP, TTIN, TTOU (which would
/// stop the process: a stopped master stops advertising, then returns as a second master) are
/// ignored. CHLD, CONT, WINCH and URG are harmless by default. KILL cannot be caught.
/// </summary>
internal sealed class DaemonSignals : IDisposable
{
    // Linux signal numbers (x86-64 and arm64 agree on these).
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;
    private static readonly int[] s_ignoredRaw = [13 /* PIPE */, 14 /* ALRM */, 16 /* STKFLT */, 26 /* VTALRM */, 29 /* IO */, 30 /* PWR */];
    private static readonly PosixSignal[] s_ignored = [(PosixSignal)(-10) /* TSTP */, (PosixSignal)(-8) /* TTIN */, (PosixSignal)(-9) /* TTOU */];

    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _reload;
    private int _dumpState;
    private int _dumpStats;

    public DaemonSignals(Action<string> stop)
    {
        foreach (var sig in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            Register(sig, ctx => stop($"Received {ctx.Signal}, stopping"));
        }
        Register(PosixSignal.SIGHUP, _ => Interlocked.Exchange(ref _reload, 1));
        Register((PosixSignal)SigUsr1, _ => Interlocked.Exchange(ref _dumpState, 1));
        Register((PosixSignal)SigUsr2, _ => Interlocked.Exchange(ref _dumpStats, 1));
        foreach (int raw in s_ignoredRaw)
        {
            Register((PosixSignal)raw, _ => { });
        }
        foreach (var sig in OperatingSystem.IsLinux() ? s_ignored : [])
        {
            Register(sig, _ => { });
        }
    }

    /// <summary>Set by a signal, cleared by the reader (work runs on the host thread, not in the handler).</summary>
    public bool TakeReload() => Interlocked.Exchange(ref _reload, 0) != 0;
    public bool TakeStateDump() => Interlocked.Exchange(ref _dumpState, 0) != 0;
    public bool TakeStatsDump() => Interlocked.Exchange(ref _dumpStats, 0) != 0;

    private void Register(PosixSignal signal, Action<PosixSignalContext> handler)
    {
        _registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
        {
            ctx.Cancel = true; // never the default action (termination or stop)
            handler(ctx);
        }));
    }

    public void Dispose()
    {
        foreach (var r in _registrations)
        {
            r.Dispose();
        }
    }
}
