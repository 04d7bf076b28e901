namespace VrrpPS.Config;

/// <summary>`virtual_ipaddress` lines: ADDR[/MASK] [brd X] [dev X] [scope X] [label X] [peer X] [-nodad] [no_track] [preferred_lft N|forever] …</summary>
internal static class VirtualAddressBlock
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "home", "mngtmpaddr", "noprefixroute", "autojoin", "use_vmac", "nodad" };

    internal static VrrpVirtualAddress[] Block(ConfNode n, ConfigValues v)
    {
        var list = new List<VrrpVirtualAddress>();
        foreach (var line in n.Children ?? [])
            if (Line(line, v) is { } a) list.Add(a);
        return [.. list];
    }

    private static VrrpVirtualAddress? Line(ConfNode line, ConfigValues v)
    {
        string text = line.Keyword.Text;
        int slash = text.IndexOf('/');
        string addrText = slash >= 0 ? text[..slash] : text;
        if (v.Address(line, line.Keyword with { Text = addrText }) is not string addr) return null;
        int max = addr.Contains(':') ? 128 : 32;
        bool v6 = max == 128;
        if (Engine.VirtualAddressParser.PrefixError(slash >= 0 ? text[(slash + 1)..] : null, max, out int prefix) is { } why)
        { v.Diag.Error("KeepalivedInvalidAddress", line.File, line.Line, line.Keyword.Column, text, $"'{text}' {why}"); return null; }
        var a = new VrrpVirtualAddress { Address = addr, PrefixLength = prefix, SourceLine = line.Line };
        a.PreferredLifetime = v6 && a.PrefixLength == 128 ? 0 : uint.MaxValue; // keepalived's defaults
        for (int i = 0; i < line.Args.Count; i++)
        {
            var t = line.Args[i];
            string? Next() => i + 1 < line.Args.Count ? line.Args[++i].Text : Missing(t);
            string? Missing(ConfToken k) { v.Diag.Error("KeepalivedMissingValue", line.File, line.Line, k.Column, k.Text, $"'{k.Text}' needs a value."); return null; }
            switch (t.Text)
            {
                case "dev": a.Device = Next(); break;
                case "label": a.Label = Next(); break;
                case "scope": a.Scope = Next(); break;
                case "brd" or "broadcast": a.Broadcast = Next(); break;
                case "peer": a.Peer = Next(); break;
                case "-nodad": a.NoDad = true; break;
                case "no_track": a.NoTrack = true; break;
                case "preferred_lft":
                    // keepalived: forever or 0..2^32-1 seconds (2^32-1 is forever), read leniently; an IPv4 address ignores it
                    if (i + 1 >= line.Args.Count) { Missing(t); break; }
                    var lt = line.Args[++i];
                    if (lt.Text == "forever") a.PreferredLifetime = uint.MaxValue;
                    else if (v.Whole(new ConfNode { Keyword = t, File = line.File, Line = line.Line, Args = { lt } }, 0, uint.MaxValue) is long lft) a.PreferredLifetime = (uint)lft;
                    break;
                case "track_group": Next(); break;
                default:
                    if (!Flags.Contains(t.Text)) v.Diag.Unknown(line.File, line.Line, t.Column, t.Text, "virtual_ipaddress");
                    break;
            }
        }
        // keepalived 2.2.7 (vrrp_ipaddress.c) drops scope and label of an IPv6 address with a message
        if (v6 && (a.Scope is not null || a.Label is not null))
        {
            string what = a.Scope is not null && a.Label is not null ? "scope and label" : a.Scope is not null ? "scope" : "label";
            v.Diag.Warning("KeepalivedOptionIgnored", line.File, line.Line, line.Keyword.Column, text, $"an IPv6 address takes no {what}; ignored, as keepalived does.");
            (a.Scope, a.Label) = (null, null);
        }
        if (a.Peer is not null && a.Broadcast is not null)
        {
            v.Diag.Warning("KeepalivedOptionIgnored", line.File, line.Line, line.Keyword.Column, text, "an address with a peer takes no broadcast address; brd ignored, as keepalived does.");
            a.Broadcast = null;
        }
        return a;
    }
}

/// <summary>track_interface / track_script / track_file / track_process entries: NAME [weight W] [reverse|noreverse].</summary>
internal static class Tracks
{
    internal static VrrpTrackInterface[] Interfaces(ConfNode n, ConfigValues v) =>
        [.. (n.Children ?? []).Select(c => { var r = Ref(c, v, 253); return new VrrpTrackInterface { Name = r.Name, Weight = r.Weight ?? 0, Reverse = r.Reverse }; })];

    internal static VrrpTrackRef[] Refs(ConfNode n, ConfigValues v, int range) => [.. (n.Children ?? []).Select(c => Ref(c, v, range))];

    private static VrrpTrackRef Ref(ConfNode c, ConfigValues v, int range)
    {
        var r = new VrrpTrackRef { Name = c.Name };
        for (int i = 0; i < c.Args.Count; i++)
        {
            var t = c.Args[i];
            if (t.Text == "weight")
            {
                var sub = new ConfNode { Keyword = t, File = c.File, Line = c.Line };
                if (i + 1 < c.Args.Count) sub.Args.Add(c.Args[++i]);
                r.Weight = v.Weight(sub, range);
            }
            else if (t.Text == "reverse") r.Reverse = true;
            else if (t.Text == "noreverse") r.Reverse = false;
            else v.Diag.Unknown(c.File, c.Line, t.Column, t.Text, "a track entry");
        }
        return r;
    }
}

/// <summary>vrrp_script, vrrp_sync_group, track_file, vrrp_track_process and static_* sections.</summary>
internal static class SectionBuilders
{
    internal static VrrpRawLine[] Raw(ConfNode n) =>
        [.. (n.Children ?? []).Select(c => new VrrpRawLine { Text = string.Join(' ', new[] { c.Keyword }.Concat(c.Args).Select(Quote)), SourceLine = c.Line })];

    /// <summary>One keyword line as written (a block with its lines), for a keyword kept only to be written back.</summary>
    internal static VrrpRawLine Line(ConfNode n)
    {
        string text = string.Join(' ', new[] { n.Keyword }.Concat(n.Args).Select(Quote));
        if (n.Children is { } kids) text += " {\n" + string.Concat(kids.Select(k => "        " + Line(k).Text.Replace("\n", "\n    ") + "\n")) + "    }";
        return new VrrpRawLine { Text = text, SourceLine = n.Line };
    }

    private static string Quote(ConfToken t) => t.Text.Length == 0 || t.Text.Any(ch => char.IsWhiteSpace(ch) || ch is '#' or '!' or '{' or '}' or '"') ? "\"" + t.Text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : t.Text;

    // static_ipaddress lines have virtual_ipaddress syntax: parsed here so a bad address or prefix is an error at file:line:column.
    internal static KeepalivedStaticConfig Static(ConfNode n, ConfigValues v) => new()
    {
        Section = n.Name, Lines = Raw(n), SourceFile = n.File, SourceLine = n.Line,
        Addresses = n.Name == "static_ipaddress" ? VirtualAddressBlock.Block(n, v) : [],
    };

    internal static VrrpScriptConfig? Script(ConfNode node, ConfigValues v)
    {
        if (KeepalivedConfigReader.Name(node, v) is not string name) return null;
        var s = new VrrpScriptConfig { Name = name, SourceFile = node.File, SourceLine = node.Line };
        foreach (var n in node.Children!)
        {
            switch (n.Name)
            {
                case "script": s.Script = ConfigValues.Command(n); s.ScriptArguments = ConfigValues.SplitCommand(s.Script); break;
                case "interval": if (WholeSeconds(n, v) is int iv) s.Interval = iv; break;
                case "timeout": if (WholeSeconds(n, v) is int to) s.Timeout = to; break;
                case "weight":
                    if (v.Weight(n, 253) is int w) s.Weight = w;
                    s.Reverse = n.Args.Count > 1 && n.Args[1].Text == "reverse";
                    break;
                case "rise": s.Rise = (int)(v.Whole(n, 1, int.MaxValue, instead: "1") ?? 1); break; // keepalived: an invalid rise is 1
                case "fall": s.Fall = (int)(v.Whole(n, 1, int.MaxValue, instead: "1") ?? 1); break;
                case "user": if (v.Arg(n) is not null) (s.User, s.Group) = ConfigValues.UserGroup(n, 0); break;
                case "init_fail": s.InitFail = true; break;
                default: v.Diag.Unknown(n.File, n.Line, n.Keyword.Column, n.Name, $"vrrp_script {name}"); break;
            }
        }
        if (s.Script.Length == 0) { v.Diag.Error("KeepalivedMissingScript", node.File, node.Line, node.Keyword.Column, name, $"vrrp_script {name} has no 'script' line."); return null; }
        return s;
    }

    /// <summary>vrrp_script interval and timeout as the keepalived 2.2.7 daemon reads them (read_unsigned_strvec, errors
    /// ignored outside -t): whole seconds 0-4294 (UINT_MAX / TIMER_HZ); from anything else the leading digits are taken
    /// ("3.5" is 3 s, "x" is 0) with a message, a negative or larger value is ignored (the default stays); 0 becomes 1.
    /// keepalived -t exits non-zero for each of these, so each is a warning here.</summary>
    private static int? WholeSeconds(ConfNode n, ConfigValues v)
    {
        const uint Max = uint.MaxValue / 1000000;
        if (v.Arg(n) is not { } t) return null;
        string text = t.Text.TrimStart();
        if (uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint exact) && exact is > 0 and <= Max)
            return (int)exact;
        string digits = new([.. text.TrimStart('+').TakeWhile(char.IsAsciiDigit)]);
        bool ignored = text.StartsWith('-') || (digits.Length > 0 && (digits.Length > 10 || ulong.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) > Max));
        uint value = ignored || digits.Length == 0 ? 0 : uint.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        string meaning = ignored ? "ignored (the default stays)" : value == 0 ? "read as 1 second" : $"read as {value} s";
        v.Diag.Warning("KeepalivedOptionIgnored", n.File, n.Line, t.Column, t.Text, $"vrrp_script {n.Name} '{t.Text}' is not whole seconds 1-{Max}; {meaning}, as keepalived does.");
        return ignored ? null : (int)Math.Max(1, value);
    }

    internal static VrrpSyncGroupConfig? SyncGroup(ConfNode node, ConfigValues v)
    {
        if (KeepalivedConfigReader.Name(node, v) is not string name) return null;
        var g = new VrrpSyncGroupConfig { Name = name, SourceFile = node.File, SourceLine = node.Line };
        foreach (var n in node.Children!)
        {
            switch (n.Name)
            {
                case "group": g.Group = [.. (n.Children ?? []).SelectMany(c => new[] { c.Keyword }.Concat(c.Args)).Select(t => t.Text)]; break;
                case "track_script": g.TrackScript = Tracks.Refs(n, v, 253); break;
                case "track_interface": g.TrackInterface = Tracks.Interfaces(n, v); break;
                case "track_file": g.TrackFile = Tracks.Refs(n, v, 254); break;
                case "track_process": g.TrackProcess = Tracks.Refs(n, v, 254); break;
                case "notify_master": (g.NotifyMaster, g.NotifyUser) = ConfigValues.Notify(n, g.NotifyUser); break;
                case "notify_backup": (g.NotifyBackup, g.NotifyUser) = ConfigValues.Notify(n, g.NotifyUser); break;
                case "notify_fault": (g.NotifyFault, g.NotifyUser) = ConfigValues.Notify(n, g.NotifyUser); break;
                case "notify_stop": (g.NotifyStop, g.NotifyUser) = ConfigValues.Notify(n, g.NotifyUser); break;
                case "notify": (g.Notify, g.NotifyUser) = ConfigValues.Notify(n, g.NotifyUser); break;
                case "smtp_alert": g.SmtpAlert = v.Bool(n); break;
                // not modelled: kept as written for Export (keepalived 2.2.7 has no notify_deleted here: unknown, as there)
                case "global_tracking" or "sync_group_tracking_weight" or "track_bfd" or "notify_priority_changes": g.OtherLines = [.. g.OtherLines, Line(n)]; break;
                default: v.Diag.Unknown(n.File, n.Line, n.Keyword.Column, n.Name, $"vrrp_sync_group {name}"); break;
            }
        }
        return g;
    }

    internal static VrrpTrackFileConfig? TrackFile(ConfNode node, ConfigValues v)
    {
        if (KeepalivedConfigReader.Name(node, v) is not string name) return null;
        var f = new VrrpTrackFileConfig { Name = name, SourceFile = node.File, SourceLine = node.Line };
        foreach (var n in node.Children!)
        {
            switch (n.Name)
            {
                case "file": f.File = v.Arg(n)?.Text ?? ""; break;
                case "weight":
                    if (v.Int(n, int.MinValue + 1, int.MaxValue) is int w) f.Weight = w;
                    f.Reverse = n.Args.Count > 1 && n.Args[1].Text == "reverse";
                    break;
                case "init_file": f.InitFile = n.Args.Count > 0 && int.TryParse(n.Args[0].Text, out int iv) ? iv : 0; break;
                default: v.Diag.Unknown(n.File, n.Line, n.Keyword.Column, n.Name, $"track_file {name}"); break;
            }
        }
        return f;
    }

    internal static VrrpTrackProcessConfig? TrackProcess(ConfNode node, ConfigValues v)
    {
        if (KeepalivedConfigReader.Name(node, v) is not string name) return null;
        var p = new VrrpTrackProcessConfig { Name = name, SourceFile = node.File, SourceLine = node.Line };
        foreach (var n in node.Children!)
        {
            switch (n.Name)
            {
                case "process":
                    p.Process = v.Arg(n)?.Text ?? ""; p.Parameters = [.. n.Args.Skip(1).Select(a => a.Text)];
                    if (p.Parameters.Length > 0) p.FullCommand = true; // keepalived: parameters are matched on the command line
                    break;
                case "weight":
                    if (v.Int(n, -254, 254) is int w) p.Weight = w;
                    p.Reverse = n.Args.Count > 1 && n.Args[1].Text == "reverse";
                    break;
                case "quorum":
                    if (v.Int(n, 1, 65535) is not int q) break;
                    if (p.QuorumMax is int max && q > max) { v.Diag.Error("KeepalivedInvalidQuorum", n.File, n.Line, n.Args[0].Column, n.Args[0].Text, $"quorum {q} is greater than quorum_max {max}: ignored (as keepalived does)."); break; }
                    p.Quorum = q;
                    break;
                case "quorum_max":
                    if (v.Int(n, 0, 65535) is not int qm) break;
                    // keepalived: quorum_max 0 (the process must not run) is allowed while quorum is the default 1.
                    if ((qm != 0 || p.Quorum > 1) && qm < p.Quorum) { v.Diag.Error("KeepalivedInvalidQuorum", n.File, n.Line, n.Args[0].Column, n.Args[0].Text, $"quorum_max {qm} is less than quorum {p.Quorum}: ignored (as keepalived does)."); break; }
                    p.QuorumMax = qm;
                    if (qm == 0) p.Quorum = 0;
                    break;
                case "delay": if (v.Timer(n, 0, 3600) is double d) { p.ForkDelay = d; p.TerminateDelay = d; } break;
                case "fork_delay": if (v.Timer(n, 0, 3600) is double fd) p.ForkDelay = fd; break;
                case "terminate_delay": if (v.Timer(n, 0, 3600) is double td) p.TerminateDelay = td; break;
                case "full_command": p.FullCommand = true; break;
                case "param_match":
                    p.FullCommand = true;
                    switch (n.Args.Count == 0 ? "exact" : n.Args[0].Text)
                    {
                        case "exact": p.ParamMatch = VrrpParamMatch.Exact; break;
                        case "partial": p.ParamMatch = VrrpParamMatch.Partial; break;
                        case "initial": p.ParamMatch = VrrpParamMatch.Initial; break;
                        default: v.Diag.Error("KeepalivedInvalidValue", n.File, n.Line, n.Args[0].Column, n.Args[0].Text, $"param_match must be 'initial' or 'partial' (or nothing for an exact match), not '{n.Args[0].Text}'."); break;
                    }
                    break;
                default: v.Diag.Unknown(n.File, n.Line, n.Keyword.Column, n.Name, $"vrrp_track_process {name}"); break;
            }
        }
        return p;
    }
}
