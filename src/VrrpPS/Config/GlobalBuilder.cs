namespace VrrpPS.Config;

/// <summary>`global_defs`: the VRRP-relevant keys; every other documented global keyword is accepted and listed as unsupported.</summary>
internal static class GlobalBuilder
{
    private static readonly HashSet<string> OtherKnown = new(StringComparer.Ordinal)
    {
        "bfd_cpu_affinity", "bfd_no_swap", "bfd_priority", "bfd_process_name", "bfd_rlimit_rttime", "bfd_rt_priority", "checker_cpu_affinity",
        "checker_log_all_failures", "checker_no_swap", "checker_priority", "checker_process_name", "checker_rlimit_rttime", "checker_rt_priority",
        "child_wait_time", "config_save_dir", "data_use_instance", "dbus_service_name", "default_interface", "disable_local_igmp", "dynamic_interfaces",
        "enable_dbus", "enable_snmp_checker", "enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_snmp_vrrp", "enable_traps",
        "fifo_write_vrrp_states_on_reload", "include_check", "linkbeat_use_polling", "log_unknown_vrids", "lvs_flush", "lvs_flush_on_stop",
        "lvs_notify_fifo", "lvs_notify_fifo_script", "lvs_sync_daemon", "lvs_timeouts", "max_auto_priority", "min_auto_priority_delay",
        "namespace_with_ipsets", "net_namespace", "net_namespace_ipvs", "nftables", "nftables_counters", "nftables_ifindex", "nftables_ipvs",
        "nftables_ipvs_priority", "nftables_ipvs_start_fwmark", "nftables_priority", "no_checker_emails", "no_email_faults", "notification_email",
        "notification_email_from", "notify_fifo_script", "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force", "process_names",
        "random_seed", "reload_check_config", "reload_file", "reload_repeat", "reload_time_file", "rs_init_notifies", "shutdown_script",
        "smtp_alert", "smtp_alert_checker", "smtp_alert_vrrp", "smtp_connect_timeout", "smtp_helo_name", "smtp_server", "snmp_socket",
        "startup_script", "tmp_config_directory", "umask", "use_pid_dir", "vmac_addr_prefix", "vmac_prefix", "vrrp_cpu_affinity",
        "vrrp_down_timer_adverts", "vrrp_garp_extra_if", "vrrp_garp_interval", "vrrp_gna_interval", "vrrp_ipsets", "vrrp_iptables",
        "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force", "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force",
        "vrrp_notify_fifo_script", "vrrp_notify_priority_changes", "vrrp_process_name", "vrrp_rx_bufs_multiplier", "vrrp_rx_bufs_policy", "script_group", "instance", "notify_fifo_script",
    };

    internal static void Apply(ConfNode block, KeepalivedGlobalConfig g, ConfigValues v)
    {
        g.SourceFile ??= block.File;
        if (g.SourceLine == 0) g.SourceLine = block.Line;
        var unsupported = new List<string>(g.UnsupportedKeywords);
        bool lowerDelaySet = false, lowerRepeatSet = false;
        var other = new List<VrrpRawLine>(g.OtherLines);
        foreach (var n in block.Children ?? [])
        {
            switch (n.Name)
            {
                case "router_id": g.RouterId = v.Arg(n)?.Text; break;
                case "vrrp_version": if (v.Whole(n, 2, 3) is long ver) g.VrrpVersion = (int)ver; break;
                case "vrrp_mcast_group4": if (v.Arg(n) is { } t4 && v.Address(n, t4) is string a4) g.MulticastGroup4 = a4; break;
                case "vrrp_mcast_group6": if (v.Arg(n) is { } t6 && v.Address(n, t6) is string a6) g.MulticastGroup6 = a6; break;
                case "vrrp_garp_master_delay": if (v.Whole(n, 0, InstanceBuilder.GarpDelayMax) is long d1) g.GarpMasterDelay = d1; break;
                case "vrrp_garp_master_repeat": if (v.Repeat(n) is int r1) g.GarpMasterRepeat = r1; break;
                case "vrrp_garp_master_refresh": g.GarpMasterRefresh = v.Whole(n, 0, uint.MaxValue) ?? 0; break; // keepalived: an invalid refresh is 0 (off)
                case "vrrp_garp_master_refresh_repeat": if (v.Repeat(n) is int r2) g.GarpMasterRefreshRepeat = r2; break;
                case "vrrp_garp_lower_prio_delay": if (v.Whole(n, 0, InstanceBuilder.GarpDelayMax) is long d3) { g.GarpLowerPriorityDelay = d3; lowerDelaySet = true; } break; // ignored: still unset
                case "vrrp_garp_lower_prio_repeat": if (v.Whole(n, 0, int.MaxValue) is long r3) { g.GarpLowerPriorityRepeat = (int)r3; lowerRepeatSet = true; } break;
                case "vrrp_strict": g.Strict = true; break;
                case "vrrp_min_garp":
                    // keepalived (global_parser.c): one gratuitous ARP/NA, no delayed burst, no refresh repeat — for each of those
                    // still at its default when the line is read (a value set before it stays; one set after it wins)
                    if (!v.Bool(n)) break;
                    if (g.GarpMasterRepeat == 5) g.GarpMasterRepeat = 1;
                    if (g.GarpMasterRefreshRepeat == 1) g.GarpMasterRefreshRepeat = 0;
                    if (g.GarpMasterDelay == 5) g.GarpMasterDelay = 0;
                    break;
                case "script_user": if (v.Arg(n) is not null) (g.ScriptUser, g.ScriptGroup) = ConfigValues.UserGroup(n, 0); break;
                case "enable_script_security": g.EnableScriptSecurity = true; break;
                case "vrrp_startup_delay": if (v.Decimal(n, 0.001, uint.MaxValue / 1e6) is double sd) g.StartupDelay = sd; break;
                case "v3_checksum_as_v2":
                    // keepalived 2.2.8+ sets it whatever argument follows (its global handler reads none); 2.2.7 rejects the keyword
                    g.V3ChecksumAsV2 = true;
                    v.Diag.Info("KeepalivedNewerKeyword", n.File, n.Line, n.Keyword.Column, n.Name, "'v3_checksum_as_v2' is read by keepalived 2.2.8 and later; keepalived 2.2.7 and older reject it.");
                    break;
                case "vrrp_check_unicast_src": g.CheckUnicastSource = true; break;
                case "vrrp_priority": if (v.Int(n, -20, 19) is int nice) g.ProcessPriority = nice; break;
                case "vrrp_rt_priority": if (RealtimePriority(n, v) is int rt) g.RealtimePriority = rt; break;
                case "vrrp_rlimit_rttime" or "vrrp_rlimit_rtime": if (RealtimeLimit(n, v) is long lim) g.RealtimeLimit = lim; break;
                case "vrrp_no_swap": g.NoSwap = true; break;
                case "vrrp_skip_check_adv_addr": g.SkipCheckAdvertAddress = true; break;
                case "vrrp_lower_prio_no_advert": g.LowerPriorityNoAdvert = v.Bool(n); break;
                case "vrrp_higher_prio_send_advert": g.HigherPrioritySendAdvert = v.Bool(n); break;
                case "notify_fifo": g.NotifyFifo = v.Arg(n)?.Text; if (!unsupported.Contains(n.Name)) unsupported.Add(n.Name); other.Add(SectionBuilders.Line(n)); break;
                case "vrrp_notify_fifo": g.VrrpNotifyFifo = v.Arg(n)?.Text; if (!unsupported.Contains(n.Name)) unsupported.Add(n.Name); other.Add(SectionBuilders.Line(n)); break;
                default:
                    if (OtherKnown.Contains(n.Name)) { if (!unsupported.Contains(n.Name)) unsupported.Add(n.Name); other.Add(SectionBuilders.Line(n)); } // written back as read
                    else v.Diag.Unknown(n.File, n.Line, n.Keyword.Column, n.Name, "global_defs");
                    break;
            }
        }
        // keepalived: unset global lower-priority garp values follow vrrp_garp_master_delay / _repeat (vrrp.c, checked in its dump)
        if (!lowerDelaySet) g.GarpLowerPriorityDelay = g.GarpMasterDelay;
        if (!lowerRepeatSet) g.GarpLowerPriorityRepeat = g.GarpMasterRepeat;
        g.UnsupportedKeywords = [.. unsupported];
        g.OtherLines = [.. other];
    }

    /// <summary>keepalived 2.2.7 (checked in its dump): a value outside SCHED_RR's 1..99 is a config error and is clamped.</summary>
    private static int? RealtimePriority(ConfNode n, ConfigValues v)
    {
        if (v.Arg(n) is not { } t) return null;
        if (!long.TryParse(t.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long p))
        { v.Diag.Error("KeepalivedInvalidNumber", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' expects an integer, got '{t.Text}'."); return null; }
        if (p is >= 1 and <= 99) return (int)p;
        int clamped = p < 1 ? 1 : 99;
        v.Diag.Error("KeepalivedValueOutOfRange", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' value {p} is outside [1, 99]; keepalived sets {clamped}.");
        return clamped;
    }

    /// <summary>Microseconds, 1..2^32-1; keepalived raises 1 to 2 (it halves the value for the soft limit).</summary>
    private static long? RealtimeLimit(ConfNode n, ConfigValues v)
    {
        if (v.Arg(n) is not { } t) return null;
        if (!long.TryParse(t.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long us) || us < 1 || us > uint.MaxValue)
        { v.Diag.Error("KeepalivedValueOutOfRange", n.File, n.Line, t.Column, t.Text, $"'{n.Name}' expects microseconds in [1, {uint.MaxValue}], got '{t.Text}'."); return null; }
        if (n.Name == "vrrp_rlimit_rtime")
            v.Diag.Info("KeepalivedDeprecatedKeyword", n.File, n.Line, n.Keyword.Column, n.Name, "'vrrp_rlimit_rtime' is deprecated; keepalived reads it as 'vrrp_rlimit_rttime'.");
        return Math.Max(2, us);
    }
}
