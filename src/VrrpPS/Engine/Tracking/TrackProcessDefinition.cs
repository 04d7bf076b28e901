namespace VrrpPS.Engine.Tracking;

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
