using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.InteropServices;
using VrrpPS.Engine;

namespace VrrpPS.Cmdlets;

/// <summary>
/// Start-VrrpInstance -Wait: the daemon loop. Serves the control socket, writes the engine log to
/// stderr (journald-friendly), stops on Ctrl+C, SIGTERM, SIGINT, SIGQUIT or a control "shutdown",
/// and always releases its instances (priority 0, addresses removed) before returning.
/// </summary>
internal static class WaitHost
{
    public static void Run(PSCmdlet cmdlet, VrrpEngine engine, ConcurrentQueue<EngineLogEntry> log,
        IReadOnlyList<string> names, string? controlSocket, CancellationToken token)
    {
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
                WriteLog(log, journald);
                stop.Token.WaitHandle.WaitOne(50);
            }
        }
        finally
        {
            foreach (string name in names)
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
