using System.Net;
using System.Net.Sockets;

namespace VrrpPS.Config;

/// <summary>`vrrp_instance` block → <see cref="VrrpInstanceConfig"/>, completed the way keepalived's vrrp_complete_instance does.</summary>
internal static class InstanceBuilder
{
    /// <summary>Keywords VrrpPS parses and keeps but whose behaviour the engine does not implement (Start-VrrpInstance warns).</summary>
    internal static readonly HashSet<string> NotActedOn = new(StringComparer.Ordinal)
    {
        "virtual_routes", "virtual_rules", "use_vmac", "vmac_xmit_base", "use_ipvlan", "use_vmac_addr", "smtp_alert", "track_process", "track_bfd",
        "track_src_ip", "promote_secondaries", "debug", "kernel_rx_buf_size", "linkbeat_use_polling", "native_ipv6", "notify_priority_changes",
        "notify_deleted", "mcast_dst_ip", "unicast_ttl", "unicast_fault_no_peer", "down_timer_adverts", "interface_up_down_delays", "vrf",
        "garp_extra_if", "garp_extra_if_vmac",
    };

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
            CheckUnicastSource = g.CheckUnicastSource, SkipCheckAdvertAddress = g.SkipCheckAdvertAddress,
            LowerPriorityNoAdvert = g.LowerPriorityNoAdvert || g.Strict, HigherPrioritySendAdvert = g.HigherPrioritySendAdvert, StartupDelay = g.StartupDelay,
        };
        bool stateSet = false, prioSet = false, versionSet = false;
        ConfNode? advertNode = null, nopreemptNode = null;
        var unsupported = new List<string>();
        foreach (var n in node.Children!)
        {
            if (NotActedOn.Contains(n.Name) && !unsupported.Contains(n.Name)) unsupported.Add(n.Name);
            switch (n.Name)
            {
                case "state":
                    if (v.Arg(n) is not { } st) break;
                    if (st.Text == "MASTER") c.InitialState = VrrpInitialState.Master;
                    else if (st.Text == "BACKUP") c.InitialState = VrrpInitialState.Backup;
                    else { v.Diag.Warning("KeepalivedInvalidState", n.File, n.Line, st.Column, st.Text, $"unknown state '{st.Text}'; use MASTER or BACKUP (BACKUP assumed)."); break; }
                    stateSet = true; break;
                case "interface": c.Interface = v.Arg(n)?.Text ?? ""; break;
                case "virtual_router_id": if (v.Int(n, 1, 255) is int id) c.VirtualRouterId = id; break;
                case "priority": if (v.Int(n, 1, 255) is int p) { c.Priority = p; prioSet = true; } break;
                case "advert_int": if (v.Timer(n, 0.001, 255) is double ai) { c.AdvertisementInterval = ai; advertNode = n; } break;
                case "version": if (v.Int(n, 2, 3) is int ver) { c.Version = ver; versionSet = true; } break;
                case "unicast_src_ip": if (v.Arg(n) is { } us) c.UnicastSourceAddress = v.Address(n, us); break;
                case "mcast_src_ip": if (v.Arg(n) is { } ms) c.MulticastSourceAddress = v.Address(n, ms); break;
                case "unicast_peer": c.UnicastPeer = Peers(n, v); break;
                case "authentication": Auth(n, c, v); break;
                case "virtual_ipaddress": c.VirtualIPAddress = AddressParser.Block(n, v); break;
                case "virtual_ipaddress_excluded": c.VirtualIPAddressExcluded = AddressParser.Block(n, v); break;
                case "virtual_routes": c.VirtualRoutes = SectionBuilders.Raw(n); break;
                case "virtual_rules": c.VirtualRules = SectionBuilders.Raw(n); break;
                case "nopreempt" or "no_preempt": c.NoPreempt = true; nopreemptNode = n; break;
                case "preempt": c.NoPreempt = false; break;
                case "preempt_delay": if (v.Timer(n, 0, 1000) is double pd) c.PreemptDelay = pd; break;
                case "garp_master_delay": if (v.Timer(n, 0, 255) is double d1) c.GarpMasterDelay = d1; break;
                case "garp_master_repeat": if (v.Int(n, 1, 255) is int r1) c.GarpMasterRepeat = r1; break;
                case "garp_master_refresh": if (v.Timer(n, 0, 86400) is double d2) c.GarpMasterRefresh = d2; break;
                case "garp_master_refresh_repeat": if (v.Int(n, 1, 255) is int r2) c.GarpMasterRefreshRepeat = r2; break;
                case "garp_lower_prio_delay": if (v.Timer(n, 0, 255) is double d3) c.GarpLowerPriorityDelay = d3; break;
                case "garp_lower_prio_repeat": if (v.Int(n, 1, 255) is int r3) c.GarpLowerPriorityRepeat = r3; break;
                case "use_vmac": c.UseVmac = true; c.VmacName = n.Args.Count > 0 ? n.Args[0].Text : null; break;
                case "vmac_xmit_base": c.VmacXmitBase = true; break;
                case "accept": c.Accept = true; break;
                case "no_accept": c.Accept = false; break;
                case "track_interface": c.TrackInterface = Tracks.Interfaces(n, v); break;
                case "track_script": c.TrackScript = Tracks.Refs(n, v, 253); break;
                case "track_file": c.TrackFile = Tracks.Refs(n, v, 254); break;
                case "track_process": c.TrackProcess = Tracks.Refs(n, v, 254); break;
                case "dont_track_primary": c.DontTrackPrimary = true; break;
                case "notify_master": c.NotifyMaster = ConfigValues.Command(n); break;
                case "notify_backup": c.NotifyBackup = ConfigValues.Command(n); break;
                case "notify_fault": c.NotifyFault = ConfigValues.Command(n); break;
                case "notify_stop": c.NotifyStop = ConfigValues.Command(n); break;
                case "notify": c.Notify = ConfigValues.Command(n); break;
                case "notify_master_rx_lower_pri": c.NotifyMasterRxLowerPriority = ConfigValues.Command(n); break;
                case "smtp_alert": c.SmtpAlert = v.Bool(n); break;
                case "lower_prio_no_advert": c.LowerPriorityNoAdvert = v.Bool(n); break;
                case "higher_prio_send_advert": c.HigherPrioritySendAdvert = v.Bool(n); break;
                case "check_unicast_src": c.CheckUnicastSource = true; break;
                case "skip_check_adv_addr": c.SkipCheckAdvertAddress = v.Bool(n); break;
                case "strict_mode": c.Strict = v.Bool(n); break;
                case "old_unicast_checksum": c.V3ChecksumAsV2 = !(n.Args.Count > 0 && n.Args[0].Text == "never"); break;
                default:
                    if (!NotActedOn.Contains(n.Name)) v.Diag.Unknown(n.File, n.Line, n.Keyword.Column, n.Name, $"vrrp_instance {name}");
                    break;
            }
        }
        c.UnsupportedKeywords = [.. unsupported.Order(StringComparer.Ordinal)];
        return Complete(c, node, v, stateSet, prioSet, versionSet, advertNode, nopreemptNode) ? c : null;
    }

    private static bool Complete(VrrpInstanceConfig c, ConfNode node, ConfigValues v, bool stateSet, bool prioSet, bool versionSet, ConfNode? advertNode, ConfNode? nopreemptNode)
    {
        var d = v.Diag;
        bool ok = c.VirtualRouterId != 0;
        if (c.Interface.Length == 0) { d.Error("KeepalivedMissingInterface", node.File, node.Line, node.Keyword.Column, c.Name, $"vrrp_instance {c.Name} has no 'interface'; add one."); ok = false; }
        if (c.VirtualRouterId == 0 && node.Children!.All(x => x.Name != "virtual_router_id")) { d.Error("KeepalivedMissingVirtualRouterId", node.File, node.Line, node.Keyword.Column, c.Name, $"vrrp_instance {c.Name} has no valid 'virtual_router_id' (1-255)."); ok = false; }
        // keepalived vrrp_complete_instance: no priority => 255 when state MASTER, else 100; no state => MASTER iff priority 255
        if (!prioSet) c.Priority = c.InitialState == VrrpInitialState.Master && stateSet ? 255 : 100;
        if (!stateSet) c.InitialState = c.Priority == 255 ? VrrpInitialState.Master : VrrpInitialState.Backup;
        // IPv6 virtual addresses mean VRRPv3 (RFC 5798 is the only VRRP for IPv6)
        bool v6 = c.VirtualIPAddress.Length > 0 && c.VirtualIPAddress[0].Address.Contains(':');
        if (v6 && c.Version == 2)
        {
            if (versionSet) d.Info("KeepalivedIPv6ForcesVersion3", node.File, node.Line, node.Keyword.Column, c.Name, $"vrrp_instance {c.Name}: IPv6 addresses need VRRPv3; version 3 used.");
            c.Version = 3;
        }
        foreach (var a in c.VirtualIPAddress.Where(a => a.Address.Contains(':') != v6))
            d.Warning("KeepalivedMixedAddressFamily", node.File, a.SourceLine, 1, a.Address, $"virtual_ipaddress {a.Address} is not the same family as the first VIP; move it to virtual_ipaddress_excluded.");
        double adv = c.AdvertisementInterval;
        if (c.Version == 2 && adv != Math.Round(adv))
        {
            double r = Math.Max(1, Math.Round(adv, MidpointRounding.AwayFromZero));
            d.Warning("KeepalivedAdvertIntRounded", advertNode?.File, advertNode?.Line ?? node.Line, advertNode?.Args[0].Column ?? 1, adv.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"VRRPv2 advert_int {adv}s must be whole seconds; rounded to {r}s (use version 3 for sub-second adverts).");
            c.AdvertisementInterval = r;
        }
        else if (c.Version == 3)
        {
            double cs = Math.Round(adv * 100, MidpointRounding.AwayFromZero);
            if (Math.Abs(cs - adv * 100) > 1e-6)
            {
                double r = Math.Max(1, cs) / 100.0;
                d.Warning("KeepalivedAdvertIntRounded", advertNode?.File, advertNode?.Line ?? node.Line, advertNode?.Args[0].Column ?? 1, adv.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"VRRPv3 advert_int {adv}s must be in units of 10 ms; rounded to {r}s.");
                c.AdvertisementInterval = r;
            }
            if (c.AdvertisementInterval > 40.95) { d.Error("KeepalivedValueOutOfRange", advertNode?.File, advertNode?.Line ?? node.Line, 1, "advert_int", "VRRPv3 advert_int must be at most 40.95 s (RFC 5798 §5.2.7: 12-bit centiseconds)."); ok = false; }
        }
        if (c.NoPreempt && c.Priority == 255)
        {
            d.Error("KeepalivedNoPreemptOwner", nopreemptNode?.File, nopreemptNode?.Line ?? node.Line, nopreemptNode?.Keyword.Column ?? 1, "nopreempt",
                $"vrrp_instance {c.Name}: nopreempt is incompatible with priority 255 (the address owner always preempts, RFC 5798 §6.4.3); lower the priority or drop nopreempt.");
            ok = false;
        }
        if (c.Strict) ok &= StrictChecks(c, node, d);
        return ok;
    }

    private static bool StrictChecks(VrrpInstanceConfig c, ConfNode node, DiagnosticSink d)
    {
        bool ok = true;
        void Err(string id, string msg) { d.Error(id, node.File, node.Line, node.Keyword.Column, c.Name, $"vrrp_instance {c.Name} (vrrp_strict): {msg}"); ok = false; }
        if (c.VirtualIPAddress.Length == 0) Err("KeepalivedStrictNoVip", "at least one virtual_ipaddress is required.");
        if (c.UnicastPeer.Length > 0) Err("KeepalivedStrictUnicast", "unicast peers are not allowed; remove unicast_peer or vrrp_strict.");
        if (c.AuthenticationType != VrrpAuthType.None) Err("KeepalivedStrictAuth", "authentication is not allowed (RFC 3768/5798 removed it).");
        if (c.PreemptDelay > 0) Err("KeepalivedStrictPreemptDelay", "preempt_delay is not allowed.");
        if (c.InitialState == VrrpInitialState.Master && c.Priority != 255)
        {
            d.Warning("KeepalivedStrictMasterState", node.File, node.Line, node.Keyword.Column, c.Name, $"vrrp_instance {c.Name} (vrrp_strict): state MASTER needs priority 255; starting as BACKUP.");
            c.InitialState = VrrpInitialState.Backup;
        }
        c.Accept ??= c.Priority == 255;
        return ok;
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
