using VrrpPS.Engine;
using VrrpPS.Platform.Linux;

namespace VrrpPS.Hosting;

/// <summary>
/// The composition root: the process's one engine, made on first use with Linux's services (raw
/// sockets and netlink, /proc, real processes), and stopped when the process exits or the module is
/// removed. The engine knows only its interfaces; this is the one place that names the implementations.
/// </summary>
public static class EngineHost
{
    private static readonly object s_gate = new();
    private static VrrpEngine? s_current;
    private static bool s_hooked;

    /// <summary>The process-wide engine, created on first use (again after it stopped).</summary>
    public static VrrpEngine GetOrCreate()
    {
        lock (s_gate)
        {
            if (s_current is null || s_current.IsStopped)
            {
                s_current = new VrrpEngine(new LinuxNetworkPlatform())
                {
                    ProcessTable = ProcProcessTable.Shared,
                    ProcessRunner = LinuxProcessRunner.Shared,
                };
                var engine = s_current;
                engine.Scheduler = new LinuxThreadScheduler(w => engine.Log.Warning(null, w));
                if (!s_hooked)
                {
                    s_hooked = true;
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => Current?.Dispose();
                    ModuleLifetime.Removing += () => Current?.Dispose();
                }
            }
            return s_current;
        }
    }

    /// <summary>This host's network services for a diagnostic that does not run in the engine (capture, live failover).</summary>
    internal static INetworkPlatform CreatePlatform() => new LinuxNetworkPlatform();

    /// <summary>The process-wide engine if one runs.</summary>
    public static VrrpEngine? Current
    {
        get
        {
            lock (s_gate)
            {
                return s_current is { IsStopped: false } ? s_current : null;
            }
        }
    }
}
