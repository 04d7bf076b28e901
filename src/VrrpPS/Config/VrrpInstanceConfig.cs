using VrrpPS.Protocol;

namespace VrrpPS.Config;

/// <summary>A `vrrp_instance` block after keepalived's defaults were applied.</summary>
public sealed class VrrpInstanceConfig
{
    public string Name { get; set; } = "";
    public VrrpInitialState InitialState { get; set; } = VrrpInitialState.Backup;
    public string Interface { get; set; } = "";
    public int VirtualRouterId { get; set; }
    public int Priority { get; set; } = 100;
    public double AdvertisementInterval { get; set; } = 1.0;
    public int Version { get; set; } = 2;
    public string? UnicastSourceAddress { get; set; }
    public VrrpUnicastPeer[] UnicastPeer { get; set; } = [];
    public string? MulticastSourceAddress { get; set; }
    public string? MulticastGroup4 { get; set; }
    public string? MulticastGroup6 { get; set; }
    public VrrpAuthType AuthenticationType { get; set; } = VrrpAuthType.None;
    public string? AuthenticationPassword { get; set; }
    public VrrpVirtualAddress[] VirtualIPAddress { get; set; } = [];
    public VrrpVirtualAddress[] VirtualIPAddressExcluded { get; set; } = [];
    public VrrpRawLine[] VirtualRoutes { get; set; } = [];
    public VrrpRawLine[] VirtualRules { get; set; } = [];
    public bool NoPreempt { get; set; }
    public double PreemptDelay { get; set; }
    /// <summary>VRRPv3 IPv4 checksum without the pseudo-header (RFC 9568; keepalived 2.2.8+ `v3_checksum_as_v2`, inherited from global_defs).</summary>
    public bool V3ChecksumAsV2 { get; set; }
    public double GarpMasterDelay { get; set; } = 5;
    public int GarpMasterRepeat { get; set; } = 5;
    public double GarpMasterRefresh { get; set; }
    public int GarpMasterRefreshRepeat { get; set; } = 1;
    public double GarpLowerPriorityDelay { get; set; } = 5;
    public int GarpLowerPriorityRepeat { get; set; } = 5;
    public bool UseVmac { get; set; }
    public string? VmacName { get; set; }
    public bool VmacXmitBase { get; set; }
    public bool? Accept { get; set; }
    public VrrpTrackInterface[] TrackInterface { get; set; } = [];
    public VrrpTrackRef[] TrackScript { get; set; } = [];
    public VrrpTrackRef[] TrackFile { get; set; } = [];
    public VrrpTrackRef[] TrackProcess { get; set; } = [];
    public bool DontTrackPrimary { get; set; }
    public string? NotifyMaster { get; set; }
    public string? NotifyBackup { get; set; }
    public string? NotifyFault { get; set; }
    public string? NotifyStop { get; set; }
    public string? Notify { get; set; }
    public string? NotifyMasterRxLowerPriority { get; set; }
    public bool SmtpAlert { get; set; }
    public bool LowerPriorityNoAdvert { get; set; }
    public bool HigherPrioritySendAdvert { get; set; }
    /// <summary>The instance's own `check_unicast_src` (keepalived also counts it as a unicast keyword); global_defs'
    /// vrrp_check_unicast_src applies on top of it and is not copied here.</summary>
    public bool CheckUnicastSource { get; set; }
    public bool SkipCheckAdvertAddress { get; set; }
    public double StartupDelay { get; set; }
    public bool Strict { get; set; }
    public string? SourceFile { get; set; }
    public int SourceLine { get; set; }
    public string[] UnsupportedKeywords { get; set; } = [];
    /// <summary>The file Import-KeepalivedConfig was given (SourceFile may be an included file); reload re-reads it.</summary>
    public string? ConfigPath { get; set; }
    /// <summary>The config id the file was read with (@ID lines), for reload.</summary>
    public string? ConfigId { get; set; }
    /// <summary>The user/group written after notify programs (added after ConfigId so existing output keeps its order; keepalived `notify_master "/path" user [group]`).</summary>
    public VrrpNotifyUser[] NotifyUser { get; set; } = [];

    /// <summary>keepalived `old_unicast_checksum`: unicast VRRPv3 IPv4 checksums use the multicast group as pseudo-header destination.</summary>
    public VrrpUnicastChecksum OldUnicastChecksum { get; set; }

    /// <summary>Lines of keywords VrrpPS reads but does not model (those in UnsupportedKeywords), as written; Export writes them
    /// back so keepalived reads the exported file as it read the source (added last so existing output keeps its order).</summary>
    public VrrpRawLine[] OtherLines { get; set; } = [];
}
