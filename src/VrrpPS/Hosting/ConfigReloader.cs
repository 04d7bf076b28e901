using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// The daemon's configuration source: SIGHUP re-reads the keepalived files the instances came from
/// and reconciles the engine with them; a sync (Sync-VrrpConfiguration) reads a named file instead
/// and, once applied, makes it the file later reloads read. Throws when the new configuration cannot
/// be used (see <see cref="DaemonReload"/>).
/// </summary>
internal sealed class ConfigReloader
{
    private readonly VrrpEngine _engine;
    private IReadOnlyList<(string Path, string? ConfigId)> _sources;
    private readonly Func<InstanceDefinition, InstanceDefinition> _applyActions;
    private readonly Func<ConfigBatch, EngineSchedulingOptions?> _scheduling;

    /// <param name="scheduling">The engine thread's scheduling from a re-read configuration, with the command line's
    /// -RealtimePriority / -NoSwap applied as at start; by default the configuration's global_defs alone.</param>
    public ConfigReloader(VrrpEngine engine, IReadOnlyList<(string Path, string? ConfigId)> sources,
        Func<InstanceDefinition, InstanceDefinition> applyActions, Func<ConfigBatch, EngineSchedulingOptions?>? scheduling = null)
    {
        _engine = engine;
        _sources = sources;
        _applyActions = applyActions;
        _scheduling = scheduling ?? (b => b.Scheduling(0, false));
    }

    /// <summary>False when the instances came from parameters: a plain reload has nothing to re-read.</summary>
    public bool HasSources => _sources.Count > 0;

    /// <summary>The files read, for messages.</summary>
    public string Source => string.Join(", ", _sources.Select(s => s.Path));

    public ReloadResult Reload(IReadOnlyCollection<string> managed, ReloadRequest request)
    {
        var sources = request.Path is null ? _sources : [(request.Path, request.ConfigId)];
        var errors = new List<string>();
        var batch = ConfigBatch.Reread(sources, errors) ?? throw new VrrpEngineException(DaemonReload.FailedErrorId,
            "the new configuration has errors: " + string.Join("; ", errors));
        // The command line's -On*/-Notify* actions apply to re-read instances exactly as at start,
        // so an unchanged instance compares equal and keeps running.
        var definitions = batch.ToDefinitions().Select(_applyActions).ToList();
        if (request.DryRun)
        {
            return _engine.Reconcile(definitions, managed, dryRun: true);
        }
        foreach (var w in batch.Warnings)
        {
            _engine.Log.Warning(null, w);
        }
        // static_*: reconciled like keepalived's reload (an unknown interface fails the reload before any change).
        _engine.SetStaticEntries(batch.StaticEntries());
        var result = _engine.Reconcile(definitions, managed);
        // vrrp_rt_priority / vrrp_priority / vrrp_rlimit_rttime / vrrp_no_swap: after the instances, as at start
        // (their start-up work runs before the thread turns real-time).
        _engine.ReapplyScheduling(_scheduling(batch));
        _sources = sources;
        return result;
    }
}
