using VrrpPS.Cmdlets;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// SIGHUP in -Wait mode: re-reads the keepalived files the instances came from and reconciles the
/// engine with them. Throws when the new configuration cannot be used (see <see cref="DaemonReload"/>).
/// </summary>
internal sealed class ConfigReloader
{
    private readonly VrrpEngine _engine;
    private readonly IReadOnlyList<(string Path, string? ConfigId)> _sources;
    private readonly Func<InstanceDefinition, InstanceDefinition> _applyActions;

    public ConfigReloader(VrrpEngine engine, IReadOnlyList<(string Path, string? ConfigId)> sources,
        Func<InstanceDefinition, InstanceDefinition> applyActions)
    {
        _engine = engine;
        _sources = sources;
        _applyActions = applyActions;
    }

    /// <summary>The files re-read, for messages.</summary>
    public string Source => string.Join(", ", _sources.Select(s => s.Path));

    public ReloadResult Reload(IReadOnlyCollection<string> managed)
    {
        var errors = new List<string>();
        var batch = ConfigBatch.Reread(_sources, errors) ?? throw new VrrpEngineException(DaemonReload.FailedErrorId,
            "the new configuration has errors: " + string.Join("; ", errors));
        // The command line's -On*/-Notify* actions apply to re-read instances exactly as at start,
        // so an unchanged instance compares equal and keeps running.
        var definitions = batch.ToDefinitions().Select(_applyActions).ToList();
        foreach (var w in batch.Warnings)
        {
            _engine.Log.Warning(null, w);
        }
        // static_*: reconciled like keepalived's reload (an unknown interface fails the reload before any change).
        _engine.SetStaticEntries(batch.StaticEntries());
        return _engine.Reconcile(definitions, managed);
    }
}
