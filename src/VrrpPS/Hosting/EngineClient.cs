using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// How a cmdlet reaches the engine that runs an instance: the engine of this process when it
/// has instances, else the daemon behind the control socket (Get-VrrpState in another pwsh).
/// </summary>
public sealed class EngineClient
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly VrrpEngine? _local;
    private readonly string? _socketPath;

    private EngineClient(VrrpEngine? local, string? socketPath)
    {
        _local = local;
        _socketPath = socketPath;
    }

    /// <summary>Picks the local engine unless a control socket is named explicitly.</summary>
    public static EngineClient Connect(string? controlSocket)
    {
        if (string.IsNullOrEmpty(controlSocket) && EngineHost.Current is { InstanceCount: > 0 } local)
        {
            return new EngineClient(local, null);
        }
        return new EngineClient(null, ControlProtocol.ResolvePath(controlSocket));
    }

    /// <summary>Always the daemon behind the control socket (Sync-VrrpConfiguration converges the daemon, not this session).</summary>
    public static EngineClient ConnectDaemon(string? controlSocket) => new(null, ControlProtocol.ResolvePath(controlSocket));

    public bool IsRemote => _local is null;
    public string Where => _socketPath ?? "this process";

    public IReadOnlyList<VrrpInstanceState> GetStates() =>
        _local?.GetStates() ?? Remote(new ControlRequest { Command = "state" });

    /// <summary>The states, waiting at most <paramref name="timeout"/> for a daemon (tab completion must not hang).</summary>
    public IReadOnlyList<VrrpInstanceState> GetStates(TimeSpan timeout) =>
        _local?.GetStates() ?? Remote(new ControlRequest { Command = "state" }, timeout);

    public VrrpInstanceState Stop(string name) =>
        _local?.Stop(name) ?? Remote(new ControlRequest { Command = "stop", Name = name })[0];

    public VrrpInstanceState SetPriority(string name, int priority) =>
        _local?.SetPriority(name, priority) ?? Remote(new ControlRequest { Command = "set-priority", Name = name, Priority = priority })[0];

    /// <summary>Failover test hook: the instance releases (priority 0, VIPs removed) but stays registered.</summary>
    public VrrpInstanceState Release(string name) =>
        _local?.Release(name) ?? Remote(new ControlRequest { Command = "release", Name = name })[0];

    /// <summary>Starts a released instance again (Backup, or Master for an address owner).</summary>
    public VrrpInstanceState Resume(string name) =>
        _local?.Resume(name) ?? Remote(new ControlRequest { Command = "resume", Name = name })[0];

    /// <summary>Asks a daemon to stop all its instances and exit.</summary>
    public IReadOnlyList<VrrpInstanceState> Shutdown() =>
        Remote(new ControlRequest { Command = "shutdown" });

    /// <summary>
    /// Asks the daemon to re-read its configuration (what `systemctl reload` runs) and returns what
    /// happened; a failed reload is an outcome with Succeeded = false (the daemon keeps running).
    /// </summary>
    public ReloadOutcome Reload() => ReloadRequest(new ControlRequest { Command = "reload" });

    /// <summary>
    /// Asks the daemon to converge to <paramref name="path"/> (absolute) and adopt it as its
    /// configuration; with <paramref name="dryRun"/> only what would change. A refused sync is an
    /// outcome with Succeeded = false (the daemon keeps what it runs).
    /// </summary>
    public ReloadOutcome Sync(string path, string? configId, bool dryRun) =>
        ReloadRequest(new ControlRequest { Command = "sync", Path = path, ConfigId = configId, DryRun = dryRun });

    private ReloadOutcome ReloadRequest(ControlRequest request)
    {
        var response = ControlProtocol.Send(_socketPath ?? ControlProtocol.ResolvePath(), request, TimeSpan.FromSeconds(70));
        return response.Reload ?? throw new VrrpEngineException(response.ErrorId ?? "VrrpControlError", response.Error ?? "The engine refused the request.");
    }

    /// <summary>The daemon's metrics as OpenMetrics text (read-only: allowed to the monitoring group).</summary>
    public string Metrics()
    {
        var response = ControlProtocol.Send(_socketPath ?? ControlProtocol.ResolvePath(), new ControlRequest { Command = "metrics" }, s_timeout);
        return response.Ok ? response.Text ?? string.Empty
            : throw new VrrpEngineException(response.ErrorId ?? "VrrpControlError", response.Error ?? "The engine refused the request.");
    }

    private IReadOnlyList<VrrpInstanceState> Remote(ControlRequest request, TimeSpan? timeout = null)
    {
        var response = ControlProtocol.Send(_socketPath!, request, timeout ?? s_timeout);
        if (!response.Ok)
        {
            throw new VrrpEngineException(response.ErrorId ?? "VrrpControlError", response.Error ?? "The engine refused the request.", request.Name);
        }
        return response.States ?? [];
    }
}
