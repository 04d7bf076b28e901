using System.Net.Sockets;
using VrrpPS.Engine.Notify;
using VrrpPS.Engine.Tracking;
using VrrpPS.Protocol;

namespace VrrpPS.Engine;

/// <summary>
/// Everything the engine needs to run one VRRP instance, already resolved from cmdlet parameters
/// or from an imported keepalived.conf. Validated by <see cref="InstanceValidator"/> before any
/// socket is opened or address touched, so an invalid instance never half-starts.
/// </summary>
public sealed record InstanceDefinition
{
    public required string Name { get; init; }
    public required string InterfaceName { get; init; }
    public required int VirtualRouterId { get; init; }
    public int Priority { get; init; } = VrrpConstants.DefaultPriority;
    public VrrpVersion Version { get; init; } = VrrpVersion.V3;
    /// <summary>Advertisement interval in centiseconds (v2: a multiple of 100).</summary>
    public int AdvertisementIntervalCentiseconds { get; init; } = 100;
    public IReadOnlyList<VirtualAddressSpec> VirtualAddresses { get; init; } = [];
    /// <summary>
    /// keepalived virtual_ipaddress_excluded: set and removed with the VIPs and announced the same way,
    /// but not listed in the adverts (so any number, and either family: IPv6 addresses on an IPv4 instance).
    /// </summary>
    public IReadOnlyList<VirtualAddressSpec> ExcludedAddresses { get; init; } = [];

    /// <summary>Every address the Master holds: the VIPs, then the excluded ones.</summary>
    public IEnumerable<VirtualAddressSpec> AllAddresses => VirtualAddresses.Concat(ExcludedAddresses);
    public IReadOnlyList<IpAddressValue> UnicastPeers { get; init; } = [];
    /// <summary>unicast_src_ip / mcast_src_ip; empty = the interface's primary address.</summary>
    public IpAddressValue SourceAddress { get; init; }
    /// <summary>v2 simple-text password (PASS), at most 8 bytes; null = no authentication.</summary>
    public string? AuthenticationPassword { get; init; }
    public bool Preempt { get; init; } = true;
    public double PreemptDelaySeconds { get; init; }
    public V3ChecksumMode ChecksumMode { get; init; } = V3ChecksumMode.PseudoHeader;
    public bool LowerPriorityNoAdvert { get; init; }
    /// <summary>Gratuitous ARP / NA burst size on becoming master (keepalived garp_master_repeat).</summary>
    public int GarpRepeat { get; init; } = 5;
    /// <summary>Delay of the second burst (keepalived garp_master_delay), seconds; 0 = none.</summary>
    public double GarpSecondBurstDelaySeconds { get; init; } = 5;
    /// <summary>keepalived garp_master_refresh: while Master, announce again every this many seconds; 0 = never.</summary>
    public double GarpRefreshSeconds { get; init; }
    /// <summary>keepalived garp_master_refresh_repeat: announcements per address at each refresh.</summary>
    public int GarpRefreshRepeat { get; init; } = 1;
    /// <summary>keepalived garp_lower_prio_delay: seconds after a lower-priority advert reaches the Master before it announces again.</summary>
    public double GarpLowerPriorityDelaySeconds { get; init; }
    /// <summary>keepalived garp_lower_prio_repeat: announcements per address then; 0 = none (the default for parameters and vrrp_strict).</summary>
    public int GarpLowerPriorityRepeat { get; init; }
    /// <summary>
    /// keepalived vrrp_startup_delay: seconds after the engine started before this instance starts (it stays
    /// Initialize, silent, until then). Counted from the engine's start, so a reload does not wait again.
    /// </summary>
    public double StartupDelaySeconds { get; init; }
    /// <summary>keepalived higher_prio_send_advert: a Master that yields to a higher-priority advert sends one advert first.</summary>
    public bool HigherPrioritySendAdvert { get; init; }
    /// <summary>keepalived skip_check_adv_addr: do not compare the adverts' address lists with ours (no AddressListErrors).</summary>
    public bool SkipAddressListCheck { get; init; }
    /// <summary>keepalived vrrp_mcast_group4/6: the multicast group of the adverts; empty = 224.0.0.18 / ff02::12.</summary>
    public IpAddressValue MulticastGroup { get; init; }
    /// <summary>Where the definition came from, for messages ("keepalived.conf:12").</summary>
    public string? Source { get; init; }
    /// <summary>When true (keepalived config), priority 255 without owning a VIP only warns.</summary>
    public bool KeepalivedCompatible { get; init; }
    /// <summary>Health checks (vrrp_script / ScriptBlocks), each with this instance's weight.</summary>
    public IReadOnlyList<TrackScriptDefinition> TrackScripts { get; init; } = [];
    public IReadOnlyList<TrackInterfaceDefinition> TrackInterfaces { get; init; } = [];
    public IReadOnlyList<TrackFileDefinition> TrackFiles { get; init; } = [];
    /// <summary>keepalived vrrp_track_process: a count of running processes within a quorum.</summary>
    public IReadOnlyList<TrackProcessDefinition> TrackProcesses { get; init; } = [];
    /// <summary>keepalived dont_track_primary: the instance's own interface going down does not mean FAULT.</summary>
    public bool DontTrackPrimary { get; init; }
    /// <summary>vrrp_sync_group name: members change state together (FAULT, Master, Backup).</summary>
    public string? SyncGroup { get; init; }
    /// <summary>The sync group's own notify (GROUP name STATE priority), when this instance is a member.</summary>
    public NotifyDefinition? SyncGroupNotify { get; init; }
    public NotifyDefinition? Notify { get; init; }
    /// <summary>
    /// Refuse (not only log) a track or notify program that would run as root while a non-root user could
    /// change it. keepalived.conf: global_defs enable_script_security; from parameters: always.
    /// </summary>
    public bool EnforceScriptSecurity { get; init; } = true;
    /// <summary>RFC 5798 §6.4.3 Accept_Mode (keepalived accept/no_accept): false = a non-owner Master drops traffic to its VIPs.</summary>
    public bool AcceptMode { get; init; } = true;
    /// <summary>keepalived use_vmac: the VIPs live on a macvlan with the RFC 5798 §7.3 virtual MAC.</summary>
    public bool UseVirtualMac { get; init; }
    /// <summary>use_vmac's name; null = vrrp.{VRID}.</summary>
    public string? VirtualMacName { get; init; }
    /// <summary>keepalived vmac_xmit_base: adverts go out of the base interface, not the macvlan.</summary>
    public bool VirtualMacTransmitBase { get; init; }
    /// <summary>keepalived virtual_routes and virtual_rules: installed while Master, removed on leaving Master and on stop.</summary>
    public IReadOnlyList<VirtualRouteSpec> VirtualRoutes { get; init; } = [];

    public AddressFamily Family =>
        VirtualAddresses.Count > 0 && VirtualAddresses[0].Address.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    public bool IsUnicast => UnicastPeers.Count > 0;
}
