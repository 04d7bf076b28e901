namespace VrrpPS.Config;

/// <summary>Entry point: keepalived.conf → typed VRRP configuration with located diagnostics.</summary>
public static class KeepalivedConfigReader
{
    private static readonly HashSet<string> SkippedSections = new(StringComparer.Ordinal)
    {
        "virtual_server", "virtual_server_group", "real_server", "bfd_instance", "linkbeat_interfaces", "SSL",
        "garp_group", "interface_up_down_delays", "static_track_group", "net_namespace", "net_namespace_ipvs",
    };

    /// <summary>Reads <paramref name="path"/> (and its includes) with keepalived's defaults applied.</summary>
    public static KeepalivedParseResult Read(string path, KeepalivedReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var diag = new DiagnosticSink { Strict = options.Strict };
        string configId = options.ConfigId ?? ShortHostName();
        var pre = new KeepalivedPreprocessor(configId, options.MaxLines, diag);
        var lines = pre.Run(path);
        var tree = KeepalivedSyntax.Parse(lines, diag);
        var result = new KeepalivedParseResult();
        var values = new ConfigValues(diag);
        var instances = new List<VrrpInstanceConfig>(); var scripts = new List<VrrpScriptConfig>();
        var syncs = new List<VrrpSyncGroupConfig>(); var tfiles = new List<VrrpTrackFileConfig>();
        var tprocs = new List<VrrpTrackProcessConfig>(); var statics = new List<KeepalivedStaticConfig>();
        var instanceNodes = new List<ConfNode>();
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in tree)
        {
            switch (node.Name)
            {
                case "global_defs": GlobalBuilder.Apply(node, result.Global, values); break;
                case "vrrp_instance": instanceNodes.Add(node); break;
                case "vrrp_script": Add(scripts, SectionBuilders.Script(node, values), node, values); break;
                case "vrrp_sync_group": Add(syncs, SectionBuilders.SyncGroup(node, values), node, values); break;
                case "track_file" or "vrrp_track_file": Add(tfiles, SectionBuilders.TrackFile(node, values), node, values); break;
                case "vrrp_track_process": Add(tprocs, SectionBuilders.TrackProcess(node, values), node, values); break;
                case "static_ipaddress" or "static_routes" or "static_rules": statics.Add(SectionBuilders.Static(node, values)); break;
                default:
                    if (SkippedSections.Contains(node.Name))
                    {
                        if (skipped.Add(node.Name))
                            diag.Info("KeepalivedSectionSkipped", node.File, node.Line, node.Keyword.Column, node.Name,
                                $"'{node.Name}' sections are not VRRP and are ignored by VrrpPS (keepalived's checker/LVS/BFD side).");
                    }
                    else diag.Unknown(node.File, node.Line, node.Keyword.Column, node.Name, "the top level");
                    break;
            }
        }
        // instances after global_defs wherever it appears: keepalived applies global defaults when completing instances
        foreach (var node in instanceNodes) Add(instances, InstanceBuilder.Build(node, result.Global, values), node, values);
        InstanceBuilder.CheckReferences(instances, scripts, tfiles, tprocs, syncs, diag);
        RulePreferenceCheck.Check(tree, diag);
        // keepalived 2.2.7 -t: SECURITY VIOLATION when tracked vrrp_scripts would run without enable_script_security (plain notify lines alone pass)
        bool runsScripts = instances.Any(i => i.TrackScript.Length > 0) || syncs.Any(g => g.TrackScript.Length > 0);
        if (runsScripts && !result.Global.EnableScriptSecurity)
            diag.Warning("KeepalivedScriptSecurity", System.IO.Path.GetFullPath(path), 1, 1, "enable_script_security",
                "scripts are configured but global_defs has no enable_script_security; keepalived refuses to check script ownership — add enable_script_security (and script_user).");
        bool defaultUserExists = File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(l => l.StartsWith("keepalived_script:", StringComparison.Ordinal));
        if (result.Global.EnableScriptSecurity && result.Global.ScriptUser is null && !defaultUserExists)
            foreach (var s in scripts.Where(s => s.User is null))
                diag.Warning("KeepalivedScriptUser", s.SourceFile, s.SourceLine, 1, s.Name, $"vrrp_script {s.Name} has no user and user keepalived_script does not exist; set script_user in global_defs or user in the script.");
        foreach (var g in syncs.Where(g => g.Group.Length < 2))
            diag.Warning("KeepalivedSyncGroupSingle", g.SourceFile, g.SourceLine, 1, g.Name, $"vrrp_sync_group {g.Name} has {g.Group.Length} instance(s); a sync group needs at least two.");
        result.Instances = [.. instances]; result.Scripts = [.. scripts]; result.SyncGroups = [.. syncs];
        result.TrackFiles = [.. tfiles]; result.TrackProcesses = [.. tprocs]; result.Statics = [.. statics];
        result.Global.ConfigPath = System.IO.Path.GetFullPath(path);
        result.Global.Includes = [.. pre.Includes];
        result.Diagnostics = [.. diag.Items];
        return result;
    }

    private static void Add<T>(List<T> list, T? item, ConfNode node, ConfigValues values) where T : class
    {
        if (item is null) return;
        string name = (string)typeof(T).GetProperty("Name")!.GetValue(item)!;
        if (list.Any(x => (string)typeof(T).GetProperty("Name")!.GetValue(x)! == name))
        {
            values.Diag.Error("KeepalivedDuplicateName", node.File, node.Line, node.Args.Count > 0 ? node.Args[0].Column : node.Keyword.Column, name,
                $"{node.Name} '{name}' is already defined; rename one of them.");
            return;
        }
        list.Add(item);
    }

    /// <summary>keepalived's default config-id: the node name up to the first dot.</summary>
    public static string ShortHostName()
    {
        string host = Environment.MachineName;
        try { host = File.ReadAllText("/proc/sys/kernel/hostname").Trim(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        int dot = host.IndexOf('.');
        return dot > 0 ? host[..dot] : host;
    }

    internal static string? Name(ConfNode node, ConfigValues values)
    {
        if (node.Args.Count == 0) { values.Diag.Error("KeepalivedMissingName", node.File, node.Line, node.Keyword.Column, node.Name, $"'{node.Name}' needs a name."); return null; }
        if (node.Children is null) { values.Diag.Error("KeepalivedConfigSyntax", node.File, node.Line, node.Keyword.Column, node.Name, $"'{node.Name} {node.Args[0].Text}' needs a '{{ }}' block."); return null; }
        return node.Args[0].Text;
    }
}
