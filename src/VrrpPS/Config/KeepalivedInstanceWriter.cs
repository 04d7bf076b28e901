using VrrpPS.Protocol;
using System.Globalization;
using static VrrpPS.Config.KeepalivedConfigWriter;

namespace VrrpPS.Config;

/// <summary>The lines of one vrrp_instance block. Minimal: a value is written only when it differs from what keepalived 2.2
/// infers for the instance from the global_defs written before it (vrrp_complete_instance: inherited garp timers, version,
/// strict mode and the strict corrections, accept, the advert flags). `explicit` writes every effective value, each in a
/// form keepalived 2.2.x reads as intended (a flag that cannot be negated is left out when off).</summary>
internal static class KeepalivedInstanceWriter
{
    internal static IEnumerable<string> Lines(VrrpInstanceConfig i, KeepalivedGlobalConfig g, bool all)
    {
        var l = new List<string>();
        void Val(string key, string value, bool differs) { if (all || differs) l.Add(key + " " + value); }
        bool owner = i.Priority == 255;
        bool v6 = i.VirtualIPAddress.Length > 0 && i.VirtualIPAddress[0].Address.Contains(':');

        l.Add("state " + (i.InitialState == VrrpInitialState.Master ? "MASTER" : "BACKUP"));
        l.Add("interface " + Q(i.Interface));
        l.Add("virtual_router_id " + i.VirtualRouterId);
        l.Add("priority " + i.Priority);
        Val("advert_int", N(i.AdvertisementInterval), i.AdvertisementInterval != 1);
        Val("version", i.Version.ToString(CultureInfo.InvariantCulture), i.Version != (v6 ? 3 : g.VrrpVersion));
        if (i.UnicastSourceAddress is string us) l.Add("unicast_src_ip " + us);
        if (i.MulticastSourceAddress is string ms) l.Add("mcast_src_ip " + ms);
        if (i.UnicastPeer.Length > 0)
            l.Add(Sub("unicast_peer", i.UnicastPeer.Select(p => p.Address + (p.MinTtl is int a ? " min_ttl " + a : "") + (p.MaxTtl is int b ? " max_ttl " + b : ""))));
        if (i.AuthenticationType != VrrpAuthType.None)
            l.Add(Sub("authentication", new[] { "auth_type " + (i.AuthenticationType == VrrpAuthType.Pass ? "PASS" : "AH") }
                .Concat(i.AuthenticationPassword is string pw ? ["auth_pass " + Q(pw)] : Array.Empty<string>())));
        if (i.VirtualIPAddress.Length > 0) l.Add(Sub("virtual_ipaddress", i.VirtualIPAddress.Select(Vip)));
        if (i.VirtualIPAddressExcluded.Length > 0) l.Add(Sub("virtual_ipaddress_excluded", i.VirtualIPAddressExcluded.Select(Vip)));
        if (i.VirtualRoutes.Length > 0) l.Add(Sub("virtual_routes", i.VirtualRoutes.Select(r => r.Text)));
        if (i.VirtualRules.Length > 0) l.Add(Sub("virtual_rules", i.VirtualRules.Select(r => r.Text)));
        if (i.NoPreempt) l.Add("nopreempt");
        if (i.PreemptDelay > 0) l.Add("preempt_delay " + N(i.PreemptDelay));

        // keepalived copies the global garp values into an instance when it reads its vrrp_instance line (global_defs first)
        Val("garp_master_delay", N(i.GarpMasterDelay), i.GarpMasterDelay != g.GarpMasterDelay);
        Val("garp_master_repeat", N(i.GarpMasterRepeat), i.GarpMasterRepeat != g.GarpMasterRepeat);
        Val("garp_master_refresh", N(i.GarpMasterRefresh), i.GarpMasterRefresh != g.GarpMasterRefresh);
        Val("garp_master_refresh_repeat", N(i.GarpMasterRefreshRepeat), i.GarpMasterRefreshRepeat != g.GarpMasterRefreshRepeat);
        // strict mode: unset per instance it follows vrrp_strict; strict changes what the lower-priority settings default to
        Val("strict_mode", B(i.Strict), i.Strict != g.Strict); // strict_mode reads true/false as written
        Val("garp_lower_prio_delay", N(i.GarpLowerPriorityDelay), i.GarpLowerPriorityDelay != (i.Strict ? 0 : g.GarpLowerPriorityDelay));
        Val("garp_lower_prio_repeat", N(i.GarpLowerPriorityRepeat), i.GarpLowerPriorityRepeat != (i.Strict ? 0 : g.GarpLowerPriorityRepeat));
        Val("lower_prio_no_advert", B(i.LowerPriorityNoAdvert), i.LowerPriorityNoAdvert != (i.Strict || g.LowerPriorityNoAdvert));
        Val("higher_prio_send_advert", B(i.HigherPrioritySendAdvert), i.HigherPrioritySendAdvert != (!i.Strict && g.HigherPrioritySendAdvert));

        if (i.UseVmac) l.Add("use_vmac" + (i.VmacName is string vm ? " " + Q(vm) : ""));
        if (i.VmacXmitBase) l.Add("vmac_xmit_base");
        bool acceptInferred = owner || !i.Strict;
        if (i.Accept is bool acc && (all || acc != acceptInferred)) l.Add(acc ? "accept" : "no_accept");
        if (i.TrackInterface.Length > 0) l.Add(Sub("track_interface", i.TrackInterface.Select(t => Q(t.Name) + (t.Weight != 0 ? " weight " + t.Weight : "") + (t.Reverse ? " reverse" : ""))));
        if (i.TrackScript.Length > 0) l.Add(Sub("track_script", i.TrackScript.Select(Ref)));
        if (i.TrackFile.Length > 0) l.Add(Sub("track_file", i.TrackFile.Select(Ref)));
        if (i.TrackProcess.Length > 0) l.Add(Sub("track_process", i.TrackProcess.Select(Ref)));
        if (i.DontTrackPrimary) l.Add("dont_track_primary");
        Notify(l, "notify_master", i.NotifyMaster, i.NotifyUser); Notify(l, "notify_backup", i.NotifyBackup, i.NotifyUser); Notify(l, "notify_fault", i.NotifyFault, i.NotifyUser);
        Notify(l, "notify_stop", i.NotifyStop, i.NotifyUser); Notify(l, "notify", i.Notify, i.NotifyUser);
        Notify(l, "notify_master_rx_lower_pri", i.NotifyMasterRxLowerPriority, i.NotifyUser);
        if (i.SmtpAlert) l.Add("smtp_alert");

        // flags keepalived sets whatever argument follows (skip_check_adv_addr false SKIPS the check in 2.2.7) or that take
        // none: written bare, and only when the instance has them but would not inherit them from global_defs
        if (i.CheckUnicastSource) l.Add("check_unicast_src"); // instance-level even under vrrp_check_unicast_src: it marks the instance unicast
        if (i.SkipCheckAdvertAddress && !g.SkipCheckAdvertAddress) l.Add("skip_check_adv_addr");
        if (i.OldUnicastChecksum == VrrpUnicastChecksum.Old) l.Add("old_unicast_checksum");
        else if (i.OldUnicastChecksum == VrrpUnicastChecksum.Never) l.Add("old_unicast_checksum never");
        l.AddRange(i.OtherLines.Select(x => x.Text)); // keywords read but not modelled, as written
        // instance v3_checksum_as_v2 <bool>: keepalived 2.2.8+ (2.2.7 rejects the keyword)
        if (i.V3ChecksumAsV2 != g.V3ChecksumAsV2) l.Add("v3_checksum_as_v2 " + B(i.V3ChecksumAsV2));
        return l;
    }
}
