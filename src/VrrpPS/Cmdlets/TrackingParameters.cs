using System.Management.Automation;
using VrrpPS.Config;
using VrrpPS.Engine;

namespace VrrpPS.Cmdlets;

/// <summary>
/// One -TrackScript entry. Written as a hashtable, which PowerShell converts to this type while
/// binding (an unknown key is a binding error, so typos are caught):
/// @{ Name='api'; ScriptBlock={ ... }; Interval=5; Timeout=2; Rise=5; Fall=2; Weight=-60 }
/// or a program run with an argument array: @{ Name='api'; Command='/usr/bin/curl','-fsS','http://127.0.0.1:8080/'; Weight=-60 }.
/// </summary>
public sealed class VrrpTrackScript
{
    public string Name { get; set; } = string.Empty;
    public ScriptBlock? ScriptBlock { get; set; }
    public string[]? Command { get; set; }
    public double Interval { get; set; } = 1;
    public double Timeout { get; set; }
    public int Rise { get; set; } = 1;
    public int Fall { get; set; } = 1;
    public int Weight { get; set; }
    public bool Reverse { get; set; }
    public bool InitFail { get; set; }
    public string? User { get; set; }
    public string? Group { get; set; }

    internal TrackScriptDefinition ToDefinition(string instance)
    {
        if (string.IsNullOrWhiteSpace(Name) || (ScriptBlock is null) == (Command is null or { Length: 0 }))
        {
            throw new VrrpEngineException(EngineErrorIds.InvalidTrackScript,
                $"({instance}) each -TrackScript needs a Name and exactly one of ScriptBlock or Command.", Name);
        }
        if (Interval <= 0 || Timeout < 0 || Rise < 1 || Fall < 1)
        {
            throw new VrrpEngineException(EngineErrorIds.InvalidTrackScript,
                $"({instance}) track script {Name}: Interval must be > 0, Timeout >= 0, Rise and Fall >= 1.", Name);
        }
        return new TrackScriptDefinition
        {
            Name = Name,
            Command = Command,
            ScriptBlockText = ScriptBlock?.ToString(), // re-created from text in the engine runspace
            IntervalSeconds = Interval,
            TimeoutSeconds = Timeout,
            Rise = Rise,
            Fall = Fall,
            Weight = Weight,
            Reverse = Reverse,
            InitFail = InitFail,
            User = User,
            Group = Group,
        };
    }
}

/// <summary>One -TrackFile entry: @{ Name='maint'; Path='/run/vrrp/maint'; Weight=-1 }.</summary>
public sealed class VrrpTrackFile
{
    public string Name { get; set; } = string.Empty;
    public string Path { get; set; } = string.Empty;
    public int Weight { get; set; } = 1;
    public bool Reverse { get; set; }
    public long InitialValue { get; set; }

    internal TrackFileDefinition ToDefinition() => new()
    {
        Name = string.IsNullOrEmpty(Name) ? Path : Name, Path = Path, Weight = Weight, Reverse = Reverse, InitialValue = InitialValue,
    };
}

/// <summary>
/// One -TrackProcess entry (keepalived vrrp_track_process):
/// @{ Name='haproxy'; Process='haproxy'; Weight=-60 } or, matching the command line,
/// @{ Name='nginx'; Process='/usr/sbin/nginx'; Parameters='-c','/etc/nginx/nginx.conf'; ParameterMatch='Partial'; Quorum=2 }.
/// </summary>
public sealed class VrrpTrackProcess
{
    public string Name { get; set; } = string.Empty;
    public string Process { get; set; } = string.Empty;
    public string[]? Parameters { get; set; }
    public ProcessParameterMatch? ParameterMatch { get; set; }
    public bool FullCommand { get; set; }
    public int Quorum { get; set; } = 1;
    public int? QuorumMax { get; set; }
    public int Weight { get; set; }
    public bool Reverse { get; set; }
    public double ForkDelay { get; set; }
    public double TerminateDelay { get; set; }

    internal TrackProcessDefinition ToDefinition(string instance)
    {
        if (string.IsNullOrWhiteSpace(Process) || ForkDelay < 0 || TerminateDelay < 0)
        {
            throw new VrrpEngineException(EngineErrorIds.InvalidTrackProcess,
                $"({instance}) each -TrackProcess needs a Process (the process name, or the program path with FullCommand/Parameters); delays must not be negative.", Name);
        }
        bool parameters = Parameters is { Length: > 0 } || ParameterMatch is not null;
        return new TrackProcessDefinition
        {
            Name = string.IsNullOrEmpty(Name) ? Process : Name,
            Process = Process,
            Parameters = Parameters ?? [],
            MatchParameters = parameters,
            ParameterMatch = ParameterMatch ?? ProcessParameterMatch.Exact,
            FullCommand = FullCommand || parameters,
            Quorum = QuorumMax == 0 ? 0 : Quorum,
            QuorumMax = QuorumMax ?? int.MaxValue,
            Weight = Weight,
            Reverse = Reverse,
            ForkDelaySeconds = ForkDelay,
            TerminateDelaySeconds = TerminateDelay,
        };
    }
}

internal static class TrackingParameterBuilder
{
    public static InstanceDefinition Apply(StartVrrpInstanceCommand c, InstanceDefinition d) => d with
    {
        TrackScripts = (c.TrackScript ?? []).Select(t => t.ToDefinition(d.Name)).ToList(),
        TrackInterfaces = (c.TrackInterface ?? []).Select(i => new TrackInterfaceDefinition { InterfaceName = i.Name, Weight = i.Weight, Reverse = i.Reverse }).ToList(),
        TrackFiles = (c.TrackFile ?? []).Select(f => f.ToDefinition()).ToList(),
        TrackProcesses = (c.TrackProcess ?? []).Select(p => p.ToDefinition(d.Name)).ToList(),
        DontTrackPrimary = c.DontTrackPrimary,
        SyncGroup = string.IsNullOrEmpty(c.SyncGroup) ? null : c.SyncGroup,
        Notify = Nullify(new NotifyDefinition
        {
            Master = c.NotifyMaster, Backup = c.NotifyBackup, Fault = c.NotifyFault, Stop = c.NotifyStop, Any = c.Notify, FifoPath = c.NotifyFifo,
        }),
    };

    /// <summary>-OnMaster/-OnBackup/-OnFault/-OnStop and -NotifyTimeout apply to every instance of the call.</summary>
    public static InstanceDefinition ApplyActions(StartVrrpInstanceCommand c, InstanceDefinition d)
    {
        if (c.OnMaster is null && c.OnBackup is null && c.OnFault is null && c.OnStop is null && !c.MyInvocation.BoundParameters.ContainsKey(nameof(c.NotifyTimeout)))
        {
            return d;
        }
        var n = (d.Notify ?? new NotifyDefinition()) with
        {
            OnMaster = c.OnMaster?.ToString(), OnBackup = c.OnBackup?.ToString(), OnFault = c.OnFault?.ToString(), OnStop = c.OnStop?.ToString(),
            TimeoutSeconds = c.NotifyTimeout,
        };
        return d with { Notify = Nullify(n) };
    }

    private static NotifyDefinition? Nullify(NotifyDefinition n) => n.IsEmpty ? null : n;
}
