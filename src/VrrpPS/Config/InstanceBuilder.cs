using VrrpPS.Protocol;
using System.Net;
using System.Net.Sockets;

namespace VrrpPS.Config;

/// <summary>`vrrp_instance` block → <see cref="VrrpInstanceConfig"/>, completed the way keepalived's vrrp_complete_instance does.</summary>
internal static class InstanceBuilder
{
    /// <summary>Keywords VrrpPS parses and keeps but whose behaviour the engine does not implement (Start-VrrpInstance warns);
    /// settings with a value the engine could match are listed by value in InstanceCompletion.NotActedOnValues.</summary>
    internal static readonly HashSet<string> NotActedOn = new(StringComparer.Ordinal)
    {
        "use_ipvlan", "use_vmac_addr", "smtp_alert", "track_bfd",
        "track_src_ip", "promote_secondaries", "debug", "kernel_rx_buf_size", "linkbeat_use_polling", "native_ipv6", "notify_priority_changes",
        "notify_deleted", "mcast_dst_ip", "unicast_ttl", "unicast_fault_no_peer", "down_timer_adverts", "interface_up_down_delays", "vrf",
        "garp_extra_if", "garp_extra_if_vmac",
    };

    /// <summary>keepalived's garp delays are whole seconds up to UINT_MAX / TIMER_HZ.</summary>
    internal const long GarpDelayMax = uint.MaxValue / 1_000_000;

    internal static VrrpInstanceConfig? Build(ConfNode node, KeepalivedGlobalConfig g, ConfigValues v)
    {
        if (KeepalivedConfigReader.Name(node, v) is not string name) return null;
        var c = new VrrpInstanceConfig
        {
            Name = name, SourceFile = node.File, SourceLine = node.Line, Version = g.VrrpVersion,
            MulticastGroup4 = g.MulticastGroup4, MulticastGroup6 = g.MulticastGroup6,
            GarpMasterDelay = g.GarpMasterDelay, GarpMasterRepeat = g.GarpMasterRepeat, GarpMasterRefresh = g.GarpMasterRefresh,
            GarpMasterRefreshRepeat = g.GarpMasterRefreshRepeat, GarpLowerPriorityDelay = g.GarpLowerPriorityDelay,
            GarpLowerPriorityRepeat = g.GarpLowerPriorityRepeat, Strict = g.Strict, V3ChecksumAsV2 = g.V3ChecksumAsV2,
            SkipCheckAdvertAddress = g.SkipCheckAdvertAddress,
            LowerPriorityNoAdvert = g.LowerPriorityNoAdvert, HigherPrioritySendAdvert = g.HigherPrioritySendAdvert, StartupDelay = g.StartupDelay,
        };
        var seen = new Dictionary<string, ConfNode>(StringComparer.Ordinal); // last occurrence of each keyword: "set explicitly" and where
        var unsupported = new List<string>();
        bool versionRead = false;
        var other = new List<VrrpRawLine>();
        foreach (var n in node.Children!)
        {
            if (NotActedOn.Contains(n.Name) && !unsupported.Contains(n.Name)) unsupported.Add(n.Name);
            seen[n.Name] = n;
            switch (n.Name)
            {
                case "state":
                    if (v.Arg(n) is not { } st) break;
                    if (st.Text == "MASTER") c.InitialState = VrrpInitialState.Master;
                    else if (st.Text == "BACKUP") c.InitialState = VrrpInitialState.Backup;
                    else { v.Diag.Warning("KeepalivedInvalidState", n.File, n.Line, st.Column, st.Text, $"unknown state '{st.Text}'; use MASTER or BACKUP (BACKUP assumed)."); break; }
                    break;
                case "interface": c.Interface = v.Arg(n)?.Text ?? ""; break;
                case "virtual_router_id": if (v.Int(n, 1, 255, keepalived: "keepalived stops: the instance has no virtual router id") is int id) c.VirtualRouterId = id; break;
                case "priority": if (v.Int(n, 1, 255, keepalived: "keepalived's daemon would run the instance with the default 100 as its priority") is int p) c.Priority = p; break;
                case "advert_int": if (v.Decimal(n, 0.01, 255) is double ai) c.AdvertisementInterval = ai; break;
                case "version":
                    // keepalived: a version line that conflicts with one already read is ignored (the first one stays)
                    if (v.Whole(n, 2, 3) is not long ver) break;
                    if (versionRead && c.Version != ver)
                        v.Diag.Warning("KeepalivedVersionConflict", n.File, n.Line, n.Args[0].Column, n.Args[0].Text, $"version {ver} conflicts with the version {c.Version} read before; keepalived ignores this line, and so does VrrpPS.");
                    else { c.Version = (int)ver; versionRead = true; }
                    break;
                case "unicast_src_ip": if (v.Arg(n) is { } us) c.UnicastSourceAddress = v.Address(n, us); break;
                case "mcast_src_ip": if (v.Arg(n) is { } ms) c.MulticastSourceAddress = v.Address(n, ms); break;
                case "unicast_peer": c.UnicastPeer = Peers(n, v); break;
                case "authentication": Auth(n, c, v); break;
                case "virtual_ipaddress": c.VirtualIPAddress = VirtualAddressBlock.Block(n, v); break;
                case "virtual_ipaddress_excluded": c.VirtualIPAddressExcluded = VirtualAddressBlock.Block(n, v); break;
                case "virtual_routes": c.VirtualRoutes = SectionBuilders.Raw(n); break;
                case "virtual_rules": c.VirtualRules = SectionBuilders.Raw(n); break;
                case "nopreempt": c.NoPreempt = true; break; // keepalived 2.2.7 has no "no_preempt" (unknown keyword, ignored)
                case "preempt": c.NoPreempt = false; break;
                case "preempt_delay": c.PreemptDelay = v.Decimal(n, 0, 1000) ?? 0; break; // keepalived: an invalid delay is 0
                case "garp_master_delay": if (v.Whole(n, 0, GarpDelayMax) is long d1) c.GarpMasterDelay = d1; break;
                case "garp_master_repeat": if (v.Repeat(n) is int r1) c.GarpMasterRepeat = r1; break;
                case "garp_master_refresh": c.GarpMasterRefresh = v.Whole(n, 0, uint.MaxValue) ?? 0; break; // keepalived: an invalid refresh is 0 (off)
                case "garp_master_refresh_repeat": if (v.Repeat(n) is int r2) c.GarpMasterRefreshRepeat = r2; break;
                case "garp_lower_prio_delay": if (v.Whole(n, 0, GarpDelayMax) is long d3) c.GarpLowerPriorityDelay = d3; break;
                case "garp_lower_prio_repeat": if (v.Whole(n, 0, int.MaxValue) is long r3) c.GarpLowerPriorityRepeat = (int)r3; break;
                case "use_vmac": c.UseVmac = true; c.VmacName = n.Args.Count > 0 ? n.Args[0].Text : null; break;
                case "vmac_xmit_base": c.VmacXmitBase = true; break;
                case "accept": c.Accept = true; break;
                case "no_accept": c.Accept = false; break;
                case "track_interface": c.TrackInterface = Tracks.Interfaces(n, v); break;
                case "track_script": c.TrackScript = Tracks.Refs(n, v, 253); break;
                case "track_file": c.TrackFile = Tracks.Refs(n, v, 254); break;
                case "track_process": c.TrackProcess = Tracks.Refs(n, v, 254); break;
                case "dont_track_primary": c.DontTrackPrimary = true; break;
                case "notify_master": (c.NotifyMaster, c.NotifyUser) = ConfigValues.Notify(n, c.NotifyUser); break;
                case "notify_backup": (c.NotifyBackup, c.NotifyUser) = ConfigValues.Notify(n, c.NotifyUser); break;
                case "notify_fault": (c.NotifyFault, c.NotifyUser) = ConfigValues.Notify(n, c.NotifyUser); break;
                case "notify_stop": (c.NotifyStop, c.NotifyUser) = ConfigValues.Notify(n, c.NotifyUser); break;
                case "notify": (c.Notify, c.NotifyUser) = ConfigValues.Notify(n, c.NotifyUser); break;
                case "notify_master_rx_lower_pri": (c.NotifyMasterRxLowerPriority, c.NotifyUser) = ConfigValues.Notify(n, c.NotifyUser); break;
                case "smtp_alert": c.SmtpAlert = v.Bool(n); break;
                case "lower_prio_no_advert": c.LowerPriorityNoAdvert = v.Bool(n); break;
                case "higher_prio_send_advert": c.HigherPrioritySendAdvert = v.Bool(n); break;
                case "check_unicast_src": c.CheckUnicastSource = true; break;
                case "skip_check_adv_addr": SkipCheckAdvertAddress(n, c, v); break;
                case "strict_mode": c.Strict = v.Bool(n); break;
                case "old_unicast_checksum":
                    // keepalived: keep the pseudo-header, with the multicast group as destination ("never": the unicast one, no switching)
                    if (n.Args.Count == 0) c.OldUnicastChecksum = VrrpUnicastChecksum.Old;
                    else if (n.Args[0].Text == "never") c.OldUnicastChecksum = VrrpUnicastChecksum.Never;
                    else v.Diag.Warning("KeepalivedInvalidValue", n.File, n.Line, n.Args[0].Column, n.Args[0].Text, $"old_unicast_checksum takes no argument or 'never', not '{n.Args[0].Text}'; ignored (as keepalived does).");
                    break;
                case "v3_checksum_as_v2": c.V3ChecksumAsV2 = v.Bool(n); break;
                default:
                    if (NotActedOn.Contains(n.Name)) other.Add(SectionBuilders.Line(n)); // not modelled: written back as read
                    else v.Diag.Unknown(n.File, n.Line, n.Keyword.Column, n.Name, $"vrrp_instance {name}");
                    break;
            }
        }
        c.UnsupportedKeywords = [.. unsupported.Order(StringComparer.Ordinal)];
        c.OtherLines = [.. other];
        return InstanceCompletion.Complete(c, node, seen, v) ? c : null;
    }

    /// <summary>keepalived (2.2.7 and later) sets the flag whatever true/false argument follows: `skip_check_adv_addr false`
    /// skips the check too. Read as keepalived reads it, with an information record (keepalived -t accepts the line, so no
    /// warning: our verdict stays keepalived's), so Export never turns it into something else.</summary>
    private static void SkipCheckAdvertAddress(ConfNode n, VrrpInstanceConfig c, ConfigValues v)
    {
        bool asWritten = v.Bool(n);
        c.SkipCheckAdvertAddress = true;
        if (!asWritten)
            v.Diag.Info("KeepalivedFlagArgumentIgnored", n.File, n.Line, n.Args[0].Column, n.Args[0].Text,
                $"keepalived reads 'skip_check_adv_addr {n.Args[0].Text}' as skip_check_adv_addr (the argument is not acted on): advert addresses are NOT checked; remove the line to check them.");
    }

    private static VrrpUnicastPeer[] Peers(ConfNode n, ConfigValues v)
    {
        var list = new List<VrrpUnicastPeer>();
        foreach (var p in n.Children ?? [])
        {
            if (v.Address(p, p.Keyword) is not string addr) continue;
            var peer = new VrrpUnicastPeer { Address = addr };
            for (int i = 0; i + 1 < p.Args.Count + 1 && i < p.Args.Count; i += 2)
            {
                string k = p.Args[i].Text;
                var sub = new ConfNode { Keyword = p.Args[i], File = p.File, Line = p.Line };
                if (i + 1 < p.Args.Count) sub.Args.Add(p.Args[i + 1]);
                if (k == "min_ttl") peer.MinTtl = v.Int(sub, 0, 255);
                else if (k == "max_ttl") peer.MaxTtl = v.Int(sub, 0, 255);
                else v.Diag.Unknown(p.File, p.Line, p.Args[i].Column, k, "unicast_peer");
            }
            list.Add(peer);
        }
        return [.. list];
    }

    private static void Auth(ConfNode n, VrrpInstanceConfig c, ConfigValues v)
    {
        foreach (var a in n.Children ?? [])
        {
            if (a.Name == "auth_type")
            {
                if (v.Arg(a) is not { } t) continue;
                if (t.Text == "PASS") c.AuthenticationType = VrrpAuthType.Pass;
                else if (t.Text == "AH") c.AuthenticationType = VrrpAuthType.Ah;
                else v.Diag.Error("KeepalivedInvalidAuthType", a.File, a.Line, t.Column, t.Text, $"auth_type '{t.Text}' is not PASS or AH.");
            }
            else if (a.Name == "auth_pass")
            {
                if (v.Arg(a) is not { } t) continue;
                string pass = t.Text;
                if (pass.Length > 8)
                {
                    v.Diag.Warning("KeepalivedAuthPassTruncated", a.File, a.Line, t.Column, pass, "auth_pass is longer than 8 characters; only the first 8 are used (RFC 2338 §5.3.10).");
                    pass = pass[..8];
                }
                c.AuthenticationPassword = pass;
            }
            else v.Diag.Unknown(a.File, a.Line, a.Keyword.Column, a.Name, "authentication");
        }
    }

    internal static void CheckReferences(List<VrrpInstanceConfig> instances, List<VrrpScriptConfig> scripts, List<VrrpTrackFileConfig> files,
        List<VrrpTrackProcessConfig> procs, List<VrrpSyncGroupConfig> syncs, DiagnosticSink d)
    {
        foreach (var i in instances)
        {
            foreach (var s in i.TrackScript.Where(s => scripts.All(x => x.Name != s.Name)))
                d.Warning("KeepalivedUnknownReference", i.SourceFile, i.SourceLine, 1, s.Name, $"vrrp_instance {i.Name} tracks script '{s.Name}' which is not defined; define a vrrp_script {s.Name} or remove it.");
            foreach (var s in i.TrackFile.Where(s => files.All(x => x.Name != s.Name)))
                d.Warning("KeepalivedUnknownReference", i.SourceFile, i.SourceLine, 1, s.Name, $"vrrp_instance {i.Name} tracks file '{s.Name}' which is not defined.");
            foreach (var s in i.TrackProcess.Where(s => procs.All(x => x.Name != s.Name)))
                d.Warning("KeepalivedUnknownReference", i.SourceFile, i.SourceLine, 1, s.Name, $"vrrp_instance {i.Name} tracks process '{s.Name}' which is not defined.");
        }
        foreach (var g in syncs)
            foreach (string m in g.Group.Where(m => instances.All(x => x.Name != m)))
                d.Warning("KeepalivedUnknownReference", g.SourceFile, g.SourceLine, 1, m, $"vrrp_sync_group {g.Name} names instance '{m}' which is not defined.");
    }

    internal static bool IsV6(string a) => IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
}
