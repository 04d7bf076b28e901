namespace VrrpPS.Config;

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
