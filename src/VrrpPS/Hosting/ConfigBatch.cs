using System.Globalization;
using VrrpPS.Config;
using VrrpPS.Engine.Notify;
using VrrpPS.Engine.Tracking;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Hosting;

/// <summary>
/// Collects the objects Import-KeepalivedConfig emits (instances, scripts, sync groups…) and
/// turns the instances into engine definitions, binding scripts and groups by name.
/// Keywords the engine does not act on yet are reported as warnings, never silently ignored.
/// </summary>
internal sealed class ConfigBatch
{
    private readonly List<VrrpInstanceConfig> _instances = [];
    private readonly Dictionary<string, VrrpScriptConfig> _scripts = new(StringComparer.Ordinal);
    private readonly List<VrrpSyncGroupConfig> _groups = [];
    private readonly Dictionary<string, VrrpTrackFileConfig> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VrrpTrackProcessConfig> _processes = new(StringComparer.Ordinal);
    private readonly List<KeepalivedStaticConfig> _statics = [];
    private KeepalivedGlobalConfig? _global;

    public List<string> Warnings { get; } = [];

    /// <summary>The files (and config ids) the instances came from, for a reload (SIGHUP).</summary>
    public IReadOnlyList<(string Path, string? ConfigId)> Sources =>
        _instances.Where(i => i.ConfigPath is not null).Select(i => (i.ConfigPath!, i.ConfigId)).Distinct().ToList();

    /// <summary>Re-reads the source files into a new batch; null (with errors) when a file has errors.</summary>
    public static ConfigBatch? Reread(IReadOnlyList<(string Path, string? ConfigId)> sources, List<string> errors)
    {
        var batch = new ConfigBatch();
        foreach (var (path, id) in sources)
        {
            var result = KeepalivedConfigReader.Read(path, new KeepalivedReadOptions { ConfigId = id });
            foreach (var d in result.Diagnostics.Where(d => d.Severity == ConfigDiagnosticSeverity.Error))
            {
                errors.Add($"{d.File}:{d.Line}:{d.Column}: {d.ErrorId}: {d.Message}");
            }
            if (result.HasErrors)
            {
                continue;
            }
            if (result.Global.SourceFile is not null)
            {
                batch.Add(result.Global); // as Import-KeepalivedConfig emits it: only when the file has global_defs
            }
            foreach (var o in result.Scripts.Cast<object>().Concat(result.TrackFiles).Concat(result.TrackProcesses)
                         .Concat(result.Instances).Concat(result.SyncGroups).Concat(result.Statics))
            {
                if (o is VrrpInstanceConfig i)
                {
                    i.ConfigPath = path;
                    i.ConfigId = id;
                }
                batch.Add(o);
            }
        }
        return errors.Count == 0 ? batch : null;
    }

    public void Add(object item)
    {
        switch (item)
        {
            case VrrpInstanceConfig i: _instances.Add(i); break;
            case VrrpScriptConfig s: _scripts[s.Name] = s; break;
            case VrrpSyncGroupConfig g: _groups.Add(g); break;
            case KeepalivedGlobalConfig g: _global = g; break; // script_user, vrrp_notify_fifo; other defaults are already applied
            case VrrpTrackFileConfig f: _files[f.Name] = f; break;
            case VrrpTrackProcessConfig tp: _processes[tp.Name] = tp; break;
            case KeepalivedStaticConfig s: _statics.Add(s); break;
            default:
                throw new VrrpEngineException("VrrpUnsupportedInputObject",
                    $"Start-VrrpInstance does not accept a {item.GetType().Name} from the pipeline; pipe Import-KeepalivedConfig output or use parameters.", item);
        }
    }

    /// <summary>The engine thread's scheduling: global_defs vrrp_rt_priority / vrrp_priority / vrrp_rlimit_rttime / vrrp_no_swap,
    /// overridden by -RealtimePriority and -NoSwap; null when everything is keepalived's default (nothing to apply).</summary>
    public EngineSchedulingOptions? Scheduling(int realtimePriority, bool noSwap)
    {
        var o = new EngineSchedulingOptions
        {
            RealtimePriority = realtimePriority > 0 ? realtimePriority : _global?.RealtimePriority ?? 0,
            Nice = _global?.ProcessPriority ?? 0,
            RealtimeLimitMicroseconds = _global?.RealtimeLimit ?? 10000,
            NoSwap = noSwap || (_global?.NoSwap ?? false),
        };
        return o.IsDefault ? null : o;
    }

    public IEnumerable<InstanceDefinition> ToDefinitions() => _instances.Select(ToDefinition).ToList();

    /// <summary>
    /// The static_ipaddress / static_routes / static_rules lines as engine entries; a line VrrpPS cannot install
    /// throws VrrpStaticConfigInvalid naming file:line (keepalived refuses to start on such a line too).
    /// </summary>
    public IReadOnlyList<StaticNetworkEntry> StaticEntries()
    {
        var entries = new List<StaticNetworkEntry>();
        foreach (var s in _statics)
        {
            if (s.Section == "static_ipaddress")
            {
                foreach (var a in s.Addresses)
                {
                    string where = Where(s.SourceFile, a.SourceLine);
                    entries.Add(new StaticNetworkEntry
                    {
                        Address = ToSpec(a) with { Device = a.Device ?? throw Invalid(where, $"static_ipaddress '{a.Address}/{a.PrefixLength}' names no interface (dev)") },
                        Source = where,
                    });
                }
                continue;
            }
            foreach (var line in s.Lines)
            {
                string where = Where(s.SourceFile, line.SourceLine);
                try
                {
                    entries.Add(new StaticNetworkEntry { Route = VirtualRouteSpec.Parse(line.Text, s.Section == "static_rules"), Source = where });
                }
                catch (Exception ex) when (ex is FormatException or OverflowException)
                {
                    throw Invalid(where, $"{s.Section} line '{line.Text}': {ex.Message}");
                }
            }
        }
        return entries;
    }

    private static VrrpEngineException Invalid(string where, string what) =>
        new("VrrpStaticConfigInvalid", $"{where}: {what}; nothing was started or installed.", where);

    /// <summary>keepalived: a script without `user` runs as global script_user (else root here).</summary>
    private TrackScriptDefinition? Script(VrrpInstanceConfig c, VrrpTrackRef r, string where)
    {
        if (!_scripts.TryGetValue(r.Name, out var s))
        {
            Warnings.Add($"({c.Name}) track_script '{r.Name}' at {where} names no vrrp_script: ignored (as keepalived does).");
            return null;
        }
        return new TrackScriptDefinition
        {
            Name = s.Name,
            Command = s.ScriptArguments.Length > 0 ? s.ScriptArguments : ConfigValues.SplitCommand(s.Script),
            IntervalSeconds = s.Interval,
            TimeoutSeconds = s.Timeout,
            Rise = s.Rise,
            Fall = s.Fall,
            Weight = r.Weight ?? s.Weight,
            Reverse = r.Reverse || s.Reverse,
            InitFail = s.InitFail,
            User = RunAs(s.User, s.Group)?.User,
            Group = RunAs(s.User, s.Group)?.Group,
        };
    }

    private TrackFileDefinition? File(VrrpInstanceConfig c, VrrpTrackRef r, string where)
    {
        if (!_files.TryGetValue(r.Name, out var f))
        {
            Warnings.Add($"({c.Name}) track_file '{r.Name}' at {where} names no track_file block: ignored.");
            return null;
        }
        return new TrackFileDefinition
        {
            Name = f.Name, Path = f.File, Weight = r.Weight ?? f.Weight, Reverse = r.Reverse || f.Reverse, InitialValue = f.InitFile ?? 0,
        };
    }

    /// <summary>keepalived: a track_process reference's weight overrides the block's; reverse from either.</summary>
    private TrackProcessDefinition? Process(VrrpInstanceConfig c, VrrpTrackRef r, string where)
    {
        if (!_processes.TryGetValue(r.Name, out var p))
        {
            Warnings.Add($"({c.Name}) track_process '{r.Name}' at {where} names no vrrp_track_process: ignored.");
            return null;
        }
        return new TrackProcessDefinition
        {
            Name = p.Name,
            Process = p.Process,
            Parameters = p.Parameters,
            MatchParameters = p.ParamMatch is not null || p.Parameters.Length > 0,
            ParameterMatch = p.ParamMatch switch
            {
                VrrpParamMatch.Partial => ProcessParameterMatch.Partial,
                VrrpParamMatch.Initial => ProcessParameterMatch.Initial,
                _ => ProcessParameterMatch.Exact,
            },
            FullCommand = p.FullCommand,
            Quorum = p.Quorum,
            QuorumMax = p.QuorumMax ?? int.MaxValue,
            Weight = r.Weight ?? p.Weight,
            Reverse = r.Reverse || p.Reverse,
            ForkDelaySeconds = p.ForkDelay,
            TerminateDelaySeconds = p.TerminateDelay,
        };
    }

    /// <summary>
    /// Who a track script or notify program runs as, as keepalived decides: the user (and group) written
    /// with it, else global_defs script_user, else user keepalived_script when it exists, else root (null).
    /// </summary>
    private ProgramUser? RunAs(string? user, string? group) =>
        user is not null ? new ProgramUser(user, group)
        : _global?.ScriptUser is string su ? new ProgramUser(su, _global.ScriptGroup)
        : Engine.Tracking.ScriptAccounts.Exists(Engine.Tracking.ScriptAccounts.DefaultUser) ? new ProgramUser(Engine.Tracking.ScriptAccounts.DefaultUser)
        : null;

    private NotifyDefinition? Notify(VrrpNotifyUser[]? users, string? master, string? backup, string? fault, string? stop, string? any, string? masterRxLowerPriority = null)
    {
        var fifo = _global?.VrrpNotifyFifo ?? _global?.NotifyFifo;
        ProgramUser? User(string keyword, string? command) =>
            command is null ? null : (users ?? []).FirstOrDefault(u => u.Keyword == keyword) is { } u ? RunAs(u.User, u.Group) : RunAs(null, null);
        var n = new NotifyDefinition
        {
            Master = Split(master), Backup = Split(backup), Fault = Split(fault), Stop = Split(stop), Any = Split(any), FifoPath = fifo,
            MasterRxLowerPriority = Split(masterRxLowerPriority),
            MasterUser = User("notify_master", master), BackupUser = User("notify_backup", backup), FaultUser = User("notify_fault", fault),
            StopUser = User("notify_stop", stop), AnyUser = User("notify", any), MasterRxLowerPriorityUser = User("notify_master_rx_lower_pri", masterRxLowerPriority),
        };
        return n.IsEmpty ? null : n;
    }

    // A line VrrpPS cannot install is named with file:line and skipped; the others still are.
    private IEnumerable<VirtualRouteSpec> Routes(VrrpInstanceConfig c, VrrpRawLine[] lines, bool rule)
    {
        foreach (var line in lines)
        {
            VirtualRouteSpec? spec = null;
            try
            {
                spec = VirtualRouteSpec.Parse(line.Text, rule);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                Warnings.Add($"({c.Name}) {(rule ? "virtual_rules" : "virtual_routes")} line at {Where(c.SourceFile, line.SourceLine)} is not installed: {ex.Message}");
            }
            if (spec is not null)
            {
                yield return spec;
            }
        }
    }

    private static string[]? Split(string? command) => command is null ? null : ConfigValues.SplitCommand(command);

    private InstanceDefinition ToDefinition(VrrpInstanceConfig c)
    {
        string where = Where(c.SourceFile, c.SourceLine);
        foreach (var k in c.UnsupportedKeywords ?? [])
        {
            Warnings.Add($"({c.Name}) '{k}' at {where} is parsed but not acted on by VrrpPS yet.");
        }
        var group = _groups.FirstOrDefault(g => g.Group.Contains(c.Name, StringComparer.Ordinal));
        // keepalived applies a sync group's track_* to every member.
        var scriptRefs = (c.TrackScript ?? []).Concat(group?.TrackScript ?? []);
        var interfaces = (c.TrackInterface ?? []).Concat(group?.TrackInterface ?? []);
        var fileRefs = (c.TrackFile ?? []).Concat(group?.TrackFile ?? []);
        var processRefs = (c.TrackProcess ?? []).Concat(group?.TrackProcess ?? []);
        var version = c.Version == 2 ? VrrpVersion.V2 : VrrpVersion.V3;
        string? source = c.UnicastSourceAddress ?? c.MulticastSourceAddress;
        return new InstanceDefinition
        {
            Name = c.Name,
            InterfaceName = c.Interface,
            VirtualRouterId = c.VirtualRouterId,
            Priority = c.Priority,
            Version = version,
            AdvertisementIntervalCentiseconds = (int)Math.Round(c.AdvertisementInterval * 100),
            VirtualAddresses = (c.VirtualIPAddress ?? []).Select(ToSpec).ToList(),
            ExcludedAddresses = (c.VirtualIPAddressExcluded ?? []).Select(ToSpec).ToList(),
            UnicastPeers = (c.UnicastPeer ?? []).Select(p => AddressParser.Parse(p.Address, "unicast peer")).ToList(),
            SourceAddress = source is null ? default : AddressParser.Parse(source, "source address"),
            AuthenticationPassword = c.AuthenticationType == VrrpPS.Protocol.VrrpAuthType.Pass ? c.AuthenticationPassword : null,
            Preempt = !c.NoPreempt,
            PreemptDelaySeconds = c.PreemptDelay,
            ChecksumMode = c.V3ChecksumAsV2 ? V3ChecksumMode.NoPseudoHeader
                : c.OldUnicastChecksum == VrrpUnicastChecksum.Old ? V3ChecksumMode.PseudoHeaderMulticastGroup : V3ChecksumMode.PseudoHeader,
            LowerPriorityNoAdvert = c.LowerPriorityNoAdvert,
            GarpRepeat = c.GarpMasterRepeat,
            GarpSecondBurstDelaySeconds = c.GarpMasterDelay,
            GarpRefreshSeconds = c.GarpMasterRefresh,
            GarpRefreshRepeat = c.GarpMasterRefreshRepeat,
            GarpLowerPriorityDelaySeconds = c.GarpLowerPriorityDelay,
            GarpLowerPriorityRepeat = c.GarpLowerPriorityRepeat,
            MulticastGroup = MulticastGroup(c),
            SkipAddressListCheck = c.SkipCheckAdvertAddress,
            HigherPrioritySendAdvert = c.HigherPrioritySendAdvert,
            StartupDelaySeconds = c.StartupDelay,
            Source = where,
            KeepalivedCompatible = true,
            TrackScripts = scriptRefs.Select(r => Script(c, r, where)).OfType<TrackScriptDefinition>().ToList(),
            TrackInterfaces = interfaces.Select(i => new TrackInterfaceDefinition { InterfaceName = i.Name, Weight = i.Weight, Reverse = i.Reverse }).ToList(),
            TrackFiles = fileRefs.Select(r => File(c, r, where)).OfType<TrackFileDefinition>().ToList(),
            TrackProcesses = processRefs.Select(r => Process(c, r, where)).OfType<TrackProcessDefinition>().ToList(),
            DontTrackPrimary = c.DontTrackPrimary,
            AcceptMode = c.Accept ?? true,
            UseVirtualMac = c.UseVmac,
            VirtualMacName = c.VmacName,
            VirtualMacTransmitBase = c.UseVmac && c.VmacXmitBase,
            VirtualRoutes = Routes(c, c.VirtualRoutes, rule: false).Concat(Routes(c, c.VirtualRules, rule: true)).ToList(),
            SyncGroup = group?.Name,
            SyncGroupNotify = group is null ? null : Notify(group.NotifyUser, group.NotifyMaster, group.NotifyBackup, group.NotifyFault, group.NotifyStop, group.Notify),
            Notify = Notify(c.NotifyUser, c.NotifyMaster, c.NotifyBackup, c.NotifyFault, c.NotifyStop, c.Notify, c.NotifyMasterRxLowerPriority),
            // keepalived enable_script_security; without a global_defs object (parameters, a filtered pipeline) enforced.
            EnforceScriptSecurity = _global?.EnableScriptSecurity ?? true,
        };
    }

    /// <summary>vrrp_mcast_group4/6 of the instance's family (the global value reaches the instance); empty = the RFC group.</summary>
    private static IpAddressValue MulticastGroup(VrrpInstanceConfig c)
    {
        bool v6 = (c.VirtualIPAddress ?? []).FirstOrDefault()?.Address.Contains(':') == true;
        string? group = v6 ? c.MulticastGroup6 : c.MulticastGroup4;
        return group is null ? default : AddressParser.Parse(group, v6 ? "vrrp_mcast_group6" : "vrrp_mcast_group4");
    }

    private static VirtualAddressSpec ToSpec(VrrpVirtualAddress v) =>
        new(AddressParser.Parse(v.Address, "virtual IP address"), v.PrefixLength)
        {
            Label = v.Label,
            Device = v.Device,
            Scope = ParseScope(v.Scope),
            Broadcast = v.Broadcast is null ? null : AddressParser.Parse(v.Broadcast, "broadcast address"),
            Peer = v.Peer is null ? null : AddressParser.Parse(v.Peer, "peer address"),
            Deprecated = v.PreferredLifetimeZero,
        };

    private static byte ParseScope(string? scope) => scope?.ToLowerInvariant() switch
    {
        null or "" or "global" or "universe" => 0,
        "site" => 200,
        "link" => 253,
        "host" => 254,
        "nowhere" => 255,
        var s when byte.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out byte b) => b,
        var s => throw new VrrpEngineException(AddressParser.InvalidAddressErrorId, $"Unknown address scope '{s}'.", s),
    };

    private static string Where(string? file, int line) => file is null ? "pipeline" : $"{file}:{line}";
}
