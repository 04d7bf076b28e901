using System.Globalization;
using VrrpPS.Config;
using VrrpPS.Engine;
using VrrpPS.Protocol;

namespace VrrpPS.Cmdlets;

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
    private readonly List<string> _others = [];

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
            foreach (var o in result.Scripts.Cast<object>().Concat(result.TrackFiles).Concat(result.TrackProcesses)
                         .Concat(result.Instances).Concat(result.SyncGroups))
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
            case KeepalivedGlobalConfig: break; // its defaults are already applied to each instance
            case VrrpTrackFileConfig f: _others.Add($"track_file {f.Name} ({Where(f.SourceFile, f.SourceLine)})"); break;
            case VrrpTrackProcessConfig tp: _others.Add($"vrrp_track_process {tp.Name} ({Where(tp.SourceFile, tp.SourceLine)})"); break;
            case KeepalivedStaticConfig: break; // static_ipaddress/static_routes: the host's own, not VRRP's
            default:
                throw new VrrpEngineException("VrrpUnsupportedInputObject",
                    $"Start-VrrpInstance does not accept a {item.GetType().Name} from the pipeline; pipe Import-KeepalivedConfig output or use parameters.", item);
        }
    }

    public IEnumerable<InstanceDefinition> ToDefinitions()
    {
        foreach (var o in _others)
        {
            Warnings.Add($"{o} is parsed but not acted on yet.");
        }
        foreach (var g in _groups)
        {
            Warnings.Add($"vrrp_sync_group {g.Name} ({Where(g.SourceFile, g.SourceLine)}) is parsed but not acted on yet: its members run independently.");
        }
        return _instances.Select(ToDefinition).ToList();
    }

    private InstanceDefinition ToDefinition(VrrpInstanceConfig c)
    {
        string where = Where(c.SourceFile, c.SourceLine);
        foreach (var k in c.UnsupportedKeywords ?? [])
        {
            Warnings.Add($"({c.Name}) '{k}' at {where} is parsed but not acted on by VrrpPS yet.");
        }
        foreach (var t in c.TrackScript ?? [])
        {
            Warnings.Add($"({c.Name}) track_script '{t.Name}' at {where} is parsed but not acted on yet: the instance runs without it.");
        }
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
            UnicastPeers = (c.UnicastPeer ?? []).Select(p => AddressParser.Parse(p.Address, "unicast peer")).ToList(),
            SourceAddress = source is null ? default : AddressParser.Parse(source, "source address"),
            AuthenticationPassword = c.AuthenticationType == VrrpPS.Config.VrrpAuthType.Pass ? c.AuthenticationPassword : null,
            Preempt = !c.NoPreempt,
            PreemptDelaySeconds = c.PreemptDelay,
            InitialStateMaster = c.InitialState == VrrpInitialState.Master,
            ChecksumMode = c.V3ChecksumAsV2 ? V3ChecksumMode.NoPseudoHeader : V3ChecksumMode.PseudoHeader,
            LowerPriorityNoAdvert = c.LowerPriorityNoAdvert,
            Source = where,
            KeepalivedCompatible = true,
        };
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
