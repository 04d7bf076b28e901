using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.InteropServices;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// Start-VrrpInstance -Wait: the daemon loop. Serves the control socket, writes the engine log to
/// stderr (journald-friendly), stops on Ctrl+C, SIGTERM, SIGINT, SIGQUIT or a control "shutdown",
/// and always releases its instances (priority 0, addresses removed) before returning.
/// </summary>
internal static class DaemonHost
{
    public static void Run(PSCmdlet cmdlet, VrrpEngine engine, ConcurrentQueue<EngineLogEntry> log,
        IReadOnlyList<string> names, string? controlSocket, Func<IReadOnlyCollection<string>, ReloadResult>? reload,
        CancellationToken token)
    {
        var managed = new HashSet<string>(names, StringComparer.Ordinal);
        int reloadRequests = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var signals = new List<PosixSignalRegistration>();
        foreach (var sig in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            signals.Add(PosixSignalRegistration.Create(sig, ctx =>
            {
                ctx.Cancel = true; // we exit ourselves, after releasing the VIPs
                engine.Log.Info(null, $"Received {ctx.Signal}, stopping");
                stop.Cancel();
            }));
        }
        // SIGHUP: reload (keepalived's convention); handled on this thread, not in the signal handler.
        signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx =>
        {
            ctx.Cancel = true;
            Interlocked.Increment(ref reloadRequests);
        }));
        ControlServer? server = null;
        bool journald = Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null;
        try
        {
            string path = ControlProtocol.ResolvePath(controlSocket);
            try
            {
                server = ControlServer.Open(engine, path);
                server.ShutdownRequested += () => stop.Cancel();
                engine.Log.Info(null, $"Control socket {path}");
            }
            catch (Exception ex) when (ex is VrrpEngineException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
            {
                engine.Log.Warning(null, $"Control socket unavailable ({ex.Message}); Get-VrrpState from other sessions will not see these instances");
            }
            while (!stop.IsCancellationRequested && engine.InstanceCount > 0 && !engine.IsStopped)
            {
                if (Interlocked.Exchange(ref reloadRequests, 0) > 0)
                {
                    Reload(engine, reload, managed);
                }
                WriteLog(log, journald);
                stop.Token.WaitHandle.WaitOne(50);
            }
        }
        finally
        {
            foreach (string name in managed)
            {
                try
                {
                    engine.Stop(name);
                }
                catch (VrrpEngineException)
                {
                    // already stopped (e.g. through the control socket)
                }
            }
            server?.Dispose();
            WriteLog(log, journald);
            foreach (var s in signals)
            {
                s.Dispose();
            }
        }
    }

    private static void Reload(VrrpEngine engine, Func<IReadOnlyCollection<string>, ReloadResult>? reload, HashSet<string> managed)
    {
        if (reload is null)
        {
            engine.Log.Warning(null, "Received SIGHUP: nothing to reload (instances were started from parameters, not from a configuration file)");
            return;
        }
        engine.Log.Info(null, "Received SIGHUP, reloading the configuration");
        try
        {
            var r = reload(managed);
            managed.ExceptWith(r.Stopped);
            managed.UnionWith(r.Started);
            engine.Log.Info(null, $"Reload done: started [{string.Join(", ", r.Started)}], stopped [{string.Join(", ", r.Stopped)}], " +
                $"restarted [{string.Join(", ", r.Restarted)}], priority changed [{string.Join(", ", r.PriorityChanged)}], unchanged [{string.Join(", ", r.Unchanged)}]");
        }
        catch (VrrpEngineException ex)
        {
            engine.Log.Error(null, $"Reload failed ({ex.ErrorId}), the running configuration is kept: {ex.Message}");
        }
    }

    private static void WriteLog(ConcurrentQueue<EngineLogEntry> log, bool journald)
    {
        while (log.TryDequeue(out var e))
        {
            // systemd reads "<N>" as the syslog level of the line (6 info, 4 warning, 3 error).
            string line = journald
                ? $"<{e.Level switch { EngineLogLevel.Error => 3, EngineLogLevel.Warning => 4, EngineLogLevel.Debug => 7, _ => 6 }}>{e}"
                : $"{e.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff} {e}";
            Console.Error.WriteLine(line);
        }
    }
}
