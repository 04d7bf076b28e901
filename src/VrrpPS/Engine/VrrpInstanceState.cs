using VrrpPS.StateMachine;

namespace VrrpPS.Engine;

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
