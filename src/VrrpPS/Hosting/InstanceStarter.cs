using System.Collections.Concurrent;
using VrrpPS.Engine;

namespace VrrpPS.Hosting;

/// <summary>
/// Start-VrrpInstance's work once parameters are bound: parameters and config objects → engine definitions
/// (one path, <see cref="ParameterDefinitionBuilder"/> and <see cref="ConfigBatch"/>), the start of all of them
/// together with the static entries and thread scheduling, and, with -Wait, the daemon. Failures are
/// <see cref="VrrpEngineException"/>s with stable ErrorIds; the cmdlet turns them into ErrorRecords.
/// </summary>
internal sealed class InstanceStarter
{
    private readonly StartParameters _p;
    private readonly List<InstanceDefinition> _definitions = [];
    private readonly ConfigBatch _config = new();

    public InstanceStarter(StartParameters parameters) => _p = parameters;

    /// <summary>The instance the "Parameters" set describes (throws on an invalid value).</summary>
    public void AddParameters() => _definitions.Add(TrackingParameterBuilder.Apply(_p, ParameterDefinitionBuilder.Build(_p)));

    /// <summary>One object from Import-KeepalivedConfig (throws VrrpUnsupportedInputObject on anything else).</summary>
    public void AddConfig(object item) => _config.Add(item);

    /// <summary>
    /// The config warnings the session must show. With -Wait, a warning that went to the daemon's
    /// journald log is not returned (it is not written twice).
    /// </summary>
    public IReadOnlyList<string> SessionWarnings() =>
        _config.Warnings.Where(w => !(_p.Wait && DaemonLog.TryWriteWarning(w))).ToList();

    /// <summary>Every instance of the call, with -On*/-NotifyTimeout applied, and the static entries to install.</summary>
    public StartPlan Plan()
    {
        _definitions.AddRange(_config.ToDefinitions());
        var statics = _config.StaticEntries();
        var definitions = _definitions.Select(d => TrackingParameterBuilder.ApplyActions(_p, d)).ToList();
        return new StartPlan(definitions, statics);
    }

    /// <summary>
    /// Starts the plan's instances in the process's engine, all or none. <paramref name="attach"/> runs before
    /// the start (the cmdlet's event sink) and the action it returns detaches it when the start fails.
    /// The returned run holds the engine log subscription until disposed.
    /// </summary>
    public StartedRun Start(StartPlan plan, Func<VrrpEngine, Action> attach)
    {
        var engine = EngineHost.GetOrCreate();
        var log = engine.Log.Subscribe();
        try
        {
            var detach = attach(engine);
            try
            {
                var started = StaticNetworkStart.Run(engine, plan.Statics, () => engine.Start(plan.Definitions));
                if (_config.Scheduling(_p.RealtimePriority, _p.NoSwap) is { } scheduling)
                {
                    engine.ApplyScheduling(scheduling); // after the start-up work; what is not allowed is a warning, never a failure
                }
                return new StartedRun(engine, log, started, plan.Names);
            }
            catch
            {
                detach();
                throw;
            }
        }
        catch
        {
            engine.Log.Unsubscribe(log);
            throw;
        }
    }

    /// <summary>-Wait: runs the daemon for the started instances until stopped (signal, control socket, token).</summary>
    public void RunDaemon(StartedRun run, CancellationToken token)
    {
        var options = new DaemonOptions { ControlSocket = _p.ControlSocket, ControlSocketGroup = _p.ControlSocketGroup, MetricsAddress = _p.MetricsAddress };
        var reloader = new ConfigReloader(run.Engine, _config.Sources, d => TrackingParameterBuilder.ApplyActions(_p, d), b => b.Scheduling(_p.RealtimePriority, _p.NoSwap));
        DaemonHost.Run(run.Engine, run.Log, run.Names, options, reloader, token);
    }

    /// <summary>What one call starts.</summary>
    internal sealed record StartPlan(IReadOnlyList<InstanceDefinition> Definitions, IReadOnlyList<StaticNetworkEntry> Statics)
    {
        public IReadOnlyList<string> Names => Definitions.Select(d => d.Name).ToList();

        /// <summary>The ShouldProcess target: "VI_1 (VRID 51 on eth0), …".</summary>
        public string Description => string.Join(", ", Definitions.Select(d => $"{d.Name} (VRID {d.VirtualRouterId} on {d.InterfaceName})"));
    }

    /// <summary>Started instances and the engine log queue the caller drains; Dispose ends the subscription.</summary>
    internal sealed class StartedRun(VrrpEngine engine, ConcurrentQueue<EngineLogEntry> log, IReadOnlyList<VrrpInstanceState> started, IReadOnlyList<string> names) : IDisposable
    {
        public VrrpEngine Engine { get; } = engine;
        public ConcurrentQueue<EngineLogEntry> Log { get; } = log;
        public IReadOnlyList<VrrpInstanceState> Started { get; } = started;
        public IReadOnlyList<string> Names { get; } = names;

        public void Dispose() => Engine.Log.Unsubscribe(Log);
    }
}
