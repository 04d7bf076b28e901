using System.Globalization;
using System.Text;

namespace VrrpPS.Config;

/// <summary>Config objects → keepalived.conf text that keepalived reads as the objects say (judged by keepalived 2.2.7's own
/// dump). Minimal by default: a value keepalived would infer anyway (its default, or what an instance inherits from
/// global_defs) is not written, so inheritance survives a round trip. <see cref="KeepalivedWriteOptions.Explicit"/> writes
/// every effective value instead. A flag is never written with an argument keepalived 2.2.7 misreads.</summary>
public static class KeepalivedConfigWriter
{
    public static string Write(IEnumerable<object> configObjects) => Write(configObjects, new KeepalivedWriteOptions());

    public static string Write(IEnumerable<object> configObjects, KeepalivedWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configObjects);
        var items = Items(configObjects);
        var sb = new StringBuilder();
        var global = items.OfType<KeepalivedGlobalConfig>().FirstOrDefault();
        var first = items.OfType<VrrpInstanceConfig>().FirstOrDefault();
        var effective = WriteGlobal(sb, global, first, options.Explicit);
        foreach (var o in items) WriteItem(sb, o, effective, options.Explicit);
        return sb.ToString();
    }

    /// <summary>Expands parse results into their objects, in keepalived's usual order.</summary>
    internal static List<object> Items(IEnumerable<object> configObjects) => configObjects.SelectMany(o => o is KeepalivedParseResult r
        ? new object[] { r.Global }.Concat(r.Scripts).Concat(r.TrackFiles).Concat(r.TrackProcesses).Concat(r.Instances).Concat(r.SyncGroups).Concat(r.Statics)
        : [o]).ToList();

    /// <summary>One object other than global_defs, written as keepalived reads it after <paramref name="effective"/> global values.</summary>
    internal static void WriteItem(StringBuilder sb, object o, KeepalivedGlobalConfig effective, bool all)
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
            case VrrpInstanceConfig i: Block(sb, 0, "vrrp_instance " + Q(i.Name), KeepalivedInstanceWriter.Lines(i, effective, all)); break;
            case VrrpSyncGroupConfig g: WriteSync(sb, g); break;
            case KeepalivedStaticConfig st: Block(sb, 0, st.Section, st.Lines.Select(l => l.Text)); break;
        }
    }

    /// <summary>An include tree written as a tree: the file <paramref name="mainPath"/> with the include lines of the source's main
    /// file, and each file it included (at the same place relative to it) with that file's own objects (see KeepalivedTreeWriter).</summary>
    public static IReadOnlyList<(string Path, string Text)> WriteTree(IEnumerable<object> configObjects, KeepalivedWriteOptions options, string mainPath) =>
        KeepalivedTreeWriter.Write(Items(configObjects ?? throw new ArgumentNullException(nameof(configObjects))), options ?? throw new ArgumentNullException(nameof(options)), mainPath);

    /// <summary>Writes global_defs and returns the global values keepalived will apply to every instance it reads after it.</summary>
    internal static KeepalivedGlobalConfig WriteGlobal(StringBuilder sb, KeepalivedGlobalConfig? g, VrrpInstanceConfig? i, bool all)
    {
        var lines = new List<string>();
        var d = new KeepalivedGlobalConfig();
        if (g?.RouterId is string rid) lines.Add("router_id " + Q(rid));
        // without a global object (instances alone), the first instance's inherited values stand in for it
        string m4 = g?.MulticastGroup4 ?? i?.MulticastGroup4 ?? d.MulticastGroup4, m6 = g?.MulticastGroup6 ?? i?.MulticastGroup6 ?? d.MulticastGroup6;
        double startup = g?.StartupDelay ?? i?.StartupDelay ?? 0;
        var e = g ?? new KeepalivedGlobalConfig();
        var eff = new KeepalivedGlobalConfig
        {
            VrrpVersion = e.VrrpVersion, MulticastGroup4 = m4, MulticastGroup6 = m6, StartupDelay = startup, Strict = e.Strict,
            GarpMasterDelay = e.GarpMasterDelay, GarpMasterRepeat = e.GarpMasterRepeat, GarpMasterRefresh = e.GarpMasterRefresh,
            GarpMasterRefreshRepeat = e.GarpMasterRefreshRepeat, GarpLowerPriorityDelay = e.GarpLowerPriorityDelay, GarpLowerPriorityRepeat = e.GarpLowerPriorityRepeat,
            CheckUnicastSource = e.CheckUnicastSource, SkipCheckAdvertAddress = e.SkipCheckAdvertAddress, LowerPriorityNoAdvert = e.LowerPriorityNoAdvert,
            HigherPrioritySendAdvert = e.HigherPrioritySendAdvert, V3ChecksumAsV2 = e.V3ChecksumAsV2,
        };
        void Val(string key, string value, bool differs) { if (all || differs) lines.Add(key + " " + value); }
        if (g is not null)
        {
            // keywords read but not modelled, first: a modelled value written below is then applied after them (vrrp_min_garp
            // only changes values still at their default, so an explicit value must follow it)
            lines.AddRange(g.OtherLines.Select(x => x.Text));
            if (g.ScriptUser is string su) lines.Add("script_user " + Q(su) + (g.ScriptGroup is string sg ? " " + Q(sg) : ""));
            if (g.EnableScriptSecurity) lines.Add("enable_script_security");
        }
        Val("vrrp_version", eff.VrrpVersion.ToString(CultureInfo.InvariantCulture), eff.VrrpVersion != d.VrrpVersion);
        Val("vrrp_mcast_group4", m4, m4 != d.MulticastGroup4);
        Val("vrrp_mcast_group6", m6, m6 != d.MulticastGroup6);
        Val("vrrp_startup_delay", N(startup), startup > 0);
        // a refresh repeat of 0 only comes from vrrp_min_garp (keepalived reads "…_refresh_repeat 0" as 1): written as that,
        // which also sets delay 0 and repeat 1; an explicit value after it wins
        if (eff.GarpMasterRefreshRepeat == 0) { lines.Add("vrrp_min_garp"); (d.GarpMasterDelay, d.GarpMasterRepeat, d.GarpMasterRefreshRepeat) = (0, 1, 0); }
        Val("vrrp_garp_master_delay", N(eff.GarpMasterDelay), eff.GarpMasterDelay != d.GarpMasterDelay);
        Val("vrrp_garp_master_repeat", N(eff.GarpMasterRepeat), eff.GarpMasterRepeat != d.GarpMasterRepeat);
        Val("vrrp_garp_master_refresh", N(eff.GarpMasterRefresh), eff.GarpMasterRefresh != d.GarpMasterRefresh);
        Val("vrrp_garp_master_refresh_repeat", N(eff.GarpMasterRefreshRepeat), eff.GarpMasterRefreshRepeat != d.GarpMasterRefreshRepeat);
        // unset, keepalived takes the lower-priority values from vrrp_garp_master_delay / _repeat
        Val("vrrp_garp_lower_prio_delay", N(eff.GarpLowerPriorityDelay), eff.GarpLowerPriorityDelay != eff.GarpMasterDelay);
        Val("vrrp_garp_lower_prio_repeat", N(eff.GarpLowerPriorityRepeat), eff.GarpLowerPriorityRepeat != eff.GarpMasterRepeat);
        Val("vrrp_lower_prio_no_advert", B(eff.LowerPriorityNoAdvert), eff.LowerPriorityNoAdvert); // reads true/false as written
        Val("vrrp_higher_prio_send_advert", B(eff.HigherPrioritySendAdvert), eff.HigherPrioritySendAdvert);
        // keepalived's global flags take no argument (any argument is ignored and the flag set): written only when on
        if (eff.Strict) lines.Add("vrrp_strict");
        if (eff.CheckUnicastSource) lines.Add("vrrp_check_unicast_src");
        if (eff.SkipCheckAdvertAddress) lines.Add("vrrp_skip_check_adv_addr");
        if (eff.V3ChecksumAsV2) lines.Add("v3_checksum_as_v2"); // keepalived 2.2.8+; 2.2.7 rejects it
        if (g is not null)
        {
            if (g.ProcessPriority != 0) lines.Add("vrrp_priority " + g.ProcessPriority.ToString(CultureInfo.InvariantCulture));
            if (g.RealtimePriority != 0) lines.Add("vrrp_rt_priority " + g.RealtimePriority.ToString(CultureInfo.InvariantCulture));
            if (g.RealtimeLimit != d.RealtimeLimit) lines.Add("vrrp_rlimit_rttime " + g.RealtimeLimit.ToString(CultureInfo.InvariantCulture));
            if (g.NoSwap) lines.Add("vrrp_no_swap");
        }
        if (lines.Count > 0) Block(sb, 0, "global_defs", lines);
        return eff;
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
        l.AddRange(g.OtherLines.Select(x => x.Text));
        Block(sb, 0, "vrrp_sync_group " + Q(g.Name), l);
    }

    internal static string Vip(VrrpVirtualAddress a)
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
        uint lifetime = v6 && a.PrefixLength == 128 ? 0 : uint.MaxValue; // keepalived's default
        if (v6 && a.PreferredLifetime != lifetime)
            s.Append(" preferred_lft ").Append(a.PreferredLifetime == uint.MaxValue ? "forever" : a.PreferredLifetime.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return s.ToString();
    }

    internal static string Ref(VrrpTrackRef r) => Q(r.Name) + (r.Weight is int w ? " weight " + w : "") + (r.Reverse ? " reverse" : "");
    internal static void Notify(List<string> l, string key, string? cmd, VrrpNotifyUser[]? users)
    {
        if (cmd is null) return;
        var u = (users ?? []).FirstOrDefault(x => x.Keyword == key);
        l.Add(key + " " + Q(cmd, force: true) + (u is null ? "" : " " + Q(u.User) + (u.Group is string g ? " " + Q(g) : "")));
    }
    internal static string B(bool b) => b ? "true" : "false";
    internal static string N(double d) => d.ToString("0.######", CultureInfo.InvariantCulture);

    internal static string Sub(string head, IEnumerable<string> lines) => head + " {\n" + string.Concat(lines.Select(x => "        " + x + "\n")) + "    }";

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
