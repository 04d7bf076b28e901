using System.Globalization;
using System.Text;

namespace VrrpPS.Config;

/// <summary>Config objects → canonical keepalived.conf text (every value explicit, so re-import gives the same objects).</summary>
public static class KeepalivedConfigWriter
{
    public static string Write(IEnumerable<object> configObjects)
    {
        ArgumentNullException.ThrowIfNull(configObjects);
        var items = configObjects.SelectMany(o => o is KeepalivedParseResult r
            ? new object[] { r.Global }.Concat(r.Scripts).Concat(r.TrackFiles).Concat(r.TrackProcesses).Concat(r.Instances).Concat(r.SyncGroups).Concat(r.Statics)
            : [o]).ToList();
        var sb = new StringBuilder();
        var global = items.OfType<KeepalivedGlobalConfig>().FirstOrDefault();
        var first = items.OfType<VrrpInstanceConfig>().FirstOrDefault();
        WriteGlobal(sb, global, first);
        foreach (var o in items)
        {
            switch (o)
            {
                case VrrpScriptConfig s: WriteScript(sb, s); break;
                case VrrpTrackFileConfig f:
                    sb.Append("track_file ").Append(Q(f.Name)).Append(" {\n    file ").Append(Q(f.File)).Append('\n')
                      .Append("    weight ").Append(f.Weight).Append(f.Reverse ? " reverse" : "").Append('\n');
                    if (f.InitFile is int init) sb.Append("    init_file ").Append(init).Append('\n');
                    sb.Append("}\n"); break;
                case VrrpTrackProcessConfig p:
                    sb.Append("vrrp_track_process ").Append(Q(p.Name)).Append(" {\n    process ").Append(string.Join(' ', new[] { p.Process }.Concat(p.Parameters).Select(x => Q(x)))).Append('\n')
                      .Append("    weight ").Append(p.Weight).Append(p.Reverse ? " reverse" : "").Append('\n');
                    if (p.Quorum > 0) sb.Append("    quorum ").Append(p.Quorum).Append('\n');
                    if (p.QuorumMax is int qm) sb.Append("    quorum_max ").Append(qm).Append('\n');
                    if (p.ParamMatch is VrrpParamMatch pm) sb.Append("    param_match").Append(pm == VrrpParamMatch.Exact ? "" : " " + pm.ToString().ToLowerInvariant()).Append('\n');
                    if (p.FullCommand) sb.Append("    full_command\n");
                    if (p.ForkDelay > 0) sb.Append("    fork_delay ").Append(N(p.ForkDelay)).Append('\n');
                    if (p.TerminateDelay > 0) sb.Append("    terminate_delay ").Append(N(p.TerminateDelay)).Append('\n');
                    sb.Append("}\n"); break;
                case VrrpInstanceConfig i: WriteInstance(sb, i); break;
                case VrrpSyncGroupConfig g: WriteSync(sb, g); break;
                case KeepalivedStaticConfig st: Block(sb, 0, st.Section, st.Lines.Select(l => l.Text)); break;
            }
        }
        return sb.ToString();
    }

    private static void WriteGlobal(StringBuilder sb, KeepalivedGlobalConfig? g, VrrpInstanceConfig? i)
    {
        var lines = new List<string>();
        if (g?.RouterId is string rid) lines.Add("router_id " + Q(rid));
        string? m4 = i?.MulticastGroup4 ?? g?.MulticastGroup4, m6 = i?.MulticastGroup6 ?? g?.MulticastGroup6;
        if (m4 is not null && m4 != "224.0.0.18") lines.Add("vrrp_mcast_group4 " + m4);
        if (m6 is not null && m6 != "ff02::12") lines.Add("vrrp_mcast_group6 " + m6);
        double startup = i?.StartupDelay ?? g?.StartupDelay ?? 0;
        if (startup > 0) lines.Add("vrrp_startup_delay " + N(startup));
        if (g is not null)
        {
            if (g.VrrpVersion != 2) lines.Add("vrrp_version " + g.VrrpVersion);
            if (g.Strict) lines.Add("vrrp_strict");
            if (g.ScriptUser is string su) lines.Add("script_user " + Q(su) + (g.ScriptGroup is string sg ? " " + Q(sg) : ""));
            if (g.EnableScriptSecurity) lines.Add("enable_script_security");
            if (g.CheckUnicastSource) lines.Add("vrrp_check_unicast_src");
            if (g.SkipCheckAdvertAddress) lines.Add("vrrp_skip_check_adv_addr");
            var d = new KeepalivedGlobalConfig();
            if (g.GarpMasterDelay != d.GarpMasterDelay) lines.Add("vrrp_garp_master_delay " + N(g.GarpMasterDelay));
            if (g.GarpMasterRepeat != d.GarpMasterRepeat) lines.Add("vrrp_garp_master_repeat " + g.GarpMasterRepeat);
            if (g.GarpMasterRefresh != d.GarpMasterRefresh) lines.Add("vrrp_garp_master_refresh " + N(g.GarpMasterRefresh));
            if (g.GarpMasterRefreshRepeat != d.GarpMasterRefreshRepeat) lines.Add("vrrp_garp_master_refresh_repeat " + g.GarpMasterRefreshRepeat);
            if (g.GarpLowerPriorityDelay != d.GarpLowerPriorityDelay) lines.Add("vrrp_garp_lower_prio_delay " + N(g.GarpLowerPriorityDelay));
            if (g.GarpLowerPriorityRepeat != d.GarpLowerPriorityRepeat) lines.Add("vrrp_garp_lower_prio_repeat " + g.GarpLowerPriorityRepeat);
            if (g.LowerPriorityNoAdvert) lines.Add("vrrp_lower_prio_no_advert");
            if (g.HigherPrioritySendAdvert) lines.Add("vrrp_higher_prio_send_advert");
        }
        if (lines.Count > 0) Block(sb, 0, "global_defs", lines);
    }

    private static void WriteScript(StringBuilder sb, VrrpScriptConfig s)
    {
        var l = new List<string> { "script " + Q(s.Script), "interval " + N(s.Interval) };
        if (s.Timeout > 0) l.Add("timeout " + N(s.Timeout));
        l.Add("weight " + s.Weight + (s.Reverse ? " reverse" : ""));
        l.Add("rise " + s.Rise); l.Add("fall " + s.Fall);
        if (s.User is string u) l.Add("user " + Q(u) + (s.Group is string g ? " " + Q(g) : ""));
        if (s.InitFail) l.Add("init_fail");
        Block(sb, 0, "vrrp_script " + Q(s.Name), l);
    }

    private static void WriteInstance(StringBuilder sb, VrrpInstanceConfig i)
    {
        var l = new List<string>
        {
            "state " + (i.InitialState == VrrpInitialState.Master ? "MASTER" : "BACKUP"), "interface " + Q(i.Interface),
            "virtual_router_id " + i.VirtualRouterId, "priority " + i.Priority, "advert_int " + N(i.AdvertisementInterval), "version " + i.Version,
        };
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
        l.Add("garp_master_delay " + N(i.GarpMasterDelay)); l.Add("garp_master_repeat " + i.GarpMasterRepeat);
        l.Add("garp_master_refresh " + N(i.GarpMasterRefresh)); l.Add("garp_master_refresh_repeat " + i.GarpMasterRefreshRepeat);
        l.Add("garp_lower_prio_delay " + N(i.GarpLowerPriorityDelay)); l.Add("garp_lower_prio_repeat " + i.GarpLowerPriorityRepeat);
        if (i.UseVmac) l.Add("use_vmac" + (i.VmacName is string vm ? " " + Q(vm) : ""));
        if (i.VmacXmitBase) l.Add("vmac_xmit_base");
        if (i.Accept is bool acc) l.Add(acc ? "accept" : "no_accept");
        if (i.TrackInterface.Length > 0) l.Add(Sub("track_interface", i.TrackInterface.Select(t => Q(t.Name) + (t.Weight != 0 ? " weight " + t.Weight : "") + (t.Reverse ? " reverse" : ""))));
        if (i.TrackScript.Length > 0) l.Add(Sub("track_script", i.TrackScript.Select(Ref)));
        if (i.TrackFile.Length > 0) l.Add(Sub("track_file", i.TrackFile.Select(Ref)));
        if (i.TrackProcess.Length > 0) l.Add(Sub("track_process", i.TrackProcess.Select(Ref)));
        if (i.DontTrackPrimary) l.Add("dont_track_primary");
        Notify(l, "notify_master", i.NotifyMaster, i.NotifyUser); Notify(l, "notify_backup", i.NotifyBackup, i.NotifyUser); Notify(l, "notify_fault", i.NotifyFault, i.NotifyUser);
        Notify(l, "notify_stop", i.NotifyStop, i.NotifyUser); Notify(l, "notify", i.Notify, i.NotifyUser); Notify(l, "notify_master_rx_lower_pri", i.NotifyMasterRxLowerPriority, i.NotifyUser);
        if (i.SmtpAlert) l.Add("smtp_alert");
        l.Add("lower_prio_no_advert " + B(i.LowerPriorityNoAdvert)); l.Add("higher_prio_send_advert " + B(i.HigherPrioritySendAdvert));
        if (i.CheckUnicastSource) l.Add("check_unicast_src");
        l.Add("skip_check_adv_addr " + B(i.SkipCheckAdvertAddress));
        l.Add("strict_mode " + B(i.Strict));
        if (i.V3ChecksumAsV2) l.Add("old_unicast_checksum");
        Block(sb, 0, "vrrp_instance " + Q(i.Name), l);
    }

    private static void WriteSync(StringBuilder sb, VrrpSyncGroupConfig g)
    {
        var l = new List<string> { Sub("group", g.Group.Select(x => Q(x))) };
        if (g.TrackInterface.Length > 0) l.Add(Sub("track_interface", g.TrackInterface.Select(t => Q(t.Name) + (t.Weight != 0 ? " weight " + t.Weight : "") + (t.Reverse ? " reverse" : ""))));
        if (g.TrackScript.Length > 0) l.Add(Sub("track_script", g.TrackScript.Select(Ref)));
        if (g.TrackFile.Length > 0) l.Add(Sub("track_file", g.TrackFile.Select(Ref)));
        if (g.TrackProcess.Length > 0) l.Add(Sub("track_process", g.TrackProcess.Select(Ref)));
        Notify(l, "notify_master", g.NotifyMaster, g.NotifyUser); Notify(l, "notify_backup", g.NotifyBackup, g.NotifyUser); Notify(l, "notify_fault", g.NotifyFault, g.NotifyUser);
        Notify(l, "notify_stop", g.NotifyStop, g.NotifyUser); Notify(l, "notify", g.Notify, g.NotifyUser);
        if (g.SmtpAlert) l.Add("smtp_alert");
        Block(sb, 0, "vrrp_sync_group " + Q(g.Name), l);
    }

    private static string Vip(VrrpVirtualAddress a)
    {
        var s = new StringBuilder(a.Address).Append('/').Append(a.PrefixLength);
        if (a.Broadcast is string b) s.Append(" brd ").Append(b);
        if (a.Device is string d) s.Append(" dev ").Append(Q(d));
        if (a.Scope is string sc) s.Append(" scope ").Append(sc);
        if (a.Label is string lb) s.Append(" label ").Append(Q(lb));
        if (a.Peer is string p) s.Append(" peer ").Append(p);
        if (a.NoDad) s.Append(" -nodad");
        if (a.NoTrack) s.Append(" no_track");
        bool v6 = a.Address.Contains(':');
        bool defaultZero = v6 && a.PrefixLength == 128;
        if (v6 && a.PreferredLifetimeZero != defaultZero) s.Append(a.PreferredLifetimeZero ? " preferred_lft 0" : " preferred_lft forever");
        return s.ToString();
    }

    private static string Ref(VrrpTrackRef r) => Q(r.Name) + (r.Weight is int w ? " weight " + w : "") + (r.Reverse ? " reverse" : "");
    private static void Notify(List<string> l, string key, string? cmd, VrrpNotifyUser[]? users)
    {
        if (cmd is null) return;
        var u = (users ?? []).FirstOrDefault(x => x.Keyword == key);
        l.Add(key + " " + Q(cmd, force: true) + (u is null ? "" : " " + Q(u.User) + (u.Group is string g ? " " + Q(g) : "")));
    }
    private static string B(bool b) => b ? "true" : "false";
    private static string N(double d) => d.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Sub(string head, IEnumerable<string> lines) => head + " {\n" + string.Concat(lines.Select(x => "        " + x + "\n")) + "    }";

    private static void Block(StringBuilder sb, int indent, string head, IEnumerable<string> lines)
    {
        sb.Append(' ', indent).Append(head).Append(" {\n");
        foreach (string x in lines) sb.Append(' ', indent + 4).Append(x).Append('\n');
        sb.Append(' ', indent).Append("}\n\n");
    }

    /// <summary>Quotes a word when keepalived's lexer would otherwise split or comment it; escapes `\` and `"`. `$` is written as `${_DOLLAR}`-free text (left as is: unknown names are not substituted).</summary>
    internal static string Q(string s, bool force = false)
    {
        bool need = force || s.Length == 0 || s.Any(c => char.IsWhiteSpace(c) || c is '#' or '!' or '{' or '}' or '"' or '\'' or '\\' or '$' or '@' or '~');
        if (!need) return s;
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            if (c is '\\' or '"') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\t') sb.Append("\\t");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
