namespace VrrpPS.Engine;

public enum TrackerKind { Script, ScriptBlock, Interface, File, Process }

public enum TrackerStatus { Unknown, Ok, Failed }

/// <summary>
/// A health check (keepalived vrrp_script): either a process run with an argument array (never a
/// shell string) or a PowerShell ScriptBlock given as text, run in the engine's own runspace.
/// Weight/Reverse are this instance's (a track_script reference may override the script's own).
/// </summary>
public sealed record TrackScriptDefinition
{
    public required string Name { get; init; }
    /// <summary>Executable and its arguments; null for a ScriptBlock check.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>The ScriptBlock's text, re-created inside the engine runspace.</summary>
    public string? ScriptBlockText { get; init; }
    public double IntervalSeconds { get; init; } = 1;
    /// <summary>0 = the interval (keepalived: a script may not outlive its interval).</summary>
    public double TimeoutSeconds { get; init; }
    public int Rise { get; init; } = 1;
    public int Fall { get; init; } = 1;
    /// <summary>-253..253; 0 ⇒ FAULT while failing.</summary>
    public int Weight { get; init; }
    public bool Reverse { get; init; }
    public bool InitFail { get; init; }
    /// <summary>Run as this user (and group) when the engine runs as root.</summary>
    public string? User { get; init; }
    public string? Group { get; init; }

    public TrackerKind Kind => Command is null ? TrackerKind.ScriptBlock : TrackerKind.Script;
    public TimeSpan EffectiveTimeout => TimeSpan.FromSeconds(TimeoutSeconds > 0 ? TimeoutSeconds : IntervalSeconds);
}

/// <summary>keepalived track_interface: an interface whose link state adjusts priority (weight 0 ⇒ FAULT when down).</summary>
public sealed record TrackInterfaceDefinition
{
    public required string InterfaceName { get; init; }
    public int Weight { get; init; }
    public bool Reverse { get; init; }
}

/// <summary>keepalived track_file: the integer in the file times Weight is added (weight 0: non-zero ⇒ FAULT).</summary>
public sealed record TrackFileDefinition
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public int Weight { get; init; } = 1;
    public bool Reverse { get; init; }
    /// <summary>Value assumed while the file is missing (keepalived init_file; default 0).</summary>
    public long InitialValue { get; init; }
    public double PollSeconds { get; init; } = 1;
}

/// <summary>How a track_process's configured parameters are compared with a process's arguments (keepalived param_match).</summary>
public enum ProcessParameterMatch
{
    /// <summary>Exactly these arguments, no more (the default once parameters are given, or a bare param_match).</summary>
    Exact,
    /// <summary>The first N arguments equal the N parameters; more may follow (param_match partial).</summary>
    Partial,
    /// <summary>As Partial, but the last parameter only has to be the start of its argument (param_match initial).</summary>
    Initial,
}

/// <summary>
/// keepalived vrrp_track_process: OK while the number of matching processes is within Quorum..QuorumMax.
/// Without parameters (and without FullCommand) the name is compared with the process name
/// (/proc/PID/comm, 15 characters); otherwise with argv[0] of /proc/PID/cmdline, and the
/// arguments by <see cref="ParameterMatch"/>. An exact match, not a pattern (pgrep "^name$").
/// </summary>
public sealed record TrackProcessDefinition
{
    public required string Name { get; init; }
    public required string Process { get; init; }
    public IReadOnlyList<string> Parameters { get; init; } = [];
    /// <summary>Compare arguments at all (parameters given, or param_match set).</summary>
    public bool MatchParameters { get; init; }
    public ProcessParameterMatch ParameterMatch { get; init; }
    /// <summary>Compare Process with argv[0] of the command line instead of the process name.</summary>
    public bool FullCommand { get; init; }
    public int Quorum { get; init; } = 1;
    public int QuorumMax { get; init; } = int.MaxValue;
    /// <summary>-254..254; 0 ⇒ FAULT while the quorum is not met.</summary>
    public int Weight { get; init; }
    public bool Reverse { get; init; }
    /// <summary>Seconds the quorum must hold after it is gained before the tracker counts as OK again (fork_delay).</summary>
    public double ForkDelaySeconds { get; init; }
    /// <summary>Seconds the quorum may be missing before the tracker fails (terminate_delay).</summary>
    public double TerminateDelaySeconds { get; init; }

    /// <summary>True when the command line (not only the process name) is needed to match.</summary>
    public bool NeedsCommandLine => FullCommand || MatchParameters;
}

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

/// <summary>One tracker as Get-VrrpState shows it (Get-VrrpState VI_1 | Select-Object -Expand Tracker).</summary>
public sealed class VrrpTrackerState
{
    public string Name { get; set; } = string.Empty;
    public TrackerKind Kind { get; set; }
    public TrackerStatus Status { get; set; }
    public string? LastResult { get; set; }
    public string? LastError { get; set; }
    public DateTime? LastRun { get; set; }
    public int Weight { get; set; }
    public bool Reverse { get; set; }
    /// <summary>What this tracker adds to the priority now (negative lowers it).</summary>
    public int Contribution { get; set; }
    /// <summary>True when this tracker alone holds the instance in FAULT (weight 0).</summary>
    public bool Faulting { get; set; }
    public string? Instance { get; set; }

    public override string ToString() => $"{Name} {Status}";
}
