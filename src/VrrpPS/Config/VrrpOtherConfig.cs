namespace VrrpPS.Config;

/// <summary>A `vrrp_script` block.</summary>
public sealed class VrrpScriptConfig
{
    public string Name { get; set; } = "";
    public string Script { get; set; } = "";
    public string[] ScriptArguments { get; set; } = [];
    public double Interval { get; set; } = 1;
    public double Timeout { get; set; }
    public int Weight { get; set; }
    public int Rise { get; set; } = 1;
    public int Fall { get; set; } = 1;
    public string? User { get; set; }
    public string? Group { get; set; }
    public bool InitFail { get; set; }
    public bool Reverse { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
}

/// <summary>A `vrrp_sync_group` block.</summary>
public sealed class VrrpSyncGroupConfig
{
    public string Name { get; set; } = "";
    public string[] Group { get; set; } = [];
    public VrrpTrackRef[] TrackScript { get; set; } = [];
    public VrrpTrackInterface[] TrackInterface { get; set; } = [];
    public VrrpTrackRef[] TrackFile { get; set; } = [];
    public VrrpTrackRef[] TrackProcess { get; set; } = [];
    public string? NotifyMaster { get; set; }
    public string? NotifyBackup { get; set; }
    public string? NotifyFault { get; set; }
    public string? NotifyStop { get; set; }
    public string? Notify { get; set; }
    /// <summary>The user/group written after notify programs (keepalived `notify_master "/path" user [group]`).</summary>
    public VrrpNotifyUser[] NotifyUser { get; set; } = [];
    public bool SmtpAlert { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
    /// <summary>Lines of keywords read but not modelled (sync_group_tracking_weight, notify_priority_changes, global_tracking,
    /// track_bfd), as written; Export writes them back.</summary>
    public VrrpRawLine[] OtherLines { get; set; } = [];
}

/// <summary>A `track_file` (alias `vrrp_track_file`) block.</summary>
public sealed class VrrpTrackFileConfig
{
    public string Name { get; set; } = "";
    public string File { get; set; } = "";
    public int Weight { get; set; } = 1;
    public bool Reverse { get; set; }
    public int? InitFile { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
}

/// <summary>keepalived `param_match`: how a vrrp_track_process's parameters are compared with a process's arguments.</summary>
public enum VrrpParamMatch { Exact, Partial, Initial }

/// <summary>A `vrrp_track_process` block.</summary>
public sealed class VrrpTrackProcessConfig
{
    public string Name { get; set; } = "";
    public string Process { get; set; } = "";
    public string[] Parameters { get; set; } = [];
    /// <summary>null = not set: Exact once parameters are given, otherwise the process name alone is compared.</summary>
    public VrrpParamMatch? ParamMatch { get; set; }
    /// <summary>Compare with the command line (argv[0]) instead of the 15-character process name.</summary>
    public bool FullCommand { get; set; }
    /// <summary>Minimum number of matching processes (0 only with quorum_max 0: "must not run").</summary>
    public int Quorum { get; set; } = 1;
    public int? QuorumMax { get; set; }
    /// <summary>-254..254; 0 (the default) means FAULT while the quorum is not met.</summary>
    public int Weight { get; set; }
    public bool Reverse { get; set; }
    /// <summary>Seconds the quorum must hold again before the process counts as up (fork_delay; `delay` sets both).</summary>
    public double ForkDelay { get; set; }
    /// <summary>Seconds the quorum may be lost before the process counts as down (terminate_delay).</summary>
    public double TerminateDelay { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
}

/// <summary>
/// A `static_ipaddress` / `static_routes` / `static_rules` section: the host's own addresses, routes and rules,
/// installed by Start-VrrpInstance for as long as its engine runs (the lines are kept as written for Export).
/// </summary>
public sealed class KeepalivedStaticConfig
{
    public string Section { get; set; } = "";
    public VrrpRawLine[] Lines { get; set; } = [];
    /// <summary>static_ipaddress: the parsed addresses (empty for the other sections).</summary>
    public VrrpVirtualAddress[] Addresses { get; set; } = [];
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
}

/// <summary>The VRRP-relevant part of `global_defs` (defaults as keepalived's).</summary>
public sealed class KeepalivedGlobalConfig
{
    public string? RouterId { get; set; }
    public int VrrpVersion { get; set; } = 2;
    public string MulticastGroup4 { get; set; } = "224.0.0.18";
    public string MulticastGroup6 { get; set; } = "ff02::12";
    public double GarpMasterDelay { get; set; } = 5;
    public int GarpMasterRepeat { get; set; } = 5;
    public double GarpMasterRefresh { get; set; }
    public int GarpMasterRefreshRepeat { get; set; } = 1;
    public double GarpLowerPriorityDelay { get; set; } = 5;
    public int GarpLowerPriorityRepeat { get; set; } = 5;
    public bool Strict { get; set; }
    public string? ScriptUser { get; set; }
    public string? ScriptGroup { get; set; }
    public bool EnableScriptSecurity { get; set; }
    public double StartupDelay { get; set; }
    public bool V3ChecksumAsV2 { get; set; }
    public bool CheckUnicastSource { get; set; }
    public bool SkipCheckAdvertAddress { get; set; }
    public bool LowerPriorityNoAdvert { get; set; }
    public bool HigherPrioritySendAdvert { get; set; }
    public string? NotifyFifo { get; set; }
    public string? VrrpNotifyFifo { get; set; }
    public string[] UnsupportedKeywords { get; set; } = [];
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
    // added later: at the end, so the JSON shape of existing properties keeps its order
    /// <summary>vrrp_priority: the nice value (-20..19) of the engine thread when it does not run real-time; 0 = unchanged.</summary>
    public int ProcessPriority { get; set; }
    /// <summary>vrrp_rt_priority: SCHED_RR priority (1..99) of the engine thread; 0 = normal scheduling (keepalived's default).</summary>
    public int RealtimePriority { get; set; }
    /// <summary>vrrp_rlimit_rttime: µs the engine thread may run real-time without blocking (RLIMIT_RTTIME); keepalived's default 10000.</summary>
    public long RealtimeLimit { get; set; } = 10000;
    /// <summary>vrrp_no_swap: lock the process's memory (mlockall).</summary>
    public bool NoSwap { get; set; }
    /// <summary>Lines of global_defs keywords VrrpPS reads but does not model, as written; Export writes them back.</summary>
    public VrrpRawLine[] OtherLines { get; set; } = [];
    /// <summary>The file Import-KeepalivedConfig was given (the main file of an include tree).</summary>
    public string? ConfigPath { get; set; }
    /// <summary>The include lines of the tree, in reading order (Export-KeepalivedConfig -PreserveIncludes writes them back).</summary>
    public KeepalivedIncludeLine[] Includes { get; set; } = [];
}

/// <summary>Severity of a parser diagnostic.</summary>
public enum ConfigDiagnosticSeverity { Info, Warning, Error }

/// <summary>One parser diagnostic, located at file:line:column with the offending token.</summary>
public sealed class ConfigDiagnostic
{
    public ConfigDiagnosticSeverity Severity { get; set; }
    public string ErrorId { get; set; } = "";
    public string? File { get; set; }
    public int Line { get; set; }
    public int Column { get; set; }
    public string? Token { get; set; }
    public string Message { get; set; } = "";
    public override string ToString() => $"{File}:{Line}:{Column}: {Severity.ToString().ToLowerInvariant()} {ErrorId}: {Message}";
}

/// <summary>Options of <see cref="KeepalivedConfigReader.Read"/>.</summary>
public sealed class KeepalivedReadOptions
{
    /// <summary>Config id for `@ID` lines; null = short host name (keepalived's default).</summary>
    public string? ConfigId { get; set; }
    /// <summary>Unknown keywords become errors.</summary>
    public bool Strict { get; set; }
    /// <summary>Upper bound on generated lines (protects against ~SEQ / recursive definition blow-up).</summary>
    public int MaxLines { get; set; } = 200_000;
}

/// <summary>Everything read from one keepalived.conf (and its includes).</summary>
public sealed class KeepalivedParseResult
{
    public KeepalivedGlobalConfig Global { get; set; } = new();
    public VrrpInstanceConfig[] Instances { get; set; } = [];
    public VrrpScriptConfig[] Scripts { get; set; } = [];
    public VrrpSyncGroupConfig[] SyncGroups { get; set; } = [];
    public VrrpTrackFileConfig[] TrackFiles { get; set; } = [];
    public VrrpTrackProcessConfig[] TrackProcesses { get; set; } = [];
    public KeepalivedStaticConfig[] Statics { get; set; } = [];
    public ConfigDiagnostic[] Diagnostics { get; set; } = [];
    public bool HasErrors => Diagnostics.Any(d => d.Severity == ConfigDiagnosticSeverity.Error);
}
