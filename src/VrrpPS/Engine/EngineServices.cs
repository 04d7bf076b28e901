using VrrpPS.Engine.Notify;
using VrrpPS.Engine.Tracking;

namespace VrrpPS.Engine;

/// <summary>What the engine lends an instance for tracking: a way back onto the engine thread and the runspace.</summary>
internal sealed class EngineServices
{
    /// <summary>Queues work for the engine thread on behalf of an instance (an exception faults that instance only).</summary>
    public required Action<InstanceRuntime, Action<long>> Post { get; init; }
    public required Func<EngineRunspace> Runspace { get; init; }
    /// <summary>Where track_process counts processes (Linux: /proc).</summary>
    public required IProcessTable Processes { get; init; }
    /// <summary>How track scripts run.</summary>
    public required IProcessRunner Runner { get; init; }
    /// <summary>Where file reads and /proc scans run (never on the engine thread).</summary>
    public required IBlockingWork BlockingWork { get; init; }
    /// <summary>How often track_process counts.</summary>
    public TimeSpan ProcessPoll { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>When the engine started (monotonic µs), for vrrp_startup_delay.</summary>
    public long EngineStartedAt { get; init; }
    /// <summary>notify_master_rx_lower_pri delivery (the engine's notification queues).</summary>
    public Action<string, NotifyDefinition>? MasterReceivedLowerPriority { get; init; }
}
