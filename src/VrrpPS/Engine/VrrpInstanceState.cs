using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

/// <summary>Per-instance statistics, named like keepalived's stats file.</summary>
public sealed class VrrpCounters
{
    public long AdvertisementsSent { get; set; }
    public long AdvertisementsReceived { get; set; }
    public long BecameMaster { get; set; }
    public long ReleasedMaster { get; set; }
    public long PriorityZeroSent { get; set; }
    public long PriorityZeroReceived { get; set; }
    public long TtlErrors { get; set; }
    public long ChecksumErrors { get; set; }
    public long LengthErrors { get; set; }
    public long AuthErrors { get; set; }
    public long IntervalErrors { get; set; }
    public long AddressListErrors { get; set; }
    public long VersionErrors { get; set; }
    public long OtherErrors { get; set; }
    public long SendErrors { get; set; }
    /// <summary>v3 adverts whose interval differs from ours (accepted: a Backup follows the Master; RFC 9568 §7.1 logs it).</summary>
    public long IntervalMismatches { get; set; }
    /// <summary>Exceptions inside the engine that put this instance in FAULT.</summary>
    public long InternalErrors { get; set; }

    public VrrpCounters Clone() => (VrrpCounters)MemberwiseClone();
}

/// <summary>One state change, with the reason in words.</summary>
public sealed class VrrpTransition
{
    public DateTime Time { get; set; }
    public VrrpState From { get; set; }
    public VrrpState To { get; set; }
    public string Reason { get; set; } = string.Empty;
    public int Priority { get; set; }

    public override string ToString() => $"{Time:O} {From} -> {To}: {Reason}";
}

/// <summary>An immutable snapshot of one instance, as Get-VrrpState shows it.</summary>
public sealed class VrrpInstanceState
{
    public string Name { get; set; } = string.Empty;
    public VrrpState State { get; set; }
    /// <summary>Configured priority.</summary>
    public int Priority { get; set; }
    /// <summary>Priority after tracking weights; what is advertised.</summary>
    public int EffectivePriority { get; set; }
    public int VirtualRouterId { get; set; }
    public string Interface { get; set; } = string.Empty;
    public int Version { get; set; }
    public TimeSpan AdvertisementInterval { get; set; }
    public string[] VirtualIPAddress { get; set; } = [];
    /// <summary>keepalived virtual_ipaddress_excluded: held with the VIPs, not advertised.</summary>
    public string[] ExcludedIPAddress { get; set; } = [];
    public string[] UnicastPeer { get; set; } = [];
    public string? SourceAddress { get; set; }
    public string? MasterAddress { get; set; }
    public int MasterPriority { get; set; }
    public bool Preempt { get; set; }
    public DateTime LastTransition { get; set; }
    public string? LastTransitionReason { get; set; }
    public VrrpCounters Counters { get; set; } = new();
    public VrrpTransition[] History { get; set; } = [];
    public int ProcessId { get; set; }
    /// <summary>One object per tracker (script, ScriptBlock, interface, file).</summary>
    public VrrpTrackerState[] Tracker { get; set; } = [];
    /// <summary>Why the instance is in FAULT (null otherwise).</summary>
    public string? FaultReason { get; set; }
    public string? SyncGroup { get; set; }

    public override string ToString() => $"{Name} {State}";
}
