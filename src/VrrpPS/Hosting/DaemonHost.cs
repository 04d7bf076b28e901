using System.Collections.Concurrent;
using VrrpPS.Engine;
using VrrpPS.StateMachine;

namespace VrrpPS.Hosting;

/// <summary>
/// Start-VrrpInstance -Wait: the daemon. Serves the control socket (and, opt-in, metrics), writes
/// the engine log to stderr for journald, speaks systemd's notify protocol (READY, RELOADING,
/// STOPPING, STATUS, WATCHDOG), handles signals (see <see cref="DaemonSignals"/>), and always
/// releases its instances (priority 0, addresses removed) before returning — also when the process
/// is about to die of an unhandled exception.
/// </summary>
internal sealed class DaemonHost
{
    private readonly VrrpEngine _engine;
    private readonly ConcurrentQueue<EngineLogEntry> _log;
    private readonly HashSet<string> _managed;
    private readonly ConfigReloader _reloader;
    private readonly SystemdNotifier _notifier = SystemdNotifier.FromEnvironment();
    private readonly ConcurrentQueue<(ReloadRequest Request, TaskCompletionSource<ReloadOutcome> Done)> _reloadRequests = new();
    private readonly bool _journal = DaemonLog.StderrIsJournal;

    private DaemonHost(VrrpEngine engine, ConcurrentQueue<EngineLogEntry> log, IEnumerable<string> names, ConfigReloader reloader)
    {
        _engine = engine;
        _log = log;
        _managed = new HashSet<string>(names, StringComparer.Ordinal);
        _reloader = reloader;
    }

    public static void Run(VrrpEngine engine, ConcurrentQueue<EngineLogEntry> log, IReadOnlyList<string> names, DaemonOptions options,
        ConfigReloader reloader, CancellationToken token) =>
        new DaemonHost(engine, log, names, reloader).Run(options, token);

    private void Run(DaemonOptions options, CancellationToken token)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var signals = new DaemonSignals(message =>
        {
            _engine.Log.Info(null, message);
            stop.Cancel();
        });
        UnhandledExceptionEventHandler onCrash = (_, e) =>
        {
            // Last chance: the process dies after this handler; the VIPs must not stay behind.
            _engine.Log.Error(null, $"Unhandled exception, releasing every instance: {e.ExceptionObject}");
            _engine.Dispose();
            Flush();
        };
        AppDomain.CurrentDomain.UnhandledException += onCrash;
        ControlServer? server = null;
        MetricsListener? metrics = null;
        Watchdog? watchdog = null;
        string socketPath = ControlProtocol.ResolvePath(options.ControlSocket);
        try
        {
            uint? group = options.ControlSocketGroup is { } g ? DaemonOptions.ResolveGroup(g) : null;
            try
            {
                var control = new DaemonControl(_engine, RequestReload, () => stop.Cancel());
                server = ControlServer.Open(socketPath, group, control.Handle, m => _engine.Log.Warning(null, m));
                _engine.Log.Info(null, $"Control socket {socketPath}" + (group is null ? string.Empty : $" (read-only for group {options.ControlSocketGroup})"));
            }
            catch (Exception ex) when (ex is VrrpEngineException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
            {
                _engine.Log.Warning(null, $"Control socket unavailable ({ex.Message}); Get-VrrpState from other sessions will not see these instances");
            }
            if (options.MetricsAddress is { } address)
            {
                metrics = new MetricsListener(address, () => _engine.GetStates());
                _engine.Log.Info(null, $"Metrics on http://{metrics.EndPoint}/metrics");
            }
            string runtimeDir = DaemonDumps.RuntimeDirectory(socketPath);
            _notifier.Notify($"READY=1\nMAINPID={Environment.ProcessId}\n{SystemdNotifier.Status(Counts("running"))}");
            if (SystemdNotifier.WatchdogInterval() is { } interval)
            {
                watchdog = new Watchdog(_engine, _notifier, interval);
            }
            while (!stop.IsCancellationRequested && _engine.InstanceCount > 0 && !_engine.IsStopped)
            {
                if (signals.TakeReload())
                {
                    _engine.Log.Info(null, "Received SIGHUP, reloading the configuration");
                    Reload(ReloadRequest.Reread);
                }
                while (_reloadRequests.TryDequeue(out var pending))
                {
                    _engine.Log.Info(null, pending.Request.Path is null ? "Reload requested through the control socket"
                        : $"Sync to {pending.Request.Path} requested through the control socket" + (pending.Request.DryRun ? " (dry run)" : string.Empty));
                    pending.Done.TrySetResult(Reload(pending.Request));
                }
                if (signals.TakeStateDump())
                {
                    Dump(() => DaemonDumps.WriteData(runtimeDir, _engine.GetStates()), "state");
                }
                if (signals.TakeStatsDump())
                {
                    Dump(() => DaemonDumps.WriteStats(runtimeDir, _engine.GetStates(), _engine), "stats");
                }
                Flush();
                stop.Token.WaitHandle.WaitOne(50);
            }
        }
        finally
        {
            _notifier.Notify($"STOPPING=1\n{SystemdNotifier.Status($"stopping: releasing {_managed.Count} instance(s)")}");
            watchdog?.Dispose();
            foreach (string name in _managed)
            {
                try
                {
                    _engine.Stop(name);
                }
                catch (Exception ex) when (ex is VrrpEngineException or TimeoutException)
                {
                    // already stopped (e.g. through the control socket)
                }
            }
            server?.Dispose();
            metrics?.Dispose();
            while (_reloadRequests.TryDequeue(out var pending))
            {
                pending.Done.TrySetResult(ReloadOutcome.Failed("VrrpEngineStopped", "the daemon is stopping"));
            }
            Flush();
            AppDomain.CurrentDomain.UnhandledException -= onCrash;
            _notifier.Dispose();
        }
    }

    // A control-socket "reload" or "sync": runs on the host thread like SIGHUP; the caller waits (bounded) for the outcome.
    private ReloadOutcome RequestReload(ReloadRequest request)
    {
        var tcs = new TaskCompletionSource<ReloadOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reloadRequests.Enqueue((request, tcs));
        return tcs.Task.Wait(TimeSpan.FromSeconds(60)) ? tcs.Task.Result
            : ReloadOutcome.Failed("VrrpReloadTimeout", "the daemon did not finish the reload within 60 s");
    }

    private ReloadOutcome Reload(ReloadRequest request)
    {
        if (request.DryRun)
        {
            return DaemonReload.Run(() => _reloader.Reload(_managed, request), request.Path);
        }
        _notifier.Notify($"RELOADING=1\nMONOTONIC_USEC={SystemdNotifier.MonotonicMicroseconds}");
        bool canRead = request.Path is not null || _reloader.HasSources;
        var outcome = DaemonReload.Run(canRead ? () => _reloader.Reload(_managed, request) : null, request.Path ?? _reloader.Source);
        if (outcome.Result is { } r)
        {
            _managed.ExceptWith(r.Stopped);
            _managed.UnionWith(r.Started);
            _engine.Log.Info(null, outcome.Message);
        }
        else
        {
            _engine.Log.Error(null, $"{outcome.Message} ({outcome.ErrorId})");
        }
        _notifier.Notify($"READY=1\n{SystemdNotifier.Status(outcome.Message + "; " + Counts("running"))}");
        return outcome;
    }

    private void Dump(Func<string> write, string what)
    {
        try
        {
            _engine.Log.Info(null, $"Wrote the {what} dump to {write()}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or VrrpEngineException or TimeoutException)
        {
            _engine.Log.Error(null, $"Could not write the {what} dump: {ex.Message}");
        }
    }

    private string Counts(string prefix)
    {
        var states = _engine.GetStates().Where(s => _managed.Contains(s.Name)).ToList();
        int Count(VrrpState s) => states.Count(x => x.State == s);
        return $"{prefix} {states.Count} instance(s): {Count(VrrpState.Master)} Master, {Count(VrrpState.Backup)} Backup, {Count(VrrpState.Fault)} Fault";
    }

    private void Flush()
    {
        while (_log.TryDequeue(out var e))
        {
            DaemonLog.Write(e, _journal);
        }
    }
}
