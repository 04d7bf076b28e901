namespace VrrpPS.Engine.Notify;

/// <summary>notify_* commands, ScriptBlock actions and the FIFO of one instance (or sync group).</summary>
public sealed record NotifyDefinition
{
    public IReadOnlyList<string>? Master { get; init; }
    public IReadOnlyList<string>? Backup { get; init; }
    public IReadOnlyList<string>? Fault { get; init; }
    public IReadOnlyList<string>? Stop { get; init; }
    /// <summary>keepalived `notify`: called for every state with INSTANCE|GROUP name STATE priority.</summary>
    public IReadOnlyList<string>? Any { get; init; }
    /// <summary>keepalived notify_master_rx_lower_pri: run when the Master receives an advert of lower priority.</summary>
    public IReadOnlyList<string>? MasterRxLowerPriority { get; init; }
    /// <summary>Who each program runs as (null: as the engine, i.e. root); keepalived's user after the program or script_user.</summary>
    public ProgramUser? MasterUser { get; init; }
    public ProgramUser? BackupUser { get; init; }
    public ProgramUser? FaultUser { get; init; }
    public ProgramUser? StopUser { get; init; }
    public ProgramUser? AnyUser { get; init; }
    public ProgramUser? MasterRxLowerPriorityUser { get; init; }
    public string? OnMaster { get; init; }
    public string? OnBackup { get; init; }
    public string? OnFault { get; init; }
    public string? OnStop { get; init; }
    /// <summary>keepalived vrrp_notify_fifo path.</summary>
    public string? FifoPath { get; init; }
    public double TimeoutSeconds { get; init; } = 30;

    /// <summary>Every program given (non-empty argument arrays) with the user it runs as.</summary>
    internal IEnumerable<(IReadOnlyList<string> Arguments, ProgramUser? User)> Programs =>
        new[] { (Master, MasterUser), (Backup, BackupUser), (Fault, FaultUser), (Stop, StopUser), (Any, AnyUser), (MasterRxLowerPriority, MasterRxLowerPriorityUser) }
            .Where(p => p.Item1 is { Count: > 0 }).Select(p => (p.Item1!, p.Item2));

    public bool IsEmpty => Master is null && Backup is null && Fault is null && Stop is null && Any is null && MasterRxLowerPriority is null
        && OnMaster is null && OnBackup is null && OnFault is null && OnStop is null && FifoPath is null;
}
